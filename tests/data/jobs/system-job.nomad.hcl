# Job.Validate, TaskGroup.Validate: a system job runs once per node, never rescheduled.
job "agent" {
  type = "system"

  group "agent" {
    count = 3

    reschedule {
      attempts = 1
    }

    task "agent" {
      driver = "docker"
    }
  }
}
