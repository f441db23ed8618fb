# The same web service as web-simple.nomad.hcl, six months later: Consul,
# Vault, Traefik and a blue-green update block all meet in one file.

variable "image" {
  type        = string
  description = "Docker image of the web service, tag included"
  default     = "registry.example.com/shop/web:1.4.2"
}

variable "environment" {
  type    = string
  default = "production"

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "The environment must be production or staging."
  }
}

variable "domain" {
  type    = string
  default = "shop.example.com"
}

variable "instances" {
  type    = number
  default = 3
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1", "dc2"]
}

locals {
  production = var.environment == "production"
  router     = "web-${var.environment}"
}

job "web" {
  datacenters = var.datacenters
  type        = "service"
  priority    = 70

  meta {
    environment = var.environment
    owner       = "team-shop"
  }

  # Blue-green: as many canaries as instances, promoted by deploy.sh once
  # healthy; a failed deployment goes back to the last stable version.
  update {
    max_parallel      = var.instances
    canary            = var.instances
    min_healthy_time  = "30s"
    healthy_deadline  = "5m"
    progress_deadline = "10m"
    health_check      = "checks"
    auto_revert       = true
    auto_promote      = false
  }

  group "web" {
    count = local.production ? var.instances : 1

    # Production instances spread over the datacenters; staging does not care.
    dynamic "spread" {
      for_each = local.production ? [1] : []
      content {
        attribute = "${node.datacenter}"
        weight    = 100
      }
    }

    network {
      port "http" { to = 8080 }
    }

    volume "uploads" {
      type      = "host"
      source    = "web-uploads"
      read_only = false
    }

    restart {
      attempts = 2
      interval = "5m"
      delay    = "15s"
      mode     = "fail"
    }

    service {
      name = "web"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.${local.router}.rule=Host(`${var.domain}`)",
        "traefik.http.routers.${local.router}.entrypoints=websecure",
        "traefik.http.routers.${local.router}.tls=true",
        "traefik.http.routers.${local.router}.tls.certresolver=letsencrypt",
        "traefik.http.routers.${local.router}.middlewares=web-ratelimit,web-breaker",
        "traefik.http.middlewares.web-ratelimit.ratelimit.average=100",
        "traefik.http.middlewares.web-ratelimit.ratelimit.burst=50",
        "traefik.http.middlewares.web-breaker.circuitbreaker.expression=NetworkErrorRatio() > 0.30",
        "traefik.http.services.${local.router}.loadbalancer.sticky.cookie=true",
      ]
      # Canaries answer on their own host name until deploy.sh promotes them.
      canary_tags = [
        "traefik.enable=true",
        "traefik.http.routers.${local.router}-canary.rule=Host(`canary.${var.domain}`)",
        "traefik.http.routers.${local.router}-canary.tls=true",
      ]

      check {
        name     = "http-health"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"

        check_restart {
          limit = 3
          grace = "60s"
        }
      }

      check {
        name     = "tcp-alive"
        type     = "tcp"
        interval = "15s"
        timeout  = "3s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http"]
      }

      volume_mount {
        volume      = "uploads"
        destination = "/srv/uploads"
      }

      vault {
        role = "web"
      }

      # Database password: a Vault dynamic secret, renewed by Nomad.
      template {
        destination = "secrets/database.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ with secret "database/creds/web" }}
          DATABASE_USER={{ .Data.username }}
          DATABASE_PASSWORD={{ .Data.password }}
          {{ end }}
        EOT
      }

      # API keys of the payment and mail providers.
      template {
        destination = "secrets/api-keys.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ with secret "kv/data/web/api-keys" }}
          STRIPE_API_KEY={{ .Data.data.stripe }}
          MAILER_API_KEY={{ .Data.data.mailer }}
          {{ end }}
        EOT
      }

      # TLS certificate from Vault's PKI: rotated without a restart.
      template {
        destination   = "secrets/tls/web.pem"
        change_mode   = "signal"
        change_signal = "SIGHUP"
        data          = <<-EOT
          {{ with pkiCert "pki/issue/web" "common_name=web.service.consul" "ttl=72h" }}
          {{ .Cert }}{{ .Key }}{{ .CA }}
          {{ end }}
        EOT
      }

      # Cross-references: the other services, found through Consul.
      template {
        destination = "local/upstreams.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ range service "postgres-primary" }}DATABASE_HOST={{ .Address }}:{{ .Port }}{{ end }}
          {{ range service "redis" }}REDIS_URL=redis://{{ .Address }}:{{ .Port }}{{ end }}
          {{ if eq (env "NOMAD_META_environment") "production" }}
          {{ range service "payments" }}PAYMENTS_URL=https://{{ .Address }}:{{ .Port }}{{ end }}
          {{ else }}
          PAYMENTS_URL=https://payments.sandbox.example.com
          {{ end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
