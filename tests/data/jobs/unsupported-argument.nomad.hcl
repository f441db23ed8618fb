# jobspec2 decodes every block against Nomad's api structs: a typo is refused.
job "web" {
  update {
    max_paralel = 2
  }

  group "web" {
    task "app" {
      driver      = "docker"
      kill_timout = "30s"
    }
  }
}
