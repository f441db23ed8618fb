# Job.Validate and TaskGroup.Validate: group and task names are unique; one leader.
job "web" {
  group "web" {
    task "app" {
      driver = "docker"
      leader = true
    }

    task "app" {
      driver = "docker"
      leader = true
    }
  }

  group "web" {
    task "app" {
      driver = "docker"
    }
  }
}
