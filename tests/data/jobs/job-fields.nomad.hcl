# Job.Validate: the ID, the type, the priority, the datacenters.
job "web app" {
  type        = "daemon"
  priority    = 200
  datacenters = ["dc1", ""]

  group "web" {
    task "app" {
      driver = "docker"
    }
  }
}
