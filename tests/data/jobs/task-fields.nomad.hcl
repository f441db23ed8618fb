# Task.Validate: a driver, a name without slashes, resources and logs that fit.
job "web" {
  group "web" {
    ephemeral_disk {
      size = 100
    }

    task "app/v2" {
      kill_timeout   = "-5s"
      shutdown_delay = "-1s"

      resources {
        cpu    = 0
        memory = 5
      }
    }
  }
}
