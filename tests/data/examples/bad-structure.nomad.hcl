# Every rule of nomad_rules.py the old checks knew, broken once: the test expects each message.

job "broken" {
  type = "daemon"

  periodic {
    prohibit_overlap = true
  }

  update {
    canary           = 0
    auto_promote     = true
    min_healthy_time = "10m"
    healthy_deadline = "5m"
  }

  group "web" {
    network {
      port "http" { to = 8080 }
    }

    service {
      name = "web"
      port = "https"

      check {
        type = "http"
      }
    }

    task "app" {
      config {
        image = "nginx:1.27"
      }

      template {
        destination = "local/app.env"
        change_mode = "signal"
        data        = "A=1"
      }

      template {
        destination = "local/app.env"
        data        = "B=2"
      }

      volume_mount {
        volume      = "data"
        destination = "/data"
      }
    }

    task "app" {
      driver = "docker"

      lifecycle {
        hook = "prestop"
      }
    }
  }

  group "empty" {
  }
}
