# A reference to a variable no variable block declares.
variable "image" {
  type    = string
  default = "nginx:1.27"
}

job "web" {
  group "web" {
    task "app" {
      driver = "docker"

      config {
        image = var.imag
      }
    }
  }
}
