# TaskGroup.Validate: update and migrate are not for batch jobs.
job "migrate" {
  type = "batch"

  group "migrate" {
    update {
      max_parallel = 1
    }

    migrate {
      max_parallel = 1
    }

    task "migrate" {
      driver = "docker"
    }
  }
}
