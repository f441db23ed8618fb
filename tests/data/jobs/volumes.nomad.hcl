# TaskGroup.Validate: a volume_mount names a volume of the group; volumes are host or csi.
job "web" {
  group "web" {
    volume "uploads" {
      type   = "nfs"
      source = "web-uploads"
    }

    volume "cache" {
      type = "host"
    }

    task "app" {
      driver = "docker"

      volume_mount {
        volume      = "upload"
        destination = "/srv/uploads"
      }
    }
  }
}
