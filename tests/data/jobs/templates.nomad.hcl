# Template.Validate, and one template per destination (Task.Validate).
job "web" {
  group "web" {
    task "app" {
      driver = "docker"

      template {
        destination = "local/app.env"
        data        = "A=1"
      }

      template {
        destination = "local/app.env"
        change_mode = "signal"
        env         = true
        data        = "B=2"
      }

      template {
        destination = "../../../etc/passwd"
        change_mode = "reload"
        data        = "C=3"
      }

      template {
        destination = "local/empty.env"
      }

      template {
        destination = "local/reload.conf"
        change_mode = "script"
        splay       = "-1s"
        perms       = "0999"
        data        = "D=4"
      }
    }
  }
}
