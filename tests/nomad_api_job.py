"""The API's Job of a jobspec, as Nomad's /v1/jobs/parse answers it.

tools/hcljob reads the jobspec as jobspec2 does (`nomad_jobspec.parse_jobspec`:
variables, locals, expressions, dynamic blocks, arguments converted to their
type, durations to nanoseconds). This module turns the blocks it decoded into
the fields of api.Job that the stand-in keeps and answers (jobspec2 decodes
into the structs of `api/jobs.go`, `api/tasks.go`, `api/services.go`;
`jobspec2/parse_job.go` normalizeJob names the job after its label, gives a
template its change mode and a task the job's vault), then applies
`Job.Canonicalize`'s defaults (`api/jobs.go`, `api/tasks.go`) when asked, as
the endpoint does with `Canonicalize: true` and as register always does
(`command/agent/job_endpoint.go` JobsParseRequest, ApiJobToStructJob).
"""

from __future__ import annotations

import copy
from typing import Any

from nomad_jobspec import Block, parse_jobspec
from nomad_rules import UPDATE_DEFAULTS


class ParseError(Exception):
    """A jobspec Nomad would refuse to parse; the message is the endpoint's."""


def parse_job(source: str, variables: str, canonical: bool) -> dict[str, Any]:
    """Return the API Job of a jobspec, its variables set from `variables` (HCL)."""
    parsed = parse_jobspec(source, variables)
    if parsed.job is None:
        raise ParseError(f"Failed to parse job: {parsed.error}")
    job = _job(parsed.job)
    return canonicalize(job) if canonical else job


def canonicalize(job: dict[str, Any]) -> dict[str, Any]:
    """Apply api.Job.Canonicalize's defaults to an API Job (register does it too)."""
    job = copy.deepcopy(job)
    job.setdefault("Namespace", "default")
    job.setdefault("Region", "global")
    job.setdefault("Type", "service")
    job.setdefault("Priority", 50)
    job.setdefault("Datacenters", ["*"])
    job.setdefault("Name", job.get("ID"))
    job.setdefault("Meta", None)
    job.setdefault("Periodic", None)
    update = job.get("Update")
    if update is not None:
        update = {**DEFAULT_UPDATE, **update}
    elif job["Type"] == "service":
        update = dict(DEFAULT_UPDATE)
    job["Update"] = update
    for group in job.get("TaskGroups") or []:
        if not isinstance(group, dict):
            continue
        group.setdefault("Count", 1)
        group.setdefault("Scaling", None)
        group.setdefault("Tasks", [])
        mine = group.get("Update")
        if update is not None and mine is not None:
            group["Update"] = {**update, **mine}
        elif update is not None and update.get("MaxParallel", 0) > 0:
            group["Update"] = dict(update)
        else:
            group["Update"] = {**DEFAULT_UPDATE, **mine} if mine else None
        if job["Type"] != "service":
            group["Update"] = None
    return job


def _api_name(name: str) -> str:
    """The api struct's field of a jobspec argument ("min_healthy_time": MinHealthyTime)."""
    return "".join(part.capitalize() for part in name.split("_"))


# api/jobs.go DefaultUpdateStrategy, as the API names its fields: the update
# block a service job gets when its jobspec has none (Job.Canonicalize).
DEFAULT_UPDATE = {_api_name(name): value for name, value in UPDATE_DEFAULTS.items()}


def _job(job: Block) -> dict[str, Any]:
    periodic = job.child("periodic")
    return {
        "ID": job.value("id", job.name),
        "Name": job.value("name", job.name),
        "Type": job.value("type", "service"),
        "Priority": job.value("priority", 50),
        "Datacenters": job.value("datacenters", ["*"]),
        "Meta": _map(job, "meta"),
        "Update": _update(job.child("update")),
        "Periodic": {
            "Enabled": True,
            "Spec": periodic.value("cron") or (periodic.value("crons") or [None])[0],
            "SpecType": "cron",
            "ProhibitOverlap": periodic.value("prohibit_overlap", False),
        }
        if periodic is not None and periodic.attrs
        else None,
        "TaskGroups": [_group(group, job) for group in job.children("group")],
    }


def _group(group: Block, job: Block) -> dict[str, Any]:
    count = group.value("count", 1)
    scaling = group.child("scaling")
    return {
        "Name": group.name,
        "Count": count,
        "Tasks": [_task(task, job) for task in group.children("task")],
        "Update": _update(group.child("update")),
        "Services": [
            {
                "Name": service.value("name"),
                "Tags": service.value("tags"),
                "CanaryTags": service.value("canary_tags"),
            }
            for service in group.children("service")
        ]
        or None,
        "Spreads": [
            {"Attribute": spread.value("attribute"), "Weight": spread.value("weight")}
            for spread in group.children("spread")
        ]
        or None,
        "Scaling": {
            "Min": scaling.value("min", count),
            "Max": scaling.value("max"),
            "Enabled": scaling.value("enabled", True),
        }
        if scaling is not None and scaling.attrs
        else None,
    }


def _task(task: Block, job: Block) -> dict[str, Any]:
    vault = task.child("vault") or job.child("vault")
    config = task.child("config")
    return {
        "Name": task.name,
        "Driver": task.value("driver", ""),
        "Config": _free(config) if config is not None else {},
        "Env": _map(task, "env"),
        "Templates": [
            {
                "DestPath": template.value("destination"),
                "EmbeddedTmpl": template.value("data"),
                "ChangeMode": template.value("change_mode", "restart"),
            }
            for template in task.children("template")
        ]
        or None,
        "Vault": {"Role": vault.value("role", "")} if vault is not None else None,
    }


def _update(update: Block | None) -> dict[str, Any] | None:
    if update is None:
        return None
    return {_api_name(attr.name): attr.value for attr in update.attrs.values()}


def _map(block: Block, name: str) -> dict[str, Any] | None:
    """A map written `name = {...}` or as a block `name {...}` (meta, env); None if empty."""
    child = block.child(name)
    found = block.value(name) or (_free(child) if child is not None else {})
    return found or None


def _free(block: Block) -> dict[str, Any]:
    """A free-form block (a driver's config): its arguments, each nested block a list of maps."""
    found: dict[str, Any] = {name: attr.value for name, attr in block.attrs.items()}
    for child in block.blocks:
        found.setdefault(child.type, []).append(_free(child))
    return found
