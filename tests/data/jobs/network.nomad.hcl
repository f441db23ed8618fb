# TaskGroup.validateNetworks: unique labels and static ports, mapped within 0-65535.
job "web" {
  group "web" {
    network {
      port "http" {
        static = 8080
      }

      port "http" {
        to = -5
      }

      port "admin" {
        static = 8080
      }

      port "metrics" {
        static = 70000
      }
    }

    task "app" {
      driver = "docker"
    }
  }
}
