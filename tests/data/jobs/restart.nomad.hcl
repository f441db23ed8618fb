# RestartPolicy.Validate, over the service job's defaults.
job "web" {
  group "web" {
    restart {
      attempts = 10
      delay    = "1m"
      interval = "5m"
      mode     = "retry"
    }

    task "app" {
      driver = "docker"
    }
  }

  group "ambiguous" {
    restart {
      attempts = 0
      interval = "1s"
      mode     = "delay"
    }

    task "app" {
      driver = "docker"
    }
  }
}
