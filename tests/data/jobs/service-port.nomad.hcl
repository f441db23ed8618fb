# validateServices: a service's port is a label of a declared network port.
job "web" {
  group "web" {
    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name = "web"
      port = "https"
    }

    task "app" {
      driver = "docker"

      service {
        name = "app"
        port = "metrics"
      }
    }
  }
}
