# The count is an expression over a local: it is evaluated, then checked.
variable "environment" {
  type    = string
  default = "staging"
}

locals {
  production = var.environment == "production"
}

job "web" {
  group "web" {
    count = local.production ? 3 : -1

    task "app" {
      driver = "docker"
    }
  }
}
