# A block Nomad does not know at its level is refused.
job "web" {
  group "web" {
    services {
      name = "web"
    }

    task "app" {
      driver = "docker"
    }
  }
}
