"""The Nomad stand-in answers like Nomad: shapes, status codes and the refusals Nomad makes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nomad_standin import NomadStandin

APP_JOB = Path(__file__).resolve().parent / "data" / "examples" / "app.nomad.hcl"
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
    code, message = call(standin, "POST", "/v1/jobs", raw=b"{not json")
    assert code == 400
    assert message.startswith("Failed to decode request body: ")
    assert call(standin, "POST", "/v1/jobs", {}) == (400, "Job must be specified")
    assert call(standin, "POST", "/v1/jobs", {"Job": {"Name": "x"}}) == (
        400,
        "Job ID hasn't been provided",
    )


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


def test_standin_deployment_waits_for_promotion(standin: NomadStandin) -> None:
    """Place canaries, report them healthy, wait for promotion, then succeed."""
    register(standin)
    call(standin, "GET", "/v1/job/app/deployment")
    call(standin, "GET", "/v1/job/app/deployment")
    register(standin, "2")
    states = [call(standin, "GET", "/v1/job/app/deployment")[1] for _ in range(3)]
    deployment = states[-1]
    group = deployment["TaskGroups"]["app"]
    assert (deployment["Status"], group["DesiredCanaries"], group["HealthyAllocs"]) == (
        "running",
        2,
        2,
    )
    assert deployment["StatusDescription"] == "Deployment is running but requires manual promotion"
    assert call(
        standin,
        "POST",
        f"/v1/deployment/promote/{deployment['ID']}",
        {"DeploymentID": "other", "All": True},
    ) == (400, "Deployment ID does not match")
    code, answer = call(
        standin,
        "POST",
        f"/v1/deployment/promote/{deployment['ID']}",
        {"DeploymentID": deployment["ID"], "All": True},
    )
    assert code == 200
    assert {"EvalID", "DeploymentModifyIndex"} <= answer.keys()
    assert call(standin, "GET", "/v1/job/app/deployment")[1]["Status"] == "successful"


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


def test_standin_snapshot_is_a_gzip_archive(standin: NomadStandin) -> None:
    """Serve a gzip archive, or the refusal it was told to make."""
    request = urllib.request.Request(standin.address + "/v1/operator/snapshot")
    request.add_header("X-Nomad-Token", TOKEN)
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.read()[:2] == b"\x1f\x8b"
    standin.refuse_snapshots(500, "raft: snapshot failed")
    assert call(standin, "GET", "/v1/operator/snapshot") == (500, "raft: snapshot failed")
