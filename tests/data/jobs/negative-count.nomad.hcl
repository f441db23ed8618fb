# Nomad: TaskGroup.Validate, "Task group count can't be negative".
job "web" {
  group "web" {
    count = -1

    task "app" {
      driver = "docker"
    }
  }
}
