# Configuration of CI's `nomad agent -dev` (.github/workflows/ci.yml, job nomad).

# The test job runs its tasks with raw_exec (tests/data/examples/app.nomad.hcl).
plugin "raw_exec" {
  config {
    enabled = true
  }
}

# The book's web job has a vault block: without Vault enabled, Nomad refuses
# it ("Vault not enabled but used in the job", nomad/job_endpoint_hook_vault.go).
# Workload identities (default_identity): no Vault token on the server, and
# validating a job never calls Vault; only running its tasks would.
vault {
  enabled = true
  address = "http://127.0.0.1:8200"

  default_identity {
    aud = ["vault.io"]
    ttl = "1h"
  }
}
