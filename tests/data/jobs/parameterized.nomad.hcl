# Job.Validate, ParameterizedJobConfig.Validate: batch or sysbatch only, a known payload.
job "report" {
  parameterized {
    payload       = "maybe"
    meta_required = ["customer"]
    meta_optional = ["customer", "month"]
  }

  group "report" {
    task "render" {
      driver = "docker"
    }
  }
}
