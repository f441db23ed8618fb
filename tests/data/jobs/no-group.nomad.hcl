# Job.Validate: a job needs a group; TaskGroup.Validate: a group needs a task.
job "web" {
  datacenters = ["dc1"]
}
