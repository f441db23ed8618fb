# Background workers of the web service: they consume the job queue in Redis,
# found through Consul like everything else.

variable "image" {
  type    = string
  default = "registry.example.com/shop/web:1.4.2"
}

job "worker" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel     = 1
    min_healthy_time = "20s"
    healthy_deadline = "3m"
    health_check     = "task_states"
    auto_revert      = true
  }

  group "worker" {
    count = 4

    restart {
      attempts = 3
      interval = "10m"
      delay    = "30s"
      mode     = "delay"
    }

    task "queue" {
      driver = "docker"

      config {
        image   = var.image
        command = "bin/worker"
        args    = ["--queues", "mail,invoices,thumbnails"]
      }

      # Workers drain their current job before Nomad kills them.
      kill_timeout = "45s"
      kill_signal  = "SIGTERM"

      template {
        destination = "local/queue.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ range service "redis" }}REDIS_URL=redis://{{ .Address }}:{{ .Port }}{{ end }}
        EOT
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
