# PeriodicConfig.Validate: each spec parsed by cronexpr, and a real time zone.
job "cleanup" {
  type = "batch"

  periodic {
    crons     = ["30 3 * * *", "61 3 * * *"]
    time_zone = "Europe/Pariss"
  }

  group "cleanup" {
    task "purge" {
      driver = "docker"
    }
  }
}
