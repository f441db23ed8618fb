# Service.Validate: RFC 1123 names; interpolations are allowed.
job "web" {
  group "web" {
    network {
      port "http" {}
    }

    service {
      name = "web_app"
      port = "http"
    }

    service {
      name = "web-${NOMAD_GROUP_NAME}"
      port = "http"
    }

    task "app" {
      driver = "docker"
    }
  }
}
