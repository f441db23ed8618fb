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

      check {
        name           = "unknown-status"
        type           = "tcp"
        interval       = "10s"
        timeout        = "2s"
        initial_status = "unknown"
      }
    }

    service {
      name     = "admin"
      provider = "etcd"
    }

    service {
      name = "no-port"

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"
    }
  }
}
