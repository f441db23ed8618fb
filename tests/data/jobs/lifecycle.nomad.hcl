# TaskLifecycleConfig.Validate: prestart, poststart or poststop.
job "migrate" {
  type = "batch"

  group "migrate" {
    task "wait" {
      driver = "docker"

      lifecycle {
        hook = "prestop"
      }
    }

    task "notify" {
      driver = "docker"

      lifecycle {
        sidecar = false
      }
    }
  }
}
