# A dynamic block is expanded, then its content decoded like any block.
locals {
  datacenters = ["dc1", "dc2"]
}

job "web" {
  group "web" {
    dynamic "spread" {
      for_each = local.datacenters
      content {
        attributes = "${node.datacenter}"
        weight     = 50
      }
    }

    task "app" {
      driver = "docker"
    }
  }
}
