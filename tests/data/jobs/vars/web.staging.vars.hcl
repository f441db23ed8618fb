# web.nomad.hcl as the staging environment runs it.
environment = "staging"
