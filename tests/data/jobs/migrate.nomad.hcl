# MigrateStrategy.Validate, over the defaults of a service job.
job "web" {
  group "web" {
    migrate {
      max_parallel     = -1
      health_check     = "none"
      min_healthy_time = "10m"
    }

    task "app" {
      driver = "docker"
    }
  }
}
