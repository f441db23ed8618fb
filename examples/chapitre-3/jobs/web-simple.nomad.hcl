job "web" {
  datacenters = ["dc1"]
  type        = "service"

  group "web" {
    count = 2

    network {
      port "http" { to = 8080 }
    }

    task "app" {
      driver = "docker"
      config {
        image = "registry.example.com/shop/web:1.4.2"
        ports = ["http"]
      }
    }
  }
}
