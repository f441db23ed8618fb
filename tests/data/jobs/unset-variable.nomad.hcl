# A variable without a default that nothing sets.
variable "image" {
  type = string
}

job "web" {
  group "web" {
    task "app" {
      driver = "docker"

      config {
        image = var.image
      }
    }
  }
}
