# The default breaks the variable's own validation rule.
variable "environment" {
  type    = string
  default = "prod"

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "The environment must be production or staging."
  }
}

job "web" {
  meta {
    environment = var.environment
  }

  group "web" {
    task "app" {
      driver = "docker"
    }
  }
}
