# Database migrations of a release: a batch job run once, before deploy.sh
# rolls out the web service that needs the new schema.

variable "image" {
  type    = string
  default = "registry.example.com/shop/web:1.4.2"
}

job "migrate" {
  datacenters = ["dc1"]
  type        = "batch"

  group "migrate" {
    count = 1

    # A half-applied migration must not be retried blindly.
    restart {
      attempts = 0
      mode     = "fail"
    }

    reschedule {
      attempts  = 0
      unlimited = false
    }

    # Waits for the database before the migration task starts.
    task "wait-for-database" {
      driver = "docker"

      lifecycle {
        hook    = "prestart"
        sidecar = false
      }

      config {
        image   = "busybox:1.36"
        command = "sh"
        args    = ["-c", "until nc -z postgres-primary.service.consul 5432; do sleep 2; done"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }

    task "migrate" {
      driver = "docker"

      config {
        image   = var.image
        command = "bin/migrate"
        args    = ["up"]
      }

      vault {
        role = "web-migrate"
      }

      template {
        destination = "secrets/database.env"
        env         = true
        data        = <<-EOT
          {{ with secret "database/creds/web-owner" }}
          DATABASE_USER={{ .Data.username }}
          DATABASE_PASSWORD={{ .Data.password }}
          {{ end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
