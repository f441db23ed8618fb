"""A stand-in for Nomad's HTTP API (Nomad 1.9, as CI pins it), for the chapter 3 scripts.

It follows Nomad, not the scripts: each behaviour is listed, with the Nomad
source it follows, in tests/nomad_standin.md. In short: register, revert and
scale create an evaluation; a scheduler thread, on its own clock and never
driven by reads, processes it a moment later (so a script's first read still
sees the previous deployment), places allocations and opens the deployment;
each allocation's health is decided once, `min_healthy_time` after it runs;
canaries wait for a promotion; a deployment with unhealthy allocations fails
and, with `auto_revert`, registers the last stable version anew; a version is
Stable only once a deployment of it succeeded; failed allocations are replaced.

Time inside the stand-in runs `speed` times faster than the wall clock, so a
30 s `min_healthy_time` takes 30/speed seconds. Faults (`inject`, `down`,
`fail_next_deployment`, `lose_allocation`...) play the incidents a script
must survive.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import re
import socket
import tarfile
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from go_time import seconds
from nomad_api_job import ParseError, canonicalize, parse_job

# Fields a registration does not compare: a job whose other fields did not
# change is the same spec, and Nomad keeps its version (structs.Job.SpecChanged).
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
# Descriptions, as nomad/structs/structs.go and scheduler/reconcile.go word them.
RUNNING = "Deployment is running"
NEEDS_PROMOTION = "Deployment is running but requires manual promotion"
SUCCESSFUL = "Deployment completed successfully"
NEWER_JOB = "Cancelled due to newer version of job"
FAILED_ALLOCS = "Failed due to unhealthy allocations"
FAILED_BY_USER = "Deployment marked as failed"
ALLOC_UPDATING = "alloc is being updated due to job update"
ALLOC_NOT_NEEDED = "alloc not needed due to job update"
ALLOC_LOST = "alloc is lost since its node is down"
ALLOC_RESCHEDULED = "alloc was rescheduled because it failed"
ALLOC_DEREGISTERED = "alloc is being stopped due to job deregistration"
# The default reschedule policy of service jobs waits 30 s before replacing a
# failed allocation (structs.DefaultServiceJobReschedulePolicy).
RESCHEDULE_DELAY = 30.0
# How long a placed allocation stays pending before its task runs (sim seconds).
START_DELAY = 1.0


class NomadError(Exception):
    """An error Nomad answers with: an HTTP status code and a plain-text body."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Fault:
    """A fault the stand-in plays on the requests whose path matches `path`.

    kind: "status" (answer `code` with `body`), "empty" (200, no body),
    "invalid" (200, a body that is not JSON), "slow" (the answer, sent `delay`
    seconds after Nomad made it), "cut" (send the status line and headers, then close mid-body).
    `times`: how many requests it hits (None: all).
    """

    path: str
    kind: str
    code: int = 500
    body: str = ""
    delay: float = 0.0
    method: str | None = None
    times: int | None = 1


class NomadStandin:
    """A Nomad agent in threads: the HTTP API, and a scheduler on its own clock."""

    def __init__(
        self, token: str | None = None, speed: float = 60.0, scheduler_latency: float = 0.08
    ) -> None:
        self.token = token
        self.speed = speed
        self.scheduler_latency = scheduler_latency
        self.lock = threading.RLock()
        self.index = 10
        self.jobs: dict[str, list[dict[str, Any]]] = {}
        self.evals: dict[str, dict[str, Any]] = {}
        self.deployments: dict[str, dict[str, Any]] = {}
        self.allocs: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        # When each request arrived (time.monotonic()), in the order of `requests`.
        self.arrivals: list[float] = []
        self.errors: list[str] = []
        self.faults: list[Fault] = []
        self._doomed_versions: set[tuple[str, int]] = set()
        self._fail_next = False
        self._node_down = False
        self._snapshot_fault: str | None = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.threads = [
            threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True),
            threading.Thread(target=self._scheduler_loop, daemon=True),
        ]

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> NomadStandin:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.threads[1].join(timeout=5)

    def now(self) -> float:
        """The stand-in's clock, in simulated seconds."""
        return (time.monotonic() - self._started) * self.speed

    # Faults.
    def inject(self, fault: Fault) -> None:
        """Play `fault` on the next matching requests."""
        with self.lock:
            self.faults.append(fault)

    def down(self) -> None:
        """Stop answering: the port is closed, connections are refused."""
        self.server.shutdown()
        self.server.server_close()

    def fail_next_deployment(self) -> None:
        """Make the allocations of the next job version registered unhealthy."""
        with self.lock:
            self._fail_next = True

    def damage_snapshots(self, how: str) -> None:
        """Serve snapshots "cut" short after the 200 (Nomad's stream failing midway),
        "damaged" (an archive whose SHA256SUMS does not match, Digest of what was
        sent), "altered" (re-compressed on the way: a valid archive, other bytes) or
        "proxy" (a proxy's own page, with a Digest the proxy computed for it) or
        "no digest" (a proxy that drops the Digest header)."""
        self._snapshot_fault = how

    def make_unhealthy(self, job_id: str, index: int) -> str:
        """Fail the task of the running allocation `index` of a job; return its name."""
        with self.lock:
            for alloc in self._live(job_id):
                if alloc["Name"].endswith(f"[{index}]") and alloc["ClientStatus"] == "running":
                    self._client_update(alloc, "failed")
                    return alloc["Name"]
        raise KeyError(f"{job_id} has no running allocation [{index}]")

    def lose_node(self) -> None:
        """Take the only client node down: its allocations are lost, and nothing can
        replace them until it is back (`node_back`), as on a one-node `nomad agent -dev`."""
        with self.lock:
            self._node_down = True
            for job_id in {a["JobID"] for a in self.allocs.values()}:
                self._evaluate(job_id, "node-update")

    def node_back(self) -> None:
        """Bring the client node back: blocked placements go ahead."""
        with self.lock:
            self._node_down = False
            for job_id in self.jobs:
                self._evaluate(job_id, "node-update")

    # Plumbing.
    def _next(self) -> int:
        self.index += 1
        return self.index

    def current(self, job_id: str) -> dict[str, Any]:
        """Return the latest version of a job, as GET /v1/job/:id does."""
        if job_id not in self.jobs:
            raise NomadError(404, "job not found")
        return self.jobs[job_id][-1]

    def _live(self, job_id: str) -> list[dict[str, Any]]:
        return [
            a for a in self.allocs.values() if a["JobID"] == job_id and a["DesiredStatus"] == "run"
        ]

    def _evaluate(self, job_id: str, trigger: str) -> dict[str, Any]:
        """Create a pending evaluation; the scheduler thread picks it up later."""
        index = self._next()
        evaluation = {
            "ID": str(uuid.uuid4()),
            "Namespace": "default",
            "Type": self.jobs[job_id][-1]["Type"] if job_id in self.jobs else "service",
            "TriggeredBy": trigger,
            "JobID": job_id,
            "Status": "pending",
            "CreateIndex": index,
            "ModifyIndex": index,
            "_due": time.monotonic() + self.scheduler_latency,
        }
        self.evals[evaluation["ID"]] = evaluation
        return evaluation

    def _upsert(self, job: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Store a job spec; a new version only when the spec changed."""
        versions = self.jobs.setdefault(job["ID"], [])
        spec = {k: v for k, v in job.items() if k not in _VOLATILE}
        if versions and spec == {k: v for k, v in versions[-1].items() if k not in _VOLATILE}:
            if versions[-1]["Stop"]:
                versions[-1]["Stop"] = False
                versions[-1]["Status"] = "pending"
            return versions[-1], False
        stored = copy.deepcopy(spec)
        index = self._next()
        stored.update(
            {
                "Version": versions[-1]["Version"] + 1 if versions else 0,
                "Stable": False,
                "Status": "pending",
                "Stop": False,
                "SubmitTime": time.time_ns(),
                "CreateIndex": versions[0]["CreateIndex"] if versions else index,
                "ModifyIndex": index,
                "JobModifyIndex": index,
            }
        )
        versions.append(stored)
        if self._fail_next:
            self._doomed_versions.add((stored["ID"], stored["Version"]))
            self._fail_next = False
        return stored, True

    # The scheduler: evaluations, placements, the deployment watcher.
    def _scheduler_loop(self) -> None:
        while not self._stop.wait(0.005):
            try:
                with self.lock:
                    self._tick()
            except Exception as error:  # a bug of the stand-in: record it, keep going
                self.errors.append(f"scheduler: {type(error).__name__}: {error}")

    def _tick(self) -> None:
        wall = time.monotonic()
        for evaluation in sorted(self.evals.values(), key=lambda e: e["CreateIndex"]):
            if evaluation["Status"] == "pending" and evaluation["_due"] <= wall:
                evaluation["Status"] = "complete"
                evaluation["ModifyIndex"] = self._next()
                if evaluation["JobID"] in self.jobs:
                    self._reconcile(evaluation["JobID"])
        now = self.now()
        changed = set()
        for alloc in self.allocs.values():
            if alloc["ClientStatus"] == "pending" and now >= alloc["_runs_at"]:
                self._client_update(alloc, "running")
            if (
                alloc["ClientStatus"] == "running"
                and alloc["_deployment"]
                and alloc["DeploymentStatus"]["Healthy"] is None
                and now >= alloc["_healthy_at"]
            ):
                healthy = not alloc["_doomed"]
                alloc["DeploymentStatus"].update(
                    Healthy=healthy, Timestamp=_rfc3339(), ModifyIndex=self._next()
                )
                if not healthy:
                    self._client_update(alloc, "failed")
                changed.add(alloc["_deployment"])
            if (
                alloc["ClientStatus"] == "failed"
                and alloc["DesiredStatus"] == "run"
                and now >= alloc["_failed_at"] + RESCHEDULE_DELAY
                and not any(e["Status"] == "pending" for e in self._evals_of(alloc["JobID"]))
            ):
                self._evaluate(alloc["JobID"], "alloc-failure")
        for key in changed:
            deployment = self.deployments.get(key)
            if deployment is None:
                continue
            self._watch(deployment)
            # The watcher asks the scheduler to go on once allocations turn healthy.
            if deployment["Status"] == "running" and not any(
                e["Status"] == "pending" for e in self._evals_of(deployment["JobID"])
            ):
                self._evaluate(deployment["JobID"], "deployment-watcher")

    def _evals_of(self, job_id: str) -> list[dict[str, Any]]:
        return [e for e in self.evals.values() if e["JobID"] == job_id]

    def _client_update(self, alloc: dict[str, Any], status: str) -> None:
        alloc["ClientStatus"] = status
        alloc["ModifyIndex"] = self._next()
        alloc["ModifyTime"] = time.time_ns()
        if status == "failed":
            alloc["_failed_at"] = self.now()

    def _place(
        self, job: dict, group: dict, index: int, deployment: dict | None, canary: bool
    ) -> dict:
        now = self.now()
        update = group.get("Update") or {}
        alloc = {
            "ID": str(uuid.uuid4()),
            "EvalID": str(uuid.uuid4()),
            "Namespace": "default",
            "Name": f"{job['ID']}.{group['Name']}[{index}]",
            "NodeID": "f0e1d2c3-0000-4000-8000-standin00001",
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
            }
            if deployment
            else None,
            "FollowupEvalID": "",
            "NextAllocation": "",
            "PreviousAllocation": "",
            "CreateIndex": self._next(),
            "ModifyIndex": self.index,
            "CreateTime": time.time_ns(),
            "ModifyTime": time.time_ns(),
            "_deployment": deployment["ID"] if deployment else "",
            "_runs_at": now + START_DELAY,
            "_healthy_at": now + START_DELAY + seconds(update.get("MinHealthyTime", 0)),
            "_failed_at": 0.0,
            "_doomed": (job["ID"], job["Version"]) in self._doomed_versions,
        }
        self.allocs[alloc["ID"]] = alloc
        if deployment:
            state = deployment["TaskGroups"][group["Name"]]
            state["PlacedAllocs"] += 1
            if canary:
                state["PlacedCanaries"].append(alloc["ID"])
        return alloc

    def _stop_alloc(self, alloc: dict[str, Any], description: str) -> None:
        alloc["DesiredStatus"] = "stop"
        alloc["DesiredDescription"] = description
        alloc["ModifyIndex"] = self._next()
        if alloc["ClientStatus"] in ("pending", "running"):
            alloc["ClientStatus"] = "complete"

    def _reconcile(self, job_id: str) -> None:
        """Do what Nomad's reconciler does for one evaluation of a job."""
        job = self.jobs[job_id][-1]
        live = self._live(job_id)
        if job["Stop"]:
            for alloc in live:
                self._stop_alloc(alloc, ALLOC_DEREGISTERED)
            self._cancel_older(job, "Cancelled because job is stopped")
            return
        self._cancel_older(job, NEWER_JOB)
        if self._node_down:
            for alloc in live:
                alloc["ClientStatus"] = "lost"
                self._stop_alloc(alloc, ALLOC_LOST)
            return  # no node left: the placements wait (a blocked evaluation)
        for group in job["TaskGroups"]:
            self._reconcile_group(job, group)
        deployment = self._deployment_of(job)
        if deployment is not None and deployment["Status"] == "running":
            self._watch(deployment)
        job["Status"] = "running"

    def _cancel_older(self, job: dict[str, Any], why: str) -> None:
        for deployment in self.deployments.values():
            if (
                deployment["JobID"] == job["ID"]
                and deployment["Status"] == "running"
                and (deployment["JobVersion"] != job["Version"] or job["Stop"])
            ):
                deployment["Status"] = "cancelled"
                deployment["StatusDescription"] = why
                deployment["ModifyIndex"] = self._next()

    def _deployment_of(self, job: dict[str, Any]) -> dict[str, Any] | None:
        mine = [
            d
            for d in self.deployments.values()
            if d["JobID"] == job["ID"] and d["JobVersion"] == job["Version"]
        ]
        return max(mine, key=lambda d: d["CreateIndex"]) if mine else None

    def _reconcile_group(self, job: dict[str, Any], group: dict[str, Any]) -> None:
        name = group["Name"]
        live = [a for a in self._live(job["ID"]) if a["TaskGroup"] == name]
        # A failed allocation is replaced once its reschedule delay is over.
        for alloc in live:
            if alloc["ClientStatus"] == "failed" and (
                self.now() >= alloc["_failed_at"] + RESCHEDULE_DELAY
            ):
                self._stop_alloc(alloc, ALLOC_RESCHEDULED)
        # Canaries of a deployment that failed or was cancelled are not needed.
        for alloc in live:
            owner = self.deployments.get(alloc["_deployment"]) or {}
            if (alloc["DeploymentStatus"] or {}).get("Canary") and owner.get("Status") in (
                "failed",
                "cancelled",
            ):
                self._stop_alloc(alloc, ALLOC_NOT_NEEDED)
        # Allocations beyond the count go first.
        for alloc in live:
            if alloc["DesiredStatus"] == "run" and _index(alloc) >= group["Count"]:
                self._stop_alloc(alloc, ALLOC_NOT_NEEDED)
        live = [a for a in live if a["DesiredStatus"] == "run"]
        versions = self.jobs[job["ID"]]
        old = [a for a in live if a["JobVersion"] != job["Version"]]
        destructive = [a for a in old if _tasks_changed(versions[a["JobVersion"]], job, name)]
        inplace = [a for a in old if a not in destructive]
        update = group.get("Update")
        strategy = job["Type"] == "service" and update and update.get("MaxParallel", 0) > 0
        deployment = self._deployment_of(job)
        opening = not live or destructive or inplace
        if strategy and deployment is None and group["Count"] > 0 and opening:
            deployment = self._open_deployment(job, bool(destructive))
        if deployment is not None and deployment["Status"] == "failed":
            destructive = []  # a failed deployment rolls nothing further out
        active = deployment if deployment and deployment["Status"] == "running" else None
        state = active["TaskGroups"].get(name) if active else None
        # In-place updates: the allocation takes the new version where it runs.
        for alloc in inplace:
            alloc["JobVersion"] = job["Version"]
            alloc["ModifyIndex"] = self._next()
            if state is not None:
                alloc["_deployment"] = active["ID"]
                alloc["DeploymentStatus"] = {
                    "Healthy": None,
                    "Canary": False,
                    "Timestamp": None,
                    "ModifyIndex": 0,
                }
                alloc["_healthy_at"] = self.now() + seconds(update["MinHealthyTime"])
                state["PlacedAllocs"] += 1
        current = [a for a in live if a["JobVersion"] == job["Version"]]
        if state is not None and state["DesiredCanaries"] and not state["Promoted"]:
            # Canaries first, next to the old allocations; nothing else until promotion.
            wanted = state["DesiredCanaries"] - len(state["PlacedCanaries"])
            slots = sorted(_index(a) for a in destructive)
            for i in range(len(state["PlacedCanaries"]), len(state["PlacedCanaries"]) + wanted):
                self._place(job, group, slots[i] if i < len(slots) else i, active, canary=True)
            return
        # Destructive updates, max_parallel at a time: an old allocation goes,
        # a new one takes its place; healthy promoted canaries already have.
        canary_slots = {_index(a) for a in current if (a["DeploymentStatus"] or {}).get("Canary")}
        for alloc in destructive:
            if _index(alloc) in canary_slots or _index(alloc) >= group["Count"]:
                self._stop_alloc(alloc, ALLOC_UPDATING)
        destructive = [a for a in destructive if a["DesiredStatus"] == "run"]
        in_flight = [
            a
            for a in current
            if active and a["_deployment"] == active["ID"]
            and a["DeploymentStatus"]["Healthy"] is None
        ]  # fmt: skip
        room = (update["MaxParallel"] - len(in_flight)) if strategy else len(destructive)
        for alloc in sorted(destructive, key=_index)[: max(room, 0)]:
            self._stop_alloc(alloc, ALLOC_UPDATING)
            self._place(job, group, _index(alloc), active, canary=False)
        # Missing allocations: a new job, a count raised, failed ones replaced.
        used = {_index(a) for a in self._live(job["ID"]) if a["TaskGroup"] == name}
        for slot in range(group["Count"]):
            if slot not in used:
                self._place(job, group, slot, active, canary=False)

    def _open_deployment(self, job: dict[str, Any], destructive: bool) -> dict[str, Any]:
        """Open the deployment of a job version, as the reconciler does when it places."""
        groups = {}
        for group in job["TaskGroups"]:
            update = group.get("Update") or {}
            groups[group["Name"]] = {
                "AutoRevert": update.get("AutoRevert", False),
                "AutoPromote": update.get("AutoPromote", False),
                "ProgressDeadline": update.get("ProgressDeadline", 0),
                "RequireProgressBy": None,
                "Promoted": False,
                "PlacedCanaries": [],
                "DesiredCanaries": update.get("Canary", 0) if destructive else 0,
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
            "StatusDescription": RUNNING,
            "EvalPriority": job.get("Priority", 50),
            "CreateIndex": index,
            "ModifyIndex": index,
            "CreateTime": time.time_ns(),
            "ModifyTime": time.time_ns(),
        }
        self.deployments[deployment["ID"]] = deployment
        job["Status"] = "running"
        return deployment

    def _watch(self, deployment: dict[str, Any]) -> None:
        """The deployment watcher: count health, fail, wait for promotion, succeed."""
        if deployment["Status"] != "running":
            return
        mine = [
            a
            for a in self.allocs.values()
            if a["_deployment"] == deployment["ID"] and a["DesiredStatus"] == "run"
        ]
        for name, state in deployment["TaskGroups"].items():
            group = [a for a in mine if a["TaskGroup"] == name]
            state["HealthyAllocs"] = sum(a["DeploymentStatus"]["Healthy"] is True for a in group)
            state["UnhealthyAllocs"] = sum(a["DeploymentStatus"]["Healthy"] is False for a in group)
        deployment["ModifyIndex"] = self._next()
        if any(s["UnhealthyAllocs"] for s in deployment["TaskGroups"].values()):
            self._fail(deployment, FAILED_ALLOCS)
            return
        waiting = [
            s
            for s in deployment["TaskGroups"].values()
            if s["DesiredCanaries"]
            and not s["Promoted"]
            and s["HealthyAllocs"] >= s["DesiredCanaries"]
        ]
        if waiting and all(s["AutoPromote"] for s in waiting):
            self._promote(deployment, None)
        elif waiting:
            deployment["StatusDescription"] = NEEDS_PROMOTION
            return
        job = self.jobs[deployment["JobID"]][deployment["JobVersion"]]
        live = self._live(job["ID"])
        done = all(
            (not s["DesiredCanaries"] or s["Promoted"]) and s["HealthyAllocs"] >= s["DesiredTotal"]
            for s in deployment["TaskGroups"].values()
        ) and all(a["JobVersion"] == job["Version"] for a in live)
        if done:
            deployment["Status"] = "successful"
            deployment["StatusDescription"] = SUCCESSFUL
            job["Stable"] = True
            job["ModifyIndex"] = self._next()

    def _promote(self, deployment: dict[str, Any], groups: list[str] | None) -> None:
        unhealthy = []
        chosen = [n for n in deployment["TaskGroups"] if groups is None or n in groups]
        have_canaries = False
        for name in chosen:
            state = deployment["TaskGroups"][name]
            if not state["DesiredCanaries"] or state["Promoted"]:
                continue
            have_canaries = True
            if state["HealthyAllocs"] < state["DesiredCanaries"]:
                unhealthy.append(
                    f'Task group "{name}" has {state["HealthyAllocs"]}/'
                    f"{state['DesiredCanaries']} healthy allocations"
                )
        if unhealthy:
            raise NomadError(500, _multierror(unhealthy))
        if not have_canaries:
            raise NomadError(500, "no canaries to promote")
        for name in chosen:
            if deployment["TaskGroups"][name]["DesiredCanaries"]:
                deployment["TaskGroups"][name]["Promoted"] = True
        deployment["StatusDescription"] = RUNNING
        deployment["ModifyIndex"] = self._next()

    def _fail(self, deployment: dict[str, Any], reason: str) -> int | None:
        """Fail a deployment; with auto_revert, register the last stable version anew."""
        deployment["Status"] = "failed"
        deployment["StatusDescription"] = reason
        deployment["ModifyIndex"] = self._next()
        versions = self.jobs[deployment["JobID"]]
        if not any(s["AutoRevert"] for s in deployment["TaskGroups"].values()):
            return None
        current = versions[-1]
        stable = [
            v for v in reversed(versions) if v["Stable"] and v["Version"] != current["Version"]
        ]
        if not stable:
            deployment["StatusDescription"] += " - no stable job version to auto revert to"
            return None
        target = stable[0]
        if _spec(target) == _spec(current):
            deployment["StatusDescription"] += (
                " - not rolling back to stable job version "
                f"{target['Version']} as current job has same specification"
            )
            return None
        deployment["StatusDescription"] += f" - rolling back to job version {target['Version']}"
        reverted, _ = self._upsert(copy.deepcopy(target))
        self._evaluate(reverted["ID"], "deployment-watcher")
        return reverted["Version"]

    # The endpoints.
    def handle(self, method: str, url: str, headers: Any, body: bytes) -> tuple[int, Any]:
        """Answer one request: a status code and a JSON-able value, bytes or text."""
        parsed = urlparse(url)
        path, query = parsed.path, parse_qs(parsed.query)
        if self.token is not None and path != "/v1/status/leader":
            given = headers.get("X-Nomad-Token") or ""
            bearer = headers.get("Authorization") or ""
            if given != self.token and bearer != f"Bearer {self.token}":
                raise NomadError(403, "Permission denied")
        write = method in ("PUT", "POST")
        with self.lock:
            for pattern, verb, action in _ROUTES:
                match = re.fullmatch(pattern, path)
                if match and (verb == method or (verb == "WRITE" and write)):
                    payload = _decode(body) if write else None
                    return 200, action(self, payload, query, *match.groups())
            for pattern, _verb, _ in _ROUTES:
                if re.fullmatch(pattern, path):
                    raise NomadError(405, "Invalid method")
        raise NomadError(404, f"Invalid URL: {path}" if path.startswith("/v1/") else "Not found")

    def parse(self, payload: dict, query: dict) -> dict:
        """Answer PUT /v1/jobs/parse: the API Job of an HCL2 jobspec."""
        if not isinstance(payload.get("JobHCL"), str) or not payload["JobHCL"]:
            raise NomadError(400, "Job spec is empty")
        try:
            return parse_job(
                payload["JobHCL"], payload.get("Variables") or "", bool(payload.get("Canonicalize"))
            )
        except ParseError as error:
            raise NomadError(400, str(error)) from None

    def register(self, payload: dict, query: dict) -> dict:
        """Answer PUT /v1/jobs: register a job, a new version if its spec changed."""
        job = payload.get("Job")
        if not isinstance(job, dict):
            raise NomadError(400, "Job must be specified")
        if not job.get("ID"):
            raise NomadError(400, "Job ID hasn't been provided")
        job = canonicalize(job)
        problems = _validate(job)
        if problems:
            raise NomadError(500, _multierror(problems))
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
        evaluation = self._evaluate(stored["ID"], "job-register")
        return {
            "EvalID": evaluation["ID"],
            "EvalCreateIndex": evaluation["CreateIndex"],
            "JobModifyIndex": stored["JobModifyIndex"],
            "Warnings": "",
            "Index": self.index,
            "LastContact": 0,
            "KnownLeader": True,
        }

    def job_info(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer GET /v1/job/:id: the job's latest version."""
        return _public(self.current(job_id))

    def deregister(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer DELETE /v1/job/:id: stop the job, or forget it with ?purge=true."""
        job = self.current(job_id)
        job["Stop"] = True
        job["Status"] = "dead"
        for alloc in self._live(job_id):
            self._stop_alloc(alloc, ALLOC_DEREGISTERED)
        self._cancel_older(job, "Cancelled because job is stopped")
        if query.get("purge") == ["true"]:
            del self.jobs[job_id]
            self.deployments = {k: d for k, d in self.deployments.items() if d["JobID"] != job_id}
            self.allocs = {k: a for k, a in self.allocs.items() if a["JobID"] != job_id}
            self.evals = {k: e for k, e in self.evals.items() if e["JobID"] != job_id}
            self._doomed_versions = {d for d in self._doomed_versions if d[0] != job_id}
        index = self._next()
        return {
            "EvalID": str(uuid.uuid4()),
            "EvalCreateIndex": index,
            "JobModifyIndex": index,
            "Index": index,
        }

    def versions(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer GET /v1/job/:id/versions: every version, newest first."""
        if job_id not in self.jobs:
            raise NomadError(404, "job versions not found")
        return {
            "Versions": [_public(v) for v in reversed(self.jobs[job_id])],
            "Diffs": None,
            "Index": self.index,
        }

    def latest_deployment(self, payload: None, query: dict, job_id: str) -> dict | None:
        """Answer GET /v1/job/:id/deployment: the latest deployment, or null."""
        mine = [d for d in self.deployments.values() if d["JobID"] == job_id]
        return _public(max(mine, key=lambda d: d["CreateIndex"])) if mine else None

    def job_deployments(self, payload: None, query: dict, job_id: str) -> list[dict]:
        """Answer GET /v1/job/:id/deployments: the job's deployments, newest first."""
        mine = [d for d in self.deployments.values() if d["JobID"] == job_id]
        return [_public(d) for d in sorted(mine, key=lambda d: -d["CreateIndex"])]

    def deployment_info(self, payload: None, query: dict, deployment_id: str) -> dict:
        """Answer GET /v1/deployment/:id."""
        return _public(self._deployment(deployment_id))

    def _deployment(self, deployment_id: str) -> dict:
        if deployment_id not in self.deployments:
            raise NomadError(404, "deployment not found")
        return self.deployments[deployment_id]

    def promote(self, payload: dict, query: dict, deployment_id: str) -> dict:
        """Answer PUT /v1/deployment/promote/:id: promote the healthy canaries."""
        if not payload.get("DeploymentID"):
            raise NomadError(400, "DeploymentID must be specified")
        if payload["DeploymentID"] != deployment_id:
            raise NomadError(400, "Deployment ID does not match")
        deployment = self._deployment(deployment_id)
        if deployment["Status"] != "running":
            raise NomadError(500, "can't promote terminal deployment")
        self._promote(deployment, None if payload.get("All") else payload.get("Groups") or [])
        evaluation = self._evaluate(deployment["JobID"], "deployment-watcher")
        return {
            "EvalID": evaluation["ID"],
            "EvalCreateIndex": evaluation["CreateIndex"],
            "DeploymentModifyIndex": deployment["ModifyIndex"],
            "RevertedJobVersion": None,
            "Index": self.index,
        }

    def fail_deployment(self, payload: dict, query: dict, deployment_id: str) -> dict:
        """Answer PUT /v1/deployment/fail/:id: fail it, reverting if its job asks to."""
        deployment = self._deployment(deployment_id)
        if deployment["Status"] != "running":
            raise NomadError(500, "can't fail terminal deployment")
        reverted = self._fail(deployment, FAILED_BY_USER)
        evaluation = self._evaluate(deployment["JobID"], "deployment-watcher")
        return {
            "EvalID": evaluation["ID"],
            "EvalCreateIndex": evaluation["CreateIndex"],
            "DeploymentModifyIndex": deployment["ModifyIndex"],
            "RevertedJobVersion": reverted,
            "Index": self.index,
        }

    def allocations(self, payload: None, query: dict, job_id: str) -> list[dict]:
        """Answer GET /v1/job/:id/allocations: stubs, newest first; [] for no job."""
        mine = [a for a in self.allocs.values() if a["JobID"] == job_id]
        return [_public(a) for a in sorted(mine, key=lambda a: -a["CreateIndex"])]

    def revert(self, payload: dict, query: dict, job_id: str) -> dict:
        """Answer PUT /v1/job/:id/revert: register an older version's spec anew."""
        if not payload.get("JobID"):
            raise NomadError(400, "JobID must be specified")
        if payload["JobID"] != job_id:
            raise NomadError(400, "Job ID does not match")
        version = payload.get("JobVersion", 0)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise NomadError(
                400,
                "json: cannot unmarshal value into Go struct field "
                "JobRevertRequest.JobVersion of type uint64",
            )
        if job_id not in self.jobs:
            raise NomadError(500, f'job "{job_id}" not found')
        current = self.current(job_id)
        if version == current["Version"]:
            raise NomadError(500, "can't revert to current version")
        prior = payload.get("EnforcePriorVersion")
        if prior is not None and prior != current["Version"]:
            raise NomadError(
                500, f"Current job has version {current['Version']}; enforcing version {prior}"
            )
        if version >= len(self.jobs[job_id]):
            raise NomadError(
                500, f'job "{job_id}" in namespace "default" at version {version} not found'
            )
        stored, _ = self._upsert(copy.deepcopy(self.jobs[job_id][version]))
        evaluation = self._evaluate(job_id, "job-register")
        return {
            "EvalID": evaluation["ID"],
            "EvalCreateIndex": evaluation["CreateIndex"],
            "JobModifyIndex": stored["JobModifyIndex"],
            "Warnings": "",
            "Index": self.index,
        }

    def scale(self, payload: dict, query: dict, job_id: str) -> dict:
        """Answer PUT /v1/job/:id/scale: change a group's count, a new job version."""
        target = payload.get("Target") or {}
        if target.get("Job") and target["Job"] != job_id:
            raise NomadError(400, "job ID in payload did not match URL")
        # JobScaleRequest.Validate, then Job.Scale, in nomad/job_endpoint.go's order.
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
        if count is None:
            return {"EvalID": "", "EvalCreateIndex": 0, "JobModifyIndex": job["ModifyIndex"],
                    "Warnings": "", "Index": self._next()}  # fmt: skip
        policy = group.get("Scaling")
        if policy and count < policy["Min"]:
            raise NomadError(
                400, f"group count was less than scaling policy minimum: {count} < {policy['Min']}"
            )
        if policy and count > policy["Max"]:
            raise NomadError(
                400,
                f"group count was greater than scaling policy maximum: {count} > {policy['Max']}",
            )
        latest = self.latest_deployment(None, {}, job_id)
        if (
            latest
            and latest["Status"] in ("running", "pending", "paused", "blocked", "initializing")
            and latest["JobCreateIndex"] == job["CreateIndex"]
        ):
            raise NomadError(400, "job scaling blocked due to active deployment")
        scaled = copy.deepcopy(_public(job))
        next(g for g in scaled["TaskGroups"] if g["Name"] == group["Name"])["Count"] = count
        stored, _ = self._upsert(scaled)
        evaluation = self._evaluate(job_id, "job-scaling")
        return {
            "EvalID": evaluation["ID"],
            "EvalCreateIndex": evaluation["CreateIndex"],
            "JobModifyIndex": stored["JobModifyIndex"],
            "Warnings": "",
            "Index": self.index,
        }

    def scale_status(self, payload: None, query: dict, job_id: str) -> dict:
        """Answer GET /v1/job/:id/scale: desired counts, running ones, deployment health."""
        job = self.current(job_id)
        latest = self.latest_deployment(None, {}, job_id)
        groups = {}
        for group in job["TaskGroups"]:
            state = (latest or {}).get("TaskGroups", {}).get(group["Name"]) or {}
            live = [a for a in self._live(job_id) if a["TaskGroup"] == group["Name"]]
            groups[group["Name"]] = {
                "Desired": group["Count"],
                "Placed": state.get("PlacedAllocs", 0),
                "Running": sum(a["ClientStatus"] == "running" for a in live),
                "Healthy": state.get("HealthyAllocs", 0),
                "Unhealthy": state.get("UnhealthyAllocs", 0),
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

    def snapshot(self, payload: None, query: dict) -> Snapshot:
        """Answer GET /v1/operator/snapshot: a gzipped tar, its sha-256 in `Digest`."""
        state = json.dumps({"jobs": self.jobs, "index": self.index}, default=str).encode()
        meta = json.dumps({"Version": 1, "ID": f"2-{self.index}", "Index": self.index,
                           "Term": 2}).encode()  # fmt: skip
        if self._snapshot_fault == "damaged":
            sums = _sums({"meta.json": meta, "state.bin": state + b"\n"})
        else:
            sums = _sums({"meta.json": meta, "state.bin": state})
        archive = _archive({"meta.json": meta, "state.bin": state, "SHA256SUMS": sums})
        digest = _digest(archive)
        if self._snapshot_fault == "cut":
            # Nomad's handler has sent 200 and the Digest already; the copy
            # fails midway and its error text ends the (chunked) body.
            return Snapshot(archive[: len(archive) // 2] + b"failed to stream snapshot", digest)
        if self._snapshot_fault == "no digest":
            return Snapshot(archive, "")
        if self._snapshot_fault == "proxy":
            page = b"<html>maintenance</html>"
            return Snapshot(page, _digest(page))
        if self._snapshot_fault == "altered":
            return Snapshot(_archive({"meta.json": meta, "state.bin": state, "SHA256SUMS": sums},
                                     level=1), digest)  # fmt: skip
        return Snapshot(archive, digest)


@dataclass
class Snapshot:
    """The snapshot endpoint's answer: bytes streamed after a Digest header."""

    data: bytes
    digest: str


def _archive(files: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=level) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _digest(data: bytes) -> str:
    """The Digest header of a snapshot (helper/snapshot/snapshot.go: sha-256, base64)."""
    return "sha-256=" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def _sums(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in files.items()).encode()


def _index(alloc: dict[str, Any]) -> int:
    return int(alloc["Name"].rsplit("[", 1)[1].rstrip("]"))


def _spec(job: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in job.items() if k not in _VOLATILE}


def _tasks_changed(old: dict[str, Any], new: dict[str, Any], group: str) -> bool:
    """Whether a group's allocations must be replaced (scheduler/util.go tasksUpdated)."""
    before = next((g for g in old["TaskGroups"] if g["Name"] == group), None)
    after = next(g for g in new["TaskGroups"] if g["Name"] == group)
    if before is None:
        return True
    keep = ("Count", "Update", "Scaling")
    strip = lambda g: {k: v for k, v in g.items() if k not in keep}  # noqa: E731
    return strip(before) != strip(after) or old.get("Meta") != new.get("Meta")


def _multierror(problems: list[str]) -> str:
    """Word a list of errors as go-multierror does."""
    lines = "".join(f"\n\t* {p}" for p in problems)
    many = "1 error occurred" if len(problems) == 1 else f"{len(problems)} errors occurred"
    return f"{many}:{lines}\n\n"


def _rfc3339() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _decode(body: bytes) -> dict[str, Any]:
    """Decode a write request's JSON body as Nomad's decodeBody does."""
    if not body:
        raise NomadError(400, "Request body is empty")
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as error:
        found = body.decode(errors="replace")[error.pos : error.pos + 1] or "EOF"
        message = f"invalid character {found!r} looking for beginning of value"
        raise NomadError(400, message) from None
    if not isinstance(payload, dict):
        raise NomadError(400, "json: cannot unmarshal array into Go value of type struct")
    return payload


def _validate(job: dict[str, Any]) -> list[str]:
    """Return what structs.Job.Validate refuses, among the fields this stand-in reads."""
    problems = []
    if job.get("Type") not in ("service", "batch", "system", "sysbatch"):
        problems.append(f'Invalid job type: "{job.get("Type")}"')
    groups = job.get("TaskGroups") or []
    if not groups:
        problems.append("Missing job task groups")
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, dict) or not group.get("Name"):
            problems.append(f"Job task group {number} missing name")
            continue
        inner = []
        count = group.get("Count", 1)
        if not isinstance(count, int) or count < 0:
            inner.append("Task group count can't be negative")
        if not group.get("Tasks"):
            inner.append("Missing tasks for task group")
        for task in group.get("Tasks") or []:
            if not task.get("Driver"):
                inner.append(
                    f"Task {task.get('Name')} validation failed: "
                    + _multierror(["Missing task driver"])
                )
        if inner:
            problems.append(f"Task group {group['Name']} validation failed: {_multierror(inner)}")
    return problems


def _public(value: dict[str, Any]) -> dict[str, Any]:
    """Drop the stand-in's own bookkeeping fields (they start with an underscore)."""
    return {k: v for k, v in value.items() if not k.startswith("_")}


_ROUTES = [
    (r"/v1/jobs/parse", "WRITE", lambda s, p, q: s.parse(p, q)),
    (r"/v1/jobs", "WRITE", lambda s, p, q: s.register(p, q)),
    (r"/v1/job/([^/]+)/versions", "GET", NomadStandin.versions),
    (r"/v1/job/([^/]+)/deployment", "GET", NomadStandin.latest_deployment),
    (r"/v1/job/([^/]+)/deployments", "GET", NomadStandin.job_deployments),
    (r"/v1/job/([^/]+)/allocations", "GET", NomadStandin.allocations),
    (r"/v1/job/([^/]+)/revert", "WRITE", NomadStandin.revert),
    (r"/v1/job/([^/]+)/scale", "WRITE", NomadStandin.scale),
    (r"/v1/job/([^/]+)/scale", "GET", NomadStandin.scale_status),
    (r"/v1/job/([^/]+)", "GET", NomadStandin.job_info),
    (r"/v1/job/([^/]+)", "DELETE", NomadStandin.deregister),
    (r"/v1/deployment/promote/([^/]+)", "WRITE", NomadStandin.promote),
    (r"/v1/deployment/fail/([^/]+)", "WRITE", NomadStandin.fail_deployment),
    (r"/v1/deployment/([^/]+)", "GET", NomadStandin.deployment_info),
    (r"/v1/operator/snapshot", "GET", lambda s, p, q: s.snapshot(p, q)),
]


def _handler_for(standin: NomadStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlparse(self.path).path
            with standin.lock:
                standin.requests.append((self.command, self.path))
                standin.arrivals.append(time.monotonic())
            fault = self._fault(path)
            if fault and fault.kind == "status":
                return self._send(fault.code, fault.body.encode(), "text/plain; charset=utf-8")
            try:
                code, value = standin.handle(self.command, self.path, self.headers, body)
            except NomadError as error:
                code, value = error.code, error.message
            except Exception as error:  # a bug of the stand-in: say so, do not hang up
                code, value = 500, f"stand-in error: {type(error).__name__}: {error}"
                standin.errors.append(value)
            headers = {}
            if isinstance(value, Snapshot):
                data, kind = value.data, "application/octet-stream"
                headers = {"Digest": value.digest} if value.digest else {}
            elif isinstance(value, str):
                data, kind = value.encode(), "text/plain; charset=utf-8"
            else:
                data, kind = json.dumps(value).encode(), "application/json"
            if fault and fault.kind == "slow":  # Nomad answered; the answer is slow to come
                time.sleep(fault.delay)
            if fault and fault.kind == "empty":
                data = b""
            elif fault and fault.kind == "invalid":
                data = data[: max(len(data) // 2, 1)] if data else b"<html>"
            elif fault and fault.kind == "cut":
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 3])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return None
            return self._send(code, data, kind, headers)

        def _fault(self, path: str) -> Fault | None:
            with standin.lock:
                for fault in standin.faults:
                    if re.fullmatch(fault.path, path) and fault.method in (None, self.command):
                        if fault.times is not None:
                            fault.times -= 1
                            if fault.times == 0:
                                standin.faults.remove(fault)
                        return fault
            return None

        def _send(self, code: int, data: bytes, kind: str, headers: dict | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Nomad-Index", str(standin.index))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = _answer

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output clean: requests are kept in `standin.requests`."""

    return Handler
