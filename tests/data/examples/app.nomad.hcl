# The job the script tests deploy: small enough for `nomad agent -dev`
# (raw_exec), with the blue-green update block of web.nomad.hcl.

variable "release" {
  type    = string
  default = "1"
}

job "app" {
  datacenters = ["*"]
  type        = "service"

  meta {
    release = var.release
  }

  update {
    max_parallel      = 2
    canary            = 2
    min_healthy_time  = "1s"
    healthy_deadline  = "30s"
    progress_deadline = "1m"
    health_check      = "task_states"
    auto_revert       = true
    auto_promote      = false
  }

  group "app" {
    count = 2

    scaling {
      enabled = false
      min     = 1
      max     = 6
    }

    task "sleep" {
      driver = "raw_exec"

      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }

      env {
        RELEASE = var.release
      }

      resources {
        cpu    = 20
        memory = 16
      }
    }
  }
}
