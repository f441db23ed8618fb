# UpdateStrategy.Validate, on the group's update merged over the job's.
job "web" {
  update {
    max_parallel     = -1
    health_check     = "http"
    min_healthy_time = "10m"
    auto_promote     = true
  }

  group "web" {
    update {
      canary            = -1
      healthy_deadline  = "5m"
      progress_deadline = "4m"
      stagger           = "0s"
    }

    task "app" {
      driver = "docker"
    }
  }
}
