# Values that do not convert to the argument's type (gohcl, decodeDuration).
job "web" {
  update {
    healthy_deadline = "5 minutes"
  }

  group "web" {
    count = "three"

    task "app" {
      driver = "docker"
    }
  }
}
