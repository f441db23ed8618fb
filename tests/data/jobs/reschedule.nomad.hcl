# ReschedulePolicy.Validate, over the batch job's defaults.
job "migrate" {
  type = "batch"

  group "ok" {
    reschedule {
      attempts = 0
    }

    task "migrate" {
      driver = "docker"
    }
  }

  group "broken" {
    reschedule {
      attempts       = 3
      unlimited      = true
      delay          = "1s"
      delay_function = "linear"
    }

    task "migrate" {
      driver = "docker"
    }
  }

  group "tight" {
    reschedule {
      attempts = 10
      interval = "1m"
      delay    = "10s"
    }

    task "migrate" {
      driver = "docker"
    }
  }
}
