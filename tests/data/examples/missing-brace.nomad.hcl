# A job that lost the closing brace of its group: HCL's parser must say where.

job "web" {
  type = "service"

  group "web" {
    task "app" {
      driver = "docker"
    }

}
