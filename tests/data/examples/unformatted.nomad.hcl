job "web" {
  type = "service"

  group "web" {
    count = 2
    task "app" {
      driver="docker"
      config {
        image = "nginx:1.27"
        ports = ["http"]
      }
    }
  }
}
