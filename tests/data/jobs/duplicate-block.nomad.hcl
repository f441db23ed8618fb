# A block decoded into one field may appear once; so may the job.
job "web" {
  group "web" {
    restart {
      attempts = 1
    }

    restart {
      attempts = 2
    }

    task "app" {
      driver = "docker"
    }
  }
}

job "web2" {
  group "web" {
    task "app" {
      driver = "docker"
    }
  }
}
