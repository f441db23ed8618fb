# ServiceCheck.validateCommon and validateConsul: type, path, interval, timeout.
job "web" {
  group "web" {
    network {
      port "http" {}
    }

    service {
      name = "web"
      port = "http"

      check {
        name     = "ping"
        type     = "ping"
        interval = "10s"
        timeout  = "2s"
      }

      check {
        name     = "no-path"
        type     = "http"
        interval = "10s"
        timeout  = "2s"
      }

      check {
        name = "no-interval"
        type = "tcp"
      }

      check {
        name     = "too-fast"
        type     = "tcp"
        interval = "10s"
        timeout  = "500ms"
      }
    }

    task "app" {
      driver = "docker"
    }
  }
}
