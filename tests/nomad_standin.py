"""A stateful stand-in for Nomad's HTTP API, for the chapter 3 example scripts.

It answers the few endpoints the scripts use, with the request and response
shapes of Nomad's `api/` package (jobs.go, deployments.go, allocations.go,
operator.go, scaling.go) and the status codes of `command/agent/*_endpoint.go`.
Deployments move one step each time a client reads them, so a script that
polls sees canaries placed, then healthy, then (once promoted) the deployment
succeed; `fail_next_deployment` makes the canaries unhealthy instead, and Nomad
reverts the job when its `update` block asks for `auto_revert`.
"""

from __future__ import annotations

import copy
import io
import json
import re
import tarfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import hcl2
from hcl2.utils import SerializationOptions


class NomadError(Exception):
    """An error Nomad answers with: an HTTP status code and a plain-text body."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Fields that change on every write: a job whose other fields did not change
# is the same spec, and Nomad keeps its version (structs.Job.SpecChanged).
_VOLATILE = {
    "Version",
    "Stable",
    "Status",
    "CreateIndex",
    "ModifyIndex",
    "JobModifyIndex",
    "SubmitTime",
    "Stop",
}
_UPDATE_DEFAULTS = {
    "Stagger": 30_000_000_000,
    "MaxParallel": 1,
    "HealthCheck": "checks",
    "MinHealthyTime": 10_000_000_000,
    "HealthyDeadline": 300_000_000_000,
    "ProgressDeadline": 600_000_000_000,
    "AutoRevert": False,
    "AutoPromote": False,
    "Canary": 0,
}
_DURATION = re.compile(r"^(\d+)(ns|us|ms|s|m|h)$")
_UNITS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


def _duration(value: Any) -> int:
    """Convert a Go duration string ("30s") to nanoseconds, as the API carries it."""
    if isinstance(value, int):
        return value
    match = _DURATION.match(str(value))
    if not match:
        raise NomadError(400, f"time: invalid duration {value!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


class _Jobspec:
    """Turn an HCL2 jobspec into the API's Job, as /v1/jobs/parse does."""

    def __init__(self, source: str, variables: str) -> None:
        options = SerializationOptions(with_comments=False, strip_string_quotes=True)
        try:
            self.tree = hcl2.loads(source, serialization_options=options)
            given = hcl2.loads(variables, serialization_options=options) if variables else {}
        except Exception as error:  # python-hcl2 raises lark errors of many kinds
            raise NomadError(400, f"failed to parse jobspec: {error}") from None
        self.vars: dict[str, Any] = {}
        for block in self.tree.get("variable", []):
            for name, body in block.items():
                self.vars[name] = body.get("default")
        given.pop("__comments__", None)
        for name, value in given.items():
            if name not in self.vars:
                raise NomadError(400, f'Undefined variable: "{name}" is not declared')
            self.vars[name] = value

    def value(self, raw: Any) -> Any:
        """Resolve `${var.x}` references; other expressions are not evaluated."""
        if isinstance(raw, list):
            return [self.value(item) for item in raw]
        if not isinstance(raw, str):
            return raw
        whole = re.fullmatch(r"\$\{var\.(\w+)\}", raw)
        if whole:
            return self.vars[whole.group(1)]
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: str(self.vars[m.group(1)]), raw)

    def block(self, body: dict[str, Any], name: str) -> dict[str, Any] | None:
        blocks = body.get(name) or []
        return blocks[0] if blocks else None

    def attrs(self, body: dict[str, Any] | None) -> dict[str, Any]:
        """Return a block's attributes (not its nested blocks), resolved."""
        if not body:
            return {}
        return {
            k: self.value(v)
            for k, v in body.items()
            if not k.startswith("__") and not _is_blocks(v)
        }

    def job(self) -> dict[str, Any]:
        jobs = self.tree.get("job") or []
        if len(jobs) != 1:
            raise NomadError(400, "jobspec must contain exactly one job block")
        ((job_id, body),) = jobs[0].items()
        update = self.update(self.block(body, "update"), None)
        job_type = self.value(body.get("type", "service"))
        groups = [
            self.group(name, group_body, update, job_type)
            for block in body.get("group", [])
            for name, group_body in block.items()
        ]
        periodic = self.attrs(self.block(body, "periodic"))
        return {
            "ID": job_id,
            "Name": job_id,
            "Namespace": "default",
            "Region": "global",
            "Type": job_type,
            "Priority": self.value(body.get("priority", 50)),
            "Datacenters": self.value(body.get("datacenters", ["*"])),
            "Meta": {k: str(v) for k, v in self.attrs(self.block(body, "meta")).items()} or None,
            "Update": update,
            "Periodic": {
                "Enabled": True,
                "Spec": periodic.get("cron") or periodic["crons"][0],
                "SpecType": "cron",
                "ProhibitOverlap": periodic.get("prohibit_overlap", False),
            }
            if periodic
            else None,
            "TaskGroups": groups,
        }

    def update(self, body: dict[str, Any] | None, parent: dict | None) -> dict | None:
        if body is None:
            return copy.deepcopy(parent)
        update = dict(parent or _UPDATE_DEFAULTS)
        fields = {
            "max_parallel": "MaxParallel",
            "canary": "Canary",
            "health_check": "HealthCheck",
            "auto_revert": "AutoRevert",
            "auto_promote": "AutoPromote",
            "stagger": "Stagger",
            "min_healthy_time": "MinHealthyTime",
            "healthy_deadline": "HealthyDeadline",
            "progress_deadline": "ProgressDeadline",
        }
        for key, value in self.attrs(body).items():
            if key in fields:
                durations = ("Stagger", "MinHealthyTime", "HealthyDeadline", "ProgressDeadline")
                update[fields[key]] = _duration(value) if fields[key] in durations else value
        return update

    def group(self, name: str, body: dict, update: dict | None, job_type: str) -> dict:
        count = self.value(body.get("count", 1))
        if not isinstance(count, int):
            raise NomadError(400, f'group "{name}": count {count!r} is not a number')
        scaling = self.attrs(self.block(body, "scaling"))
        tasks = []
        for block in body.get("task", []):
            for task_name, task in block.items():
                tasks.append(
                    {
                        "Name": task_name,
                        "Driver": self.value(task.get("driver", "")),
                        "Config": self.attrs(self.block(task, "config")),
                        "Env": self.attrs(self.block(task, "env")) or None,
                    }
                )
        return {
            "Name": name,
            "Count": count,
            "Tasks": tasks,
            "Update": self.update(self.block(body, "update"), update)
            if job_type == "service"
            else None,
            "Scaling": {
                "Min": scaling.get("min", count),
                "Max": scaling["max"],
                "Enabled": scaling.get("enabled", True),
            }
            if scaling
            else None,
        }


def _is_blocks(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


class NomadStandin:
    """A Nomad agent in a thread: jobs, versions, deployments, allocations, snapshots."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.lock = threading.RLock()
        self.index = 10
        self.jobs: dict[str, list[dict[str, Any]]] = {}
        self.deployments: dict[str, dict[str, Any]] = {}
        self.allocs: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self._fail_next = False
        self._snapshot_refusal: tuple[int, str] | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> NomadStandin:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Failure injection, for the incidents of "Signe 4".
    def fail_next_deployment(self) -> None:
        """Make the canaries of the next deployment unhealthy."""
        self._fail_next = True

    def refuse_snapshots(self, code: int, message: str) -> None:
        """Make GET /v1/operator/snapshot answer with this error."""
        self._snapshot_refusal = (code, message)

    def make_unhealthy(self, job_id: str, index: int) -> str:
        """Fail the running allocation `index` of a job; return its name."""
        with self.lock:
            for alloc in self._live_allocs(job_id):
                if alloc["Name"].endswith(f"[{index}]"):
                    alloc["ClientStatus"] = "failed"
                    alloc["DeploymentStatus"]["Healthy"] = False
                    return alloc["Name"]
        raise KeyError(f"{job_id} has no running allocation [{index}]")

    # Plumbing.
    def _next(self) -> int:
        self.index += 1
        return self.index

    def current(self, job_id: str) -> dict[str, Any]:
        """Return the latest version of a job, as GET /v1/job/:id does."""
        with self.lock:
            if job_id not in self.jobs:
                raise NomadError(404, "job not found")
            return self.jobs[job_id][-1]

    def _live_allocs(self, job_id: str) -> list[dict[str, Any]]:
        return [
            a for a in self.allocs.values() if a["JobID"] == job_id and a["DesiredStatus"] == "run"
        ]

    def _place(self, job: dict, group: dict, index: int, canary: bool, deployment: str) -> dict:
        alloc_id = str(uuid.uuid4())
        now = time.time_ns()
        alloc = {
            "ID": alloc_id,
            "EvalID": str(uuid.uuid4()),
            "Namespace": "default",
            "Name": f"{job['ID']}.{group['Name']}[{index}]",
            "NodeID": str(uuid.uuid4()),
            "NodeName": "standin-client",
            "JobID": job["ID"],
            "JobType": job["Type"],
            "JobVersion": job["Version"],
            "TaskGroup": group["Name"],
            "DesiredStatus": "run",
            "DesiredDescription": "",
            "ClientStatus": "pending",
            "ClientDescription": "",
            "DeploymentStatus": {
                "Healthy": None,
                "Canary": canary,
                "Timestamp": None,
                "ModifyIndex": 0,
            },
            "FollowupEvalID": "",
            "CreateIndex": self._next(),
            "ModifyIndex": self.index,
            "CreateTime": now,
            "ModifyTime": now,
            "_deployment": deployment,
        }
        self.allocs[alloc_id] = alloc
        return alloc

    def _stop(self, alloc: dict, description: str) -> None:
        alloc["DesiredStatus"] = "stop"
        alloc["DesiredDescription"] = description
        if alloc["ClientStatus"] != "failed":
            alloc["ClientStatus"] = "complete"

    def _upsert(self, job: dict[str, Any], schedule: bool = True) -> tuple[dict, bool]:
        """Store a job spec; a new version only when the spec changed."""
        versions = self.jobs.setdefault(job["ID"], [])
        spec = {k: v for k, v in job.items() if k not in _VOLATILE}
        if versions and spec == {k: v for k, v in versions[-1].items() if k not in _VOLATILE}:
            return versions[-1], False
        stored = copy.deepcopy(spec)
        index = self._next()
        stored.update(
            {
                "Version": versions[-1]["Version"] + 1 if versions else 0,
                "Stable": False,
                "Status": "running",
                "Stop": False,
                "SubmitTime": time.time_ns(),
                "CreateIndex": versions[0]["CreateIndex"] if versions else index,
                "ModifyIndex": index,
                "JobModifyIndex": index,
            }
        )
        versions.append(stored)
        if schedule:
            self._schedule(stored)
        return stored, True

    def _schedule(self, job: dict[str, Any]) -> None:
        """Start a deployment for a service job, or run the allocations at once."""
        live = self._live_allocs(job["ID"])
        if job["Type"] != "service" or not any(g.get("Update") for g in job["TaskGroups"]):
            for alloc in live:
                self._stop(alloc, "alloc is being updated")
            for group in job["TaskGroups"]:
                for i in range(group["Count"]):
                    self._place(job, group, i, False, "")["ClientStatus"] = "running"
            job["Stable"] = True
            return
        for deployment in self.deployments.values():
            if deployment["JobID"] == job["ID"] and deployment["Status"] == "running":
                deployment["Status"] = "cancelled"
                deployment["StatusDescription"] = "Cancelled due to newer version of job"
        groups = {}
        for group in job["TaskGroups"]:
            update = group["Update"] or {}
            has_old = any(a["TaskGroup"] == group["Name"] for a in live)
            groups[group["Name"]] = {
                "PlacedCanaries": [],
                "AutoRevert": update.get("AutoRevert", False),
                "AutoPromote": update.get("AutoPromote", False),
                "ProgressDeadline": update.get("ProgressDeadline", 0),
                "RequireProgressBy": None,
                "Promoted": False,
                "DesiredCanaries": update.get("Canary", 0) if has_old else 0,
                "DesiredTotal": group["Count"],
                "PlacedAllocs": 0,
                "HealthyAllocs": 0,
                "UnhealthyAllocs": 0,
            }
        index = self._next()
        deployment = {
            "ID": str(uuid.uuid4()),
            "Namespace": "default",
            "JobID": job["ID"],
            "JobVersion": job["Version"],
            "JobModifyIndex": job["ModifyIndex"],
            "JobSpecModifyIndex": job["JobModifyIndex"],
            "JobCreateIndex": job["CreateIndex"],
            "IsMultiregion": False,
            "TaskGroups": groups,
            "Status": "running",
            "StatusDescription": "Deployment is running",
            "CreateIndex": index,
            "ModifyIndex": index,
            "CreateTime": time.time_ns(),
            "ModifyTime": time.time_ns(),
            "_step": 0,
            "_fail": self._fail_next,
        }
        self._fail_next = False
        self.deployments[deployment["ID"]] = deployment

    def _advance(self, deployment: dict[str, Any]) -> None:
        """Move a running deployment one step: place, health, promotion, end."""
        if deployment["Status"] != "running":
            return
        job = self.jobs[deployment["JobID"]][deployment["JobVersion"]]
        groups = {g["Name"]: g for g in job["TaskGroups"]}
        mine = [a for a in self.allocs.values() if a["_deployment"] == deployment["ID"]]
        deployment["_step"] += 1
        deployment["ModifyIndex"] = self._next()
        if not mine:
            for name, state in deployment["TaskGroups"].items():
                wanted = state["DesiredCanaries"] or state["DesiredTotal"]
                for i in range(wanted):
                    alloc = self._place(
                        job, groups[name], i, bool(state["DesiredCanaries"]), deployment["ID"]
                    )
                    alloc["ClientStatus"] = "running"
                    if state["DesiredCanaries"]:
                        state["PlacedCanaries"].append(alloc["ID"])
                state["PlacedAllocs"] = wanted
            return
        if any(a["DeploymentStatus"]["Healthy"] is None for a in mine):
            healthy = not deployment["_fail"]
            for alloc in mine:
                alloc["DeploymentStatus"]["Healthy"] = healthy
                alloc["DeploymentStatus"]["Timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ")
                if not healthy:
                    alloc["ClientStatus"] = "failed"
            for name, state in deployment["TaskGroups"].items():
                placed = sum(1 for a in mine if a["TaskGroup"] == name)
                state["HealthyAllocs" if healthy else "UnhealthyAllocs"] = placed
            if not healthy:
                self._fail(deployment, "Failed due to unhealthy allocations")
                return
            waiting = [
                s
                for s in deployment["TaskGroups"].values()
                if s["DesiredCanaries"] and not s["Promoted"]
            ]
            if waiting and all(s["AutoPromote"] for s in waiting):
                self._promote(deployment)
            elif waiting:
                deployment["StatusDescription"] = (
                    "Deployment is running but requires manual promotion"
                )
                return
        if all(
            s["Promoted"] or not s["DesiredCanaries"] for s in deployment["TaskGroups"].values()
        ):
            self._succeed(deployment, job)

    def _promote(self, deployment: dict[str, Any]) -> None:
        for name, state in deployment["TaskGroups"].items():
            if state["DesiredCanaries"] and state["HealthyAllocs"] < state["DesiredCanaries"]:
                raise NomadError(
                    500,
                    f'Task group "{name}" has {state["HealthyAllocs"]}/'
                    f"{state['DesiredCanaries']} healthy allocations",
                )
        for state in deployment["TaskGroups"].values():
            if state["DesiredCanaries"]:
                state["Promoted"] = True

    def _succeed(self, deployment: dict[str, Any], job: dict[str, Any]) -> None:
        """Replace the old allocations by the new version's and mark the job stable."""
        for alloc in self._live_allocs(job["ID"]):
            if alloc["_deployment"] != deployment["ID"]:
                self._stop(alloc, "alloc is being updated due to job update")
        for name, state in deployment["TaskGroups"].items():
            group = next(g for g in job["TaskGroups"] if g["Name"] == name)
            placed = [a for a in self._live_allocs(job["ID"]) if a["TaskGroup"] == name]
            for i in range(len(placed), group["Count"]):
                alloc = self._place(job, group, i, False, deployment["ID"])
                alloc["ClientStatus"] = "running"
                alloc["DeploymentStatus"]["Healthy"] = True
            state["PlacedAllocs"] = state["HealthyAllocs"] = group["Count"]
        deployment["Status"] = "successful"
        deployment["StatusDescription"] = "Deployment completed successfully"
        job["Stable"] = True

    def _fail(self, deployment: dict[str, Any], reason: str) -> None:
        """Fail a deployment; with auto_revert, go back to the last stable version."""
        for alloc in self.allocs.values():
            if alloc["_deployment"] == deployment["ID"]:
                self._stop(alloc, "alloc was unhealthy in a failed deployment")
        deployment["Status"] = "failed"
        deployment["StatusDescription"] = reason
        versions = self.jobs[deployment["JobID"]]
        stable = [v for v in versions[: deployment["JobVersion"]] if v["Stable"]]
        if any(s["AutoRevert"] for s in deployment["TaskGroups"].values()) and stable:
            target = stable[-1]
            deployment["StatusDescription"] += f" - rolling back to job version {target['Version']}"
            reverted, _ = self._upsert(copy.deepcopy(target))
            # The old allocations never stopped: the reverted version is live at once.
            for pending in self.deployments.values():
                if pending["JobID"] == reverted["ID"] and pending["Status"] == "running":
                    self._succeed(pending, reverted)

    # The endpoints.
    def handle(self, method: str, url: str, headers: Any, body: bytes) -> tuple[int, Any]:
        """Answer one request: a status code and a JSON-able value, bytes or text."""
        self.requests.append((method, url))
        parsed = urlparse(url)
        path, query = parsed.path, parse_qs(parsed.query)
        if self.token is not None and path != "/v1/status/leader":
            given = headers.get("X-Nomad-Token") or ""
            bearer = headers.get("Authorization") or ""
            if given != self.token and bearer != f"Bearer {self.token}":
                raise NomadError(403, "Permission denied")
        write = method in ("PUT", "POST")
        payload = _decode(body) if write else None
        with self.lock:
            for pattern, verb, action in _ROUTES:
                match = re.fullmatch(pattern, path)
                if match and (verb == method or (verb == "WRITE" and write)):
                    return 200, action(self, payload, query, *match.groups())
        raise NomadError(404, f"Invalid URL: {path}" if path.startswith("/v1/") else "Not found")

    def parse(self, payload: dict, query: dict) -> dict:
        if not isinstance(payload.get("JobHCL"), str) or not payload["JobHCL"].strip():
            raise NomadError(400, "Job spec is empty")
        return _Jobspec(payload["JobHCL"], payload.get("Variables") or "").job()

    def register(self, payload: dict, query: dict) -> dict:
        """Answer PUT /v1/jobs/parse: the API Job of an HCL2 jobspec."""
        job = payload.get("Job")
        if not isinstance(job, dict):
            raise NomadError(400, "Job must be specified")
        if not job.get("ID"):
            raise NomadError(400, "Job ID hasn't been provided")
        problems = _validate(job)
        if problems:
            lines = "".join(f"\n\t* {p}" for p in problems)
            raise NomadError(
                500,
                f"1 error occurred:{lines}\n\n"
                if len(problems) == 1
                else f"{len(problems)} errors occurred:{lines}\n\n",
            )
        if payload.get("EnforceIndex"):
            current = self.jobs.get(job["ID"])
            index = current[-1]["JobModifyIndex"] if current else 0
            if payload.get("JobModifyIndex", 0) != index:
                raise NomadError(
                    500,
                    f"Enforcing job modify index {payload.get('JobModifyIndex')}"
                    f": job exists with conflicting job modify index: {index}",
                )
        stored, _ = self._upsert(job)
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": self.index,
            "JobModifyIndex": stored["JobModifyIndex"],
            "Warnings": "",
            "Index": self.index,
            "LastContact": 0,
            "KnownLeader": True,
        }

    def job_info(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer PUT /v1/jobs: register a job, a new version if its spec changed."""
        return _public(self.current(job_id))

    def deregister(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer GET /v1/job/:id: the job's latest version."""
        self.current(job_id)
        for alloc in self._live_allocs(job_id):
            self._stop(alloc, "alloc is being stopped due to job deregistration")
        if query.get("purge") == ["true"]:
            del self.jobs[job_id]
            self.deployments = {k: d for k, d in self.deployments.items() if d["JobID"] != job_id}
            self.allocs = {k: a for k, a in self.allocs.items() if a["JobID"] != job_id}
        else:
            self.jobs[job_id][-1]["Stop"] = True
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": self._next(),
            "JobModifyIndex": self.index,
            "Index": self.index,
        }

    def versions(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer DELETE /v1/job/:id: stop the job, or forget it with ?purge=true."""
        self.current(job_id)
        return {
            "Versions": [_public(v) for v in reversed(self.jobs[job_id])],
            "Diffs": None,
            "Index": self.index,
        }

    def latest_deployment(self, payload: None, query: dict, job_id: str) -> dict | None:
        """Answer GET /v1/job/:id/versions: every version, newest first."""
        self.current(job_id)
        mine = [d for d in self.deployments.values() if d["JobID"] == job_id]
        if not mine:
            return None
        latest = max(mine, key=lambda d: d["CreateIndex"])
        self._advance(latest)
        return _public(latest)

    def deployment_info(self, payload: None, query: dict, deployment_id: str) -> dict:
        """Answer GET /v1/job/:id/deployment: the latest deployment, or null."""
        deployment = self._deployment(deployment_id)
        self._advance(deployment)
        return _public(deployment)

    def _deployment(self, deployment_id: str) -> dict:
        """Answer GET /v1/deployment/:id."""
        if deployment_id not in self.deployments:
            raise NomadError(404, "deployment not found")
        return self.deployments[deployment_id]

    def promote(self, payload: dict, query: dict, deployment_id: str) -> dict:
        if payload.get("DeploymentID") != deployment_id:
            raise NomadError(400, "Deployment ID does not match")
        deployment = self._deployment(deployment_id)
        if deployment["Status"] != "running":
            raise NomadError(500, "can't promote terminal deployment")
        if not any(s["DesiredCanaries"] for s in deployment["TaskGroups"].values()):
            raise NomadError(500, "no canaries to promote")
        if not payload.get("All") and not payload.get("Groups"):
            raise NomadError(400, "must specify All or Groups")
        self._promote(deployment)
        deployment["ModifyIndex"] = self._next()
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": self.index,
            "DeploymentModifyIndex": self.index,
            "RevertedJobVersion": None,
            "Index": self.index,
        }

    def fail_deployment(self, payload: dict, query: dict, deployment_id: str) -> dict:
        """Answer PUT /v1/deployment/promote/:id: promote healthy canaries."""
        deployment = self._deployment(deployment_id)
        if deployment["Status"] != "running":
            raise NomadError(500, "can't fail terminal deployment")
        before = len(self.jobs[deployment["JobID"]])
        self._fail(deployment, "Deployment marked as failed")
        reverted = (
            self.jobs[deployment["JobID"]][-1]["Version"]
            if len(self.jobs[deployment["JobID"]]) > before
            else None
        )
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": self.index,
            "DeploymentModifyIndex": self.index,
            "RevertedJobVersion": reverted,
            "Index": self.index,
        }

    def allocations(self, payload: None, query: dict, job_id: str) -> list[dict]:
        """Answer PUT /v1/deployment/fail/:id: fail it, reverting if asked to."""
        self.current(job_id)
        for deployment in list(self.deployments.values()):
            if deployment["JobID"] == job_id:
                self._advance(deployment)
        mine = [a for a in self.allocs.values() if a["JobID"] == job_id]
        return [_public(a) for a in sorted(mine, key=lambda a: -a["CreateIndex"])]

    def revert(self, payload: dict, query: dict, job_id: str) -> dict:
        """Answer GET /v1/job/:id/allocations: AllocationListStubs, newest first."""
        if not payload.get("JobID"):
            raise NomadError(400, "JobID must be specified")
        if payload["JobID"] != job_id:
            raise NomadError(400, "Job ID does not match")
        # The order of Nomad's Job.Revert: the job, the version, then the guard.
        version = payload.get("JobVersion")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise NomadError(
                400,
                "json: cannot unmarshal JobVersion into Go struct field "
                "JobRevertRequest.JobVersion of type uint64",
            )
        if job_id not in self.jobs:
            raise NomadError(500, f'job "{job_id}" not found')
        current = self.current(job_id)
        if version == current["Version"]:
            raise NomadError(500, "can't revert to current version")
        if version >= len(self.jobs[job_id]):
            raise NomadError(
                500, f'job "{job_id}" in namespace "default" at version {version} not found'
            )
        prior = payload.get("EnforcePriorVersion")
        if prior is not None and prior != current["Version"]:
            raise NomadError(
                500, f"Current job has version {current['Version']}; enforcing version {prior}"
            )
        stored, _ = self._upsert(copy.deepcopy(self.jobs[job_id][version]))
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": self.index,
            "JobModifyIndex": stored["JobModifyIndex"],
            "Warnings": "",
            "Index": self.index,
        }

    def scale(self, payload: dict, query: dict, job_id: str) -> dict:
        """Answer PUT /v1/job/:id/revert: register an older version's spec anew."""
        # The order of Nomad's checks: JobScaleRequest.Validate, then Job.Scale.
        target = payload.get("Target") or {}
        if target.get("Job") and target["Job"] != job_id:
            raise NomadError(400, "job ID in payload did not match URL")
        if not target.get("Group"):
            raise NomadError(400, "missing task group name for scaling action")
        count = payload.get("Count")
        if count is not None:
            if not isinstance(count, int) or isinstance(count, bool):
                kind = {bool: "bool", str: "string", float: "number"}.get(type(count), "object")
                raise NomadError(
                    400,
                    f"json: cannot unmarshal {kind} into Go struct field "
                    "ScalingRequest.Count of type int64",
                )
            if count < 0:
                raise NomadError(400, "scaling action count can't be negative")
        if job_id not in self.jobs:
            raise NomadError(404, f'job "{job_id}" not found')
        job = self.current(job_id)
        group = next((g for g in job["TaskGroups"] if g["Name"] == target["Group"]), None)
        if group is None:
            raise NomadError(
                400, f'task group "{target["Group"]}" specified for scaling does not exist in job'
            )
        if count is not None:
            policy = group.get("Scaling")
            if policy and count < policy["Min"]:
                raise NomadError(
                    400,
                    f"group count was less than scaling policy minimum: {count} < {policy['Min']}",
                )
            if policy and count > policy["Max"]:
                raise NomadError(
                    400,
                    "group count was greater than scaling policy maximum: "
                    f"{count} > {policy['Max']}",
                )
            if any(
                d["JobID"] == job_id and d["Status"] == "running" for d in self.deployments.values()
            ):
                raise NomadError(400, "job scaling blocked due to active deployment")
            scaled = copy.deepcopy(job)
            next(g for g in scaled["TaskGroups"] if g["Name"] == group["Name"])["Count"] = count
            # A count change is no destructive update: allocations are kept or
            # added in place, without canaries, as Nomad's scheduler does.
            stored, changed = self._upsert(scaled, schedule=False)
            stored["Stable"] = job["Stable"]
            live = [a for a in self._live_allocs(job_id) if a["TaskGroup"] == group["Name"]]
            for alloc in self._live_allocs(job_id):
                alloc["JobVersion"] = stored["Version"]
            for alloc in live:
                if int(alloc["Name"].rsplit("[", 1)[1].rstrip("]")) >= count:
                    self._stop(alloc, "alloc not needed due to job update")
            taken = {a["Name"] for a in live}
            for i in range(count):
                if changed and f"{job_id}.{group['Name']}[{i}]" not in taken:
                    alloc = self._place(stored, group, i, False, "")
                    alloc["ClientStatus"] = "running"
                    alloc["DeploymentStatus"]["Healthy"] = True
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": self.index,
            "JobModifyIndex": self.current(job_id)["JobModifyIndex"],
            "Warnings": "",
            "Index": self.index,
        }

    def scale_status(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer PUT /v1/job/:id/scale: change a group's count."""
        job = self.current(job_id)
        groups = {}
        for group in job["TaskGroups"]:
            live = [a for a in self._live_allocs(job_id) if a["TaskGroup"] == group["Name"]]
            groups[group["Name"]] = {
                "Desired": group["Count"],
                "Placed": len(live),
                "Running": sum(a["ClientStatus"] == "running" for a in live),
                "Healthy": sum(a["DeploymentStatus"]["Healthy"] is True for a in live),
                "Unhealthy": sum(a["DeploymentStatus"]["Healthy"] is False for a in live),
                "Events": None,
            }
        return {
            "JobID": job_id,
            "Namespace": "default",
            "JobCreateIndex": job["CreateIndex"],
            "JobModifyIndex": job["JobModifyIndex"],
            "JobStopped": job["Stop"],
            "TaskGroups": groups,
        }

    def snapshot(self, payload: None, query: dict) -> bytes:
        """Answer GET /v1/job/:id/scale: each group's desired and running counts."""
        if self._snapshot_refusal:
            raise NomadError(*self._snapshot_refusal)
        # Nomad's snapshot: a gzipped tar of meta.json, state.bin and SHA256SUMS.
        state = json.dumps({"jobs": self.jobs}, default=str).encode()
        meta = json.dumps({"Version": 1, "Index": self.index, "Term": 2}).encode()
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name, data in (("meta.json", meta), ("state.bin", state)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return buffer.getvalue()


def _decode(body: bytes) -> dict[str, Any]:
    """Decode a write request's JSON body as Nomad's decodeBody does."""
    if not body:
        return {}
    try:
        payload = json.loads(body)
    except ValueError as error:
        raise NomadError(400, f"Failed to decode request body: {error}") from None
    if not isinstance(payload, dict):
        raise NomadError(400, "Failed to decode request body: not a JSON object")
    return payload


def _validate(job: dict[str, Any]) -> list[str]:
    """Return what structs.Job.Validate would refuse in the fields this stand-in reads."""
    problems = []
    if job.get("Type", "service") not in ("service", "batch", "system", "sysbatch"):
        problems.append(f"Invalid job type: {job.get('Type')!r}")
    groups = job.get("TaskGroups") or []
    if not groups:
        problems.append("Missing job task groups")
    for group in groups:
        if not isinstance(group, dict) or not group.get("Name"):
            problems.append("Job task group is missing a name")
            continue
        if not isinstance(group.get("Count", 1), int) or group.get("Count", 1) < 0:
            problems.append(f'Task group "{group["Name"]}" has a negative or invalid count')
        group.setdefault("Count", 1)
        group.setdefault("Update", None)
        group.setdefault("Scaling", None)
        if not group.get("Tasks"):
            problems.append(f'Task group "{group["Name"]}" has no tasks')
        for task in group.get("Tasks") or []:
            if not task.get("Driver"):
                problems.append(f'Task "{task.get("Name")}" is missing a driver')
    return problems


def _public(value: dict[str, Any]) -> dict[str, Any]:
    """Drop the stand-in's own bookkeeping fields (they start with an underscore)."""
    return {k: v for k, v in value.items() if not k.startswith("_")}


_ROUTES = [
    (r"/v1/jobs/parse", "WRITE", lambda s, p, q: s.parse(p, q)),
    (r"/v1/jobs", "WRITE", lambda s, p, q: s.register(p, q)),
    (r"/v1/job/([^/]+)", "GET", NomadStandin.job_info),
    (r"/v1/job/([^/]+)", "DELETE", NomadStandin.deregister),
    (r"/v1/job/([^/]+)/versions", "GET", NomadStandin.versions),
    (r"/v1/job/([^/]+)/deployment", "GET", NomadStandin.latest_deployment),
    (r"/v1/job/([^/]+)/allocations", "GET", NomadStandin.allocations),
    (r"/v1/job/([^/]+)/revert", "WRITE", NomadStandin.revert),
    (r"/v1/job/([^/]+)/scale", "WRITE", NomadStandin.scale),
    (r"/v1/job/([^/]+)/scale", "GET", NomadStandin.scale_status),
    (r"/v1/deployment/([^/]+)", "GET", NomadStandin.deployment_info),
    (r"/v1/deployment/promote/([^/]+)", "WRITE", NomadStandin.promote),
    (r"/v1/deployment/fail/([^/]+)", "WRITE", NomadStandin.fail_deployment),
    (r"/v1/operator/snapshot", "GET", lambda s, p, q: s.snapshot(p, q)),
]


def _handler_for(standin: NomadStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                code, value = standin.handle(self.command, self.path, self.headers, body)
            except NomadError as error:
                code, value = error.code, error.message
            except Exception as error:  # a bug of the stand-in: say so, do not hang up
                code, value = 500, f"stand-in error: {type(error).__name__}: {error}"
                standin.errors.append(value)
            if isinstance(value, bytes):
                data, kind = value, "application/octet-stream"
            elif isinstance(value, str):
                data, kind = value.encode(), "text/plain; charset=utf-8"
            else:
                data, kind = json.dumps(value).encode(), "application/json"
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Nomad-Index", str(standin.index))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = _answer

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output clean: requests are kept in `standin.requests`."""

    return Handler
