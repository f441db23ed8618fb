# Job.Validate: periodic only for batch and sysbatch jobs; a spec is needed.
job "web" {
  periodic {
    prohibit_overlap = true
  }

  group "web" {
    task "app" {
      driver = "docker"
    }
  }
}
