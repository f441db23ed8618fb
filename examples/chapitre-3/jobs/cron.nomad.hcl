# Nightly cleanup: a periodic batch job, Nomad's cron.

job "cleanup" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    crons            = ["30 3 * * *"]
    time_zone        = "Europe/Paris"
    prohibit_overlap = true
  }

  group "cleanup" {
    restart {
      attempts = 1
      delay    = "1m"
      mode     = "fail"
    }

    task "purge-sessions" {
      driver = "docker"

      config {
        image   = "registry.example.com/shop/web:1.4.2"
        command = "bin/purge-expired-sessions"
        args    = ["--older-than", "720h"]
      }

      template {
        destination = "local/database.env"
        env         = true
        data        = <<-EOT
          {{ range service "postgres-primary" }}DATABASE_HOST={{ .Address }}:{{ .Port }}{{ end }}
        EOT
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
