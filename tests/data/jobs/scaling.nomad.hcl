# TaskGroup.validateScalingPolicy: the count within the policy's bounds.
job "web" {
  group "web" {
    count = 5

    scaling {
      min = 1
      max = 3
    }

    task "app" {
      driver = "docker"
    }
  }
}
