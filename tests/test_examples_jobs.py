"""The Nomad jobs of the examples: HCL grammar, `nomad fmt` layout, Nomad's rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from nomad_jobspec import (
    ROOT,
    ToolMissing,
    format_problems,
    grammar_problems,
    hclfmt,
    job_problems,
    structure_problems,
)

JOBS = sorted(ROOT.glob("examples/**/*.nomad.hcl"))
JOB_IDS = [str(path.relative_to(ROOT)) for path in JOBS]
BAD = ROOT / "tests" / "data" / "examples"


@pytest.fixture(scope="session", autouse=True)
def hashicorp_hclfmt() -> Path:
    """Find or build hclfmt once; a missing toolchain is a failure that says what to run."""
    try:
        return hclfmt()
    except ToolMissing as missing:
        pytest.fail(str(missing), pytrace=False)


def test_jobs_are_found() -> None:
    """Guard the discovery: the chapter 3 jobs are there to be parametrized."""
    assert {
        "web-simple.nomad.hcl",
        "web.nomad.hcl",
        "worker.nomad.hcl",
        "cron.nomad.hcl",
        "migrate.nomad.hcl",
    } <= {path.name for path in JOBS}


@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_parses_with_hcl_grammar(path: Path) -> None:
    """Parse the job with HashiCorp's HCL parser."""
    assert grammar_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_is_formatted_like_nomad_fmt(path: Path) -> None:
    """Keep the job as `nomad fmt` (hclwrite.Format) would leave it."""
    assert format_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_follows_nomad_rules(path: Path) -> None:
    """Check the structural rules `nomad job validate` enforces."""
    shown = str(path.relative_to(ROOT))
    assert structure_problems(path.read_text(encoding="utf-8"), shown) == []


@pytest.mark.nomad_cli
@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_passes_nomad_job_validate(path: Path) -> None:
    """Run Nomad's own validation when the nomad binary is installed."""
    nomad = shutil.which("nomad")
    if nomad is None:
        pytest.skip(
            "the nomad binary is not on PATH (it cannot be installed here; CI with "
            "a Nomad agent runs this)"
        )
    result = subprocess.run(
        [nomad, "job", "validate", str(path)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, f"{path.relative_to(ROOT)}: {result.stdout}{result.stderr}"


def test_job_check_reports_syntax_error_with_file_and_line() -> None:
    """Report an unclosed block where HCL's parser sees it."""
    shown = "tests/data/examples/missing-brace.nomad.hcl"
    assert job_problems(ROOT / shown, shown) == [f"{shown}:3: Unclosed configuration block"]


def test_job_check_reports_layout_nomad_fmt_would_change() -> None:
    """Report the first line `nomad fmt` would rewrite."""
    shown = "tests/data/examples/unformatted.nomad.hcl"
    assert job_problems(ROOT / shown, shown) == [
        f"{shown}:7: not formatted as `nomad fmt` would leave it: "
        "expected '      driver = \"docker\"', found '      driver=\"docker\"'"
    ]


def test_job_check_reports_every_broken_rule() -> None:
    """Report each rule the bad fixture breaks, with its line."""
    shown = "tests/data/examples/bad-structure.nomad.hcl"
    assert job_problems(ROOT / shown, shown) == [
        f'{shown}:4: job "broken": invalid type "daemon" (service, batch, system or sysbatch)',
        f'{shown}:6: job "broken": periodic is only for batch and sysbatch jobs, not "daemon"',
        f'{shown}:6: job "broken": periodic needs cron or crons',
        f'{shown}:10: job "broken": job type "daemon" does not allow update',
        f'{shown}:12: job "broken": update auto_promote needs a canary count greater than zero',
        f'{shown}:13: job "broken": update min_healthy_time must be less than healthy_deadline',
        f'{shown}:15: job "broken": update has no argument "rollback"',
        f'{shown}:25: service "web": port "https" is not a port of the group\'s network',
        f'{shown}:27: service "web": an http check needs a path',
        f'{shown}:27: service "web": check needs interval',
        f'{shown}:27: service "web": check needs timeout',
        f'{shown}:32: task "app" has no driver',
        f'{shown}:39: task "app": template change_mode "signal" needs a change_signal',
        f'{shown}:44: task "app": template destination "local/app.env" is used twice '
        "(first on line 38)",
        f'{shown}:49: task "app": volume "data" is not a volume of the group',
        f'{shown}:54: task "app" is defined twice in group "web" (first on line 32)',
        f'{shown}:57: task "app": lifecycle hook must be prestart, poststart or poststop',
        f'{shown}:63: group "empty" has no task',
    ]


def test_job_check_reports_more_than_one_job() -> None:
    """Refuse a file with two job blocks, as `nomad job run` does."""
    source = 'job "a" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n    }\n  }\n}\n'
    assert structure_problems(source + source.replace('"a"', '"b"'), "two.nomad.hcl") == [
        "two.nomad.hcl:1: a jobspec has exactly one job block, found 2"
    ]


@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_losing_a_closing_brace_is_caught(path: Path, tmp_path: Path) -> None:
    """Prove the checks bite: the job without its last brace must fail them."""
    source = path.read_text(encoding="utf-8")
    broken = tmp_path / path.name
    broken.write_text(source[: source.rstrip().rindex("}")], encoding="utf-8")
    job_line = next(
        number
        for number, line in enumerate(source.splitlines(), start=1)
        if line.startswith("job ")
    )
    assert job_problems(broken, path.name) == [
        f"{path.name}:{job_line}: Unclosed configuration block"
    ]
