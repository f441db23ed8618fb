"""The Nomad stand-in answers like Nomad: shapes, status codes and the refusals Nomad makes."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nomad_standin import NomadStandin

APP_JOB = Path(__file__).resolve().parent / "data" / "examples" / "app.nomad.hcl"
WEB_JOB = Path(__file__).resolve().parents[1] / "examples" / "chapitre-3" / "jobs" / "web.nomad.hcl"
TOKEN = "standin-token"


@pytest.fixture
def standin() -> Iterator[NomadStandin]:
    """Start a stand-in with ACLs on, on its own port."""
    with NomadStandin(token=TOKEN) as running:
        yield running
    assert running.errors == []


def call(
    standin: NomadStandin,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = TOKEN,
    raw: bytes | None = None,
) -> tuple[int, Any]:
    """Send one request; return the status code and the decoded answer."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(standin.address + path, data=data, method=method)
    if token:
        request.add_header("X-Nomad-Token", token)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
            return answer.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        message = error.read().decode()
        error.close()
        return error.code, message


def register(standin: NomadStandin, release: str = "1") -> dict[str, Any]:
    """Parse and register the test job, as `nomad job run` does through the API."""
    code, job = call(
        standin,
        "POST",
        "/v1/jobs/parse",
        {"JobHCL": APP_JOB.read_text(encoding="utf-8"), "Variables": f'release = "{release}"'},
    )
    assert code == 200, job
    code, answer = call(standin, "POST", "/v1/jobs", {"Job": job})
    assert code == 200, answer
    return answer


def test_standin_refuses_missing_or_wrong_token(standin: NomadStandin) -> None:
    """Answer 403 "Permission denied" without the right X-Nomad-Token."""
    assert call(standin, "GET", "/v1/job/app", token=None) == (403, "Permission denied")
    assert call(standin, "GET", "/v1/job/app", token="wrong") == (403, "Permission denied")


def test_standin_unknown_job_is_404(standin: NomadStandin) -> None:
    """Answer 404 "job not found" for a job it does not have."""
    assert call(standin, "GET", "/v1/job/nope") == (404, "job not found")


def test_standin_bad_payloads_are_400(standin: NomadStandin) -> None:
    """Refuse undecodable bodies and registrations without a job or its ID."""
    assert call(standin, "POST", "/v1/jobs", raw=b"{not json") == (
        400,
        "invalid character 'n' looking for beginning of value",
    )
    assert call(standin, "POST", "/v1/jobs", {}) == (400, "Job must be specified")
    assert call(standin, "POST", "/v1/jobs", {"Job": {"Name": "x"}}) == (
        400,
        "Job ID hasn't been provided",
    )


def test_standin_answers_empty_for_a_job_it_does_not_have(standin: NomadStandin) -> None:
    """Answer 200 [] for its allocations, 200 null for its deployment, as Nomad does."""
    assert call(standin, "GET", "/v1/job/nope/allocations") == (200, [])
    assert call(standin, "GET", "/v1/job/nope/deployment") == (200, None)
    assert call(standin, "GET", "/v1/job/nope/versions") == (404, "job versions not found")
    assert call(standin, "GET", "/v1/job/nope/scale") == (404, "job not found")


def test_standin_register_answers_like_nomad(standin: NomadStandin) -> None:
    """Answer a registration with JobRegisterResponse; same spec, same version."""
    first = register(standin)
    assert {"EvalID", "EvalCreateIndex", "JobModifyIndex", "Warnings"} <= first.keys()
    register(standin)
    assert call(standin, "GET", "/v1/job/app")[1]["Version"] == 0
    register(standin, "2")
    versions = call(standin, "GET", "/v1/job/app/versions")[1]["Versions"]
    assert [v["Version"] for v in versions] == [1, 0]


def test_standin_register_refuses_job_without_groups(standin: NomadStandin) -> None:
    """Refuse a job Nomad's validation would refuse, with Nomad's message."""
    assert call(standin, "POST", "/v1/jobs", {"Job": {"ID": "x", "TaskGroups": []}}) == (
        500,
        "1 error occurred:\n\t* Missing job task groups\n\n",
    )


def parse(standin: NomadStandin, job: str, variables: str = "") -> tuple[int, Any]:
    """Send a jobspec to /v1/jobs/parse, canonicalized, as `nomad job run` does."""
    body = {"JobHCL": job, "Variables": variables, "Canonicalize": True}
    return call(standin, "POST", "/v1/jobs/parse", body)


def test_standin_parse_evaluates_typed_variables_locals_and_dynamic_blocks(
    standin: NomadStandin,
) -> None:
    """Read web.nomad.hcl as jobspec2 does: a number given as "2" is 2, locals, `dynamic`."""
    code, job = parse(standin, WEB_JOB.read_text(encoding="utf-8"), 'instances = "2"\n')
    assert code == 200, job
    group = job["TaskGroups"][0]
    assert (group["Count"], group["Update"]["Canary"], group["Update"]["MinHealthyTime"]) == (
        2,
        2,
        30 * 10**9,
    )
    # A runtime interpolation stays text for the client to interpolate.
    assert group["Spreads"] == [{"Attribute": "${node.datacenter}", "Weight": 100}]
    assert group["Services"][0]["Tags"][1] == (
        "traefik.http.routers.web-production.rule=Host(`shop.example.com`)"
    )
    code, job = parse(standin, WEB_JOB.read_text(encoding="utf-8"), 'environment = "staging"\n')
    assert (code, job["TaskGroups"][0]["Count"], job["TaskGroups"][0]["Spreads"]) == (200, 1, None)


def test_standin_parse_only_warns_of_an_undeclared_variable(standin: NomadStandin) -> None:
    """Accept a value for a variable the job does not declare: the endpoint is not strict."""
    code, job = parse(standin, APP_JOB.read_text(encoding="utf-8"), 'release = "4"\ncolour = "red"')
    assert (code, job["Meta"]) == (200, {"release": "4"})


@pytest.mark.parametrize(
    ("job", "variables", "message"),
    [
        (
            'job "x" {\n  group "g" {\n',
            "",
            "input.hcl:2,13-14: Unclosed configuration block; There is no closing brace for "
            "this block before the end of the file. This may be caused by incorrect brace "
            "nesting elsewhere in this file.",
        ),
        (
            "APP",
            "release =\n",
            "unable to parse var content: input.hcl:1,10-2,1: Invalid expression; Expected the "
            "start of an expression, but found an invalid expression token.",
        ),
        (
            "WEB",
            'environment = "qa"',
            "input.hcl:1,15-19: Invalid value for varfile variable; The environment must be "
            "production or staging.\n\nThis was checked by the validation rule at "
            "input.hcl:14,3-13.",
        ),
        (
            'job "x" {\n  group "g" {\n    count = "two"\n    max_paralel = 1\n  }\n}\n',
            "",
            'input.hcl:4,5-16: Unsupported argument; An argument named "max_paralel" is not '
            "expected here.\ninput.hcl:3,14-17: Unsuitable value type; Unsuitable value: a "
            "number is required",
        ),
    ],
    ids=["syntax", "variables-syntax", "validation", "schema"],
)
def test_standin_parse_refuses_with_nomads_message(
    standin: NomadStandin, job: str, variables: str, message: str
) -> None:
    """Answer 400 with jobspec2's error, its ranges named input.hcl, as Nomad's endpoint does."""
    source = {"APP": APP_JOB, "WEB": WEB_JOB}.get(job)
    text = source.read_text(encoding="utf-8") if source else job
    assert parse(standin, text, variables) == (400, f"Failed to parse job: {message}")


def settle(standin: NomadStandin, version: int, until: str) -> dict[str, Any]:
    """Wait, without reading the API, until the deployment of `version` says `until`."""
    for _ in range(400):
        with standin.lock:
            found = [d for d in standin.deployments.values() if d["JobVersion"] == version]
            if found and until in (found[-1]["Status"], found[-1]["StatusDescription"]):
                return dict(found[-1])
        time.sleep(0.01)
    raise AssertionError(f"the deployment of version {version} never became {until}")


def test_standin_deployment_comes_after_the_evaluation(standin: NomadStandin) -> None:
    """Register answers first; the scheduler opens the deployment a moment later."""
    register(standin)
    settle(standin, 0, "successful")
    answer = register(standin, "2")
    assert {"EvalID", "EvalCreateIndex", "JobModifyIndex", "Warnings"} <= answer.keys()
    assert call(standin, "GET", "/v1/job/app/deployment")[1]["JobVersion"] == 0


def test_standin_deployment_waits_for_promotion(standin: NomadStandin) -> None:
    """Place canaries, decide their health on its own clock, wait for promotion."""
    register(standin)
    settle(standin, 0, "successful")
    assert call(standin, "GET", "/v1/job/app")[1]["Stable"] is True
    register(standin, "2")
    deployment = settle(standin, 1, "Deployment is running but requires manual promotion")
    assert call(standin, "GET", "/v1/job/app")[1]["Stable"] is False
    group = deployment["TaskGroups"]["app"]
    assert (group["DesiredCanaries"], group["HealthyAllocs"], group["Promoted"]) == (2, 2, False)
    promote = f"/v1/deployment/promote/{deployment['ID']}"
    assert call(standin, "POST", promote, {"All": True}) == (400, "DeploymentID must be specified")
    assert call(standin, "POST", promote, {"DeploymentID": "other", "All": True}) == (
        400,
        "Deployment ID does not match",
    )
    assert call(standin, "POST", "/v1/job/app/scale", {"Count": 3, "Target": {"Group": "app"}}) == (
        400,
        "job scaling blocked due to active deployment",
    )
    code, answer = call(standin, "POST", promote, {"DeploymentID": deployment["ID"], "All": True})
    assert code == 200
    assert {"EvalID", "DeploymentModifyIndex"} <= answer.keys()
    settle(standin, 1, "successful")
    assert call(standin, "GET", "/v1/job/app")[1]["Stable"] is True


def test_standin_unhealthy_canaries_revert_to_the_stable_version(standin: NomadStandin) -> None:
    """Fail the deployment, register the last stable version anew, deploy it."""
    register(standin)
    settle(standin, 0, "successful")
    standin.fail_next_deployment()
    register(standin, "2")
    failed = settle(standin, 1, "failed")
    assert failed["StatusDescription"] == (
        "Failed due to unhealthy allocations - rolling back to job version 0"
    )
    settle(standin, 2, "successful")
    versions = call(standin, "GET", "/v1/job/app/versions")[1]["Versions"]
    assert [(v["Version"], v["Stable"], v["Meta"]["release"]) for v in versions] == [
        (2, True, "1"),
        (1, False, "2"),
        (0, True, "1"),
    ]


def test_standin_service_job_gets_the_default_update_strategy(standin: NomadStandin) -> None:
    """Canonicalize a service job without an update block: Nomad's default strategy."""
    job = {"ID": "x", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "exec"}]}]}
    assert call(standin, "POST", "/v1/jobs", {"Job": job})[0] == 200
    update = call(standin, "GET", "/v1/job/x")[1]["TaskGroups"][0]["Update"]
    assert (update["MaxParallel"], update["Canary"], update["MinHealthyTime"]) == (1, 0, 10**10)
    settle(standin, 0, "successful")


def test_standin_replaces_a_failed_allocation(standin: NomadStandin) -> None:
    """Reschedule a failed allocation after the policy's delay; health is never redecided."""
    register(standin)
    settle(standin, 0, "successful")
    name = standin.make_unhealthy("app", 0)
    for _ in range(400):
        allocs = call(standin, "GET", "/v1/job/app/allocations")[1]
        live = [a for a in allocs if a["DesiredStatus"] == "run" and a["Name"] == name]
        if live and live[0]["ClientStatus"] == "running":
            break
        time.sleep(0.01)
    failed = [a for a in allocs if a["ClientStatus"] == "failed"]
    assert [(a["DesiredStatus"], a["DesiredDescription"]) for a in failed] == [
        ("stop", "alloc was rescheduled because it failed")
    ]
    assert failed[0]["DeploymentStatus"]["Healthy"] is True


def test_standin_revert_enforces_prior_version(standin: NomadStandin) -> None:
    """Refuse a revert to the current version, or over a version deployed meanwhile."""
    register(standin)
    register(standin, "2")
    body = {"JobID": "app", "JobVersion": 1}
    assert call(standin, "POST", "/v1/job/app/revert", body) == (
        500,
        "can't revert to current version",
    )
    body = {"JobID": "app", "JobVersion": 0, "EnforcePriorVersion": 0}
    assert call(standin, "POST", "/v1/job/app/revert", body) == (
        500,
        "Current job has version 1; enforcing version 0",
    )
    assert call(standin, "POST", "/v1/job/app/revert", {"JobID": "app", "JobVersion": 7}) == (
        500,
        'job "app" in namespace "default" at version 7 not found',
    )
    assert call(standin, "POST", "/v1/job/app/revert", {"JobID": "other", "JobVersion": 0}) == (
        400,
        "Job ID does not match",
    )


def test_standin_scale_enforces_nomad_limits(standin: NomadStandin) -> None:
    """Refuse negative counts, counts beyond the scaling policy, unknown groups."""
    register(standin)
    for _ in range(2):
        call(standin, "GET", "/v1/job/app/deployment")
    scale = "/v1/job/app/scale"
    assert call(standin, "POST", scale, {"Count": -1, "Target": {"Group": "app"}}) == (
        400,
        "scaling action count can't be negative",
    )
    assert call(standin, "POST", scale, {"Count": 9, "Target": {"Group": "app"}}) == (
        400,
        "group count was greater than scaling policy maximum: 9 > 6",
    )
    assert call(standin, "POST", scale, {"Count": 3, "Target": {}}) == (
        400,
        "missing task group name for scaling action",
    )
    assert call(standin, "POST", scale, {"Count": 3, "Target": {"Group": "app"}})[0] == 200
    assert call(standin, "GET", scale)[1]["TaskGroups"]["app"]["Desired"] == 3


def test_standin_snapshot_is_an_archive_with_its_digest(standin: NomadStandin) -> None:
    """Serve gzip(tar(meta.json, state.bin, SHA256SUMS)) and its sha-256 in `Digest`."""
    request = urllib.request.Request(standin.address + "/v1/operator/snapshot")
    request.add_header("X-Nomad-Token", TOKEN)
    with urllib.request.urlopen(request, timeout=10) as answer:
        data, digest = answer.read(), answer.headers["Digest"]
    assert digest == "sha-256=" + base64.b64encode(hashlib.sha256(data).digest()).decode()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        files = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    assert list(files) == ["meta.json", "state.bin", "SHA256SUMS"]
    assert files["SHA256SUMS"].decode().splitlines() == [
        f"{hashlib.sha256(files[n]).hexdigest()}  {n}" for n in ("meta.json", "state.bin")
    ]
