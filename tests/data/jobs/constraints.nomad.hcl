# Constraint.Validate, on the operand jobspec2 derives from the block.
job "web" {
  constraint {
    attribute = "${attr.kernel.name}"
  }

  group "web" {
    constraint {
      operator = "near"
      value    = "dc1"
    }

    task "app" {
      driver = "docker"

      constraint {
        distinct_hosts = true
      }
    }
  }
}
