"""The CI workflow, checked offline: its shape, and that what it calls exists.

There is no GitHub runner here, so this is what keeps .github/workflows/ honest:
every `make` target, script, test file and option a step calls must exist in the
project, every job it needs must be defined, and the test job must run the
README's own command.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WORKFLOW_IDS = [str(path.relative_to(ROOT)) for path in WORKFLOWS]
CI = ROOT / ".github" / "workflows" / "ci.yml"
BAD = ROOT / "tests" / "data" / "ci" / "bad-workflow.yml"
MAKE_TARGET = re.compile(r"^([A-Za-z0-9_.$()/-]+)\s*:(?!=)", re.MULTILINE)
MAKE_VARIABLE = re.compile(r"^([A-Z_]+)\s*[:?]?=\s*(\S+)", re.MULTILINE)
# `make a b`, up to the end of the command (;, &&, ||, |, newline).
MAKE_CALL = re.compile(r"(?:^|[;&|]\s*|\n\s*)make\s+([^;&|\n]+)")
PROJECT_PATH = re.compile(r"(?<![\w./-])((?:scripts|tests|examples|\.ci)/[\w./-]+\.\w+)")
SCRIPT_CALL = re.compile(r"(scripts/[\w-]+\.py)((?:\s+[^\s|;&>]+)*)")


def test_workflows_are_found() -> None:
    assert CI in WORKFLOWS


@pytest.mark.parametrize("path", WORKFLOWS, ids=WORKFLOW_IDS)
def test_workflow_calls_only_what_exists(path: Path) -> None:
    assert workflow_problems(path, ROOT) == []


def test_workflow_check_reports_each_broken_call() -> None:
    shown = "tests/data/ci/bad-workflow.yml"
    assert workflow_problems(BAD, ROOT) == [
        f"{shown}: jobs.build: no runs-on",
        f"{shown}: jobs.build.needs: no job 'lint'",
        f"{shown}: jobs.build.steps[0]: actions/checkout@main is not pinned to a version (@v4)",
        f"{shown}: jobs.build.steps[1]: `make no-such-target`: no such target in the Makefile",
        f"{shown}: jobs.build.steps[2]: scripts/no-such-script.py does not exist",
        f"{shown}: jobs.build.steps[3]: scripts/linkcheck.py has no option --no-such-option",
        f"{shown}: jobs.build.steps[4]: both `uses` and `run`",
    ]


def test_ci_runs_on_pull_requests_pushes_and_weekly() -> None:
    on = triggers(load(CI))
    assert set(on) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    assert [entry["cron"].split()[4] for entry in on["schedule"]] == ["1"]  # weekly


def test_ci_test_job_runs_the_readme_commands() -> None:
    assert readme_setup_commands() == ["make serve", "make test"]
    job = load(CI)["jobs"]["test"]
    assert job["runs-on"].startswith("ubuntu-")
    assert job["container"].endswith("-bookworm")  # Debian, for make's apt-get installs
    assert [step.get("run") for step in job["steps"] if "run" in step] == ["make test"]


def test_ci_nomad_job_runs_the_examples_against_a_real_agent() -> None:
    steps = load(CI)["jobs"]["nomad"]["steps"]
    assert any(step.get("uses", "").startswith("hashicorp/setup-nomad@") for step in steps)
    runs = {step.get("name"): step for step in steps if "run" in step}
    assert "nomad agent -dev -config=.ci/nomad-agent.hcl" in runs["Start nomad agent -dev"]["run"]
    agent = (ROOT / ".ci" / "nomad-agent.hcl").read_text(encoding="utf-8")
    assert re.search(r'plugin "raw_exec"', agent) and re.search(
        r"vault \{[^}]*enabled\s*=\s*true", agent
    )
    conformance = runs["The stand-in answers as the agent does (conformance)"]
    assert conformance["env"]["NOMAD_ADDR"] == "http://127.0.0.1:4646"
    assert shlex.split(conformance["run"]) == [
        ".venv/bin/pytest", "tests/test_nomad_conformance.py", "-n", "0",
    ]  # fmt: skip
    tests = runs["Example scripts and jobs against the agent"]
    assert tests["env"]["NOMAD_ADDR"] == "http://127.0.0.1:4646"
    assert shlex.split(tests["run"]) == [
        ".venv/bin/pytest", "tests/test_examples_scripts.py", "tests/test_examples_jobs.py",
        "-n", "0",
    ]  # fmt: skip
    checks = runs["nomad job validate and nomad fmt -check, every job"]["run"]
    assert 'nomad job validate "$job"' in checks and 'nomad fmt -check "$job"' in checks


def test_ci_mutants_job_runs_the_mutation_gate() -> None:
    jobs = load(CI)["jobs"]
    runs = [step.get("run") for step in jobs["mutants"]["steps"] if "run" in step]
    assert runs == ["make mutants"]
    assert "mutants" in jobs["deploy"]["needs"]
    assert "mutants" in make_targets(ROOT / "Makefile")
    # Too slow for `make test`, which must not run it.
    test_recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1]
    assert "mutants" not in test_recipe.split("\n\n", 1)[0]


def test_ci_site_job_checks_links_previews_and_publishes() -> None:
    jobs = load(CI)["jobs"]
    steps = {step.get("name"): step for step in jobs["site"]["steps"]}
    assert steps["Links between the pages and their anchors (make linkcheck)"]["run"] == (
        "make linkcheck"
    )
    external = steps["Links to other sites"]
    assert "--external" in external["run"]
    assert external["continue-on-error"] == "${{ github.event_name != 'schedule' }}"
    assert steps["Upload the built site (preview)"]["if"] == "github.event_name == 'pull_request'"
    assert "scripts/changed-pages.py" in steps["Pages changed by this pull request"]["run"]
    assert steps["Upload the site for GitHub Pages"]["uses"].startswith(
        "actions/upload-pages-artifact@"
    )
    # An empty SITE_URL would become site_url itself (!ENV): set only when known.
    assert steps["Publish at the Pages address"]["if"] == "steps.pages.outputs.base_url"
    assert all("SITE_URL" not in step.get("env", {}) for step in jobs["site"]["steps"])
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert "refs/heads/main" in deploy["if"]


def test_ci_properdocs_job_builds_the_same_site() -> None:
    runs = [step.get("run", "") for step in load(CI)["jobs"]["properdocs"]["steps"]]
    assert any("properdocs build --strict -f mkdocs.yml" in run for run in runs)
    assert any("diff -r" in run for run in runs)
    assert 'properdocs = ["properdocs==' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.parametrize("path", WORKFLOWS, ids=WORKFLOW_IDS)
def test_workflow_run_blocks_pass_shellcheck(path: Path, tmp_path: Path) -> None:
    """Each `run:` is a bash script (GitHub runs `bash -e {0}`): parse and lint it."""
    problems = []
    for where, run in run_blocks(load(path)):
        script = tmp_path / "step.sh"
        # ${{ expressions }} are substituted before bash sees the script.
        script.write_text("#!/usr/bin/env bash\nset -e\n" + re.sub(r"\$\{\{.*?\}\}", "x", run))
        problems += shellcheck_problems(script, where)
    assert problems == []


def test_workflow_run_check_reports_shellcheck_findings(tmp_path: Path) -> None:
    ((where, run),) = run_blocks(load(ROOT / "tests" / "data" / "ci" / "bad-run.yml"))
    script = tmp_path / "step.sh"
    script.write_text("#!/usr/bin/env bash\nset -e\n" + run)
    assert shellcheck_problems(script, where) == [
        "jobs.build.steps[0]: note: Double quote to prevent globbing and word splitting. [SC2086]"
    ]


def shellcheck_problems(script: Path, where: str) -> list[str]:
    """Run shellcheck on a step's script; return `where: level: message [SCnnnn]`."""
    shellcheck = str(Path(sys.executable).parent / "shellcheck")
    result = subprocess.run(
        [shellcheck, "--format=gcc", str(script)], capture_output=True, text=True, check=False
    )
    return [f"{where}: {line.split(': ', 1)[1]}" for line in result.stdout.splitlines()]


def run_blocks(workflow: dict) -> list[tuple[str, str]]:
    """Return (jobs.<job>.steps[<n>], script) for every step that runs a command."""
    return [
        (f"jobs.{name}.steps[{index}]", step["run"])
        for name, job in (workflow.get("jobs") or {}).items()
        for index, step in enumerate(job.get("steps") or [])
        if "run" in step
    ]


def workflow_problems(path: Path, root: Path) -> list[str]:
    """Check one workflow file; return `file: where: what is wrong` for each problem."""
    shown = str(path.relative_to(root))
    workflow = load(path)
    problems = []
    if not triggers(workflow):
        problems.append(f"{shown}: no `on` triggers")
    jobs = workflow.get("jobs") or {}
    if not jobs:
        problems.append(f"{shown}: no jobs")
    targets = make_targets(root / "Makefile")
    for name, job in jobs.items():
        where = f"{shown}: jobs.{name}"
        if "runs-on" not in job:
            problems.append(f"{where}: no runs-on")
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                problems.append(f"{where}.needs: no job '{need}'")
        for index, step in enumerate(job.get("steps") or []):
            problems += step_problems(step, f"{where}.steps[{index}]", targets, root)
    return problems


def step_problems(step: dict, where: str, targets: set[str], root: Path) -> list[str]:
    """Check one step: a pinned action, or a command whose calls exist."""
    if "uses" in step and "run" in step:
        return [f"{where}: both `uses` and `run`"]
    if "uses" in step:
        action = step["uses"]
        if not re.search(r"@v\d", action):
            return [f"{where}: {action} is not pinned to a version (@v4)"]
        return []
    if "run" not in step:
        return [f"{where}: neither `uses` nor `run`"]
    run = step["run"]
    problems = []
    for call in MAKE_CALL.findall(run):
        for word in shlex.split(call):
            if "=" not in word and not word.startswith("-") and word not in targets:
                problems.append(f"{where}: `make {word}`: no such target in the Makefile")
    for relative in PROJECT_PATH.findall(run):
        if not (root / relative).exists():
            problems.append(f"{where}: {relative} does not exist")
    for script, arguments in SCRIPT_CALL.findall(run):
        if (root / script).exists():
            known = script_options(root / script)
            for option in re.findall(r"(?<!\S)(--[\w-]+)", arguments):
                if option not in known:
                    problems.append(f"{where}: {script} has no option {option}")
    return problems


def make_targets(makefile: Path) -> set[str]:
    """Return the Makefile's targets, with $(VARIABLE) expanded (.venv/.installed)."""
    text = makefile.read_text(encoding="utf-8")
    variables = dict(MAKE_VARIABLE.findall(text))
    targets = set()
    for target in MAKE_TARGET.findall(text):
        for _ in range(3):  # $(STAMP) -> $(VENV)/.installed -> .venv/.installed
            target = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), target)
        targets.add(target)
    return targets


def script_options(script: Path) -> set[str]:
    """Return the --options a script's --help lists."""
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                            text=True, check=False, timeout=60)  # fmt: skip
    return set(re.findall(r"(--[\w-]+)", result.stdout))


def readme_setup_commands() -> list[str]:
    """Return the commands of the bash block under README.md's "## Set-up"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Set-up\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None, "README.md: no bash block under ## Set-up"
    return [line.split("#")[0].strip() for line in block[1].splitlines() if line.strip()]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """Return the `on:` mapping (YAML 1.1 reads the bare key `on` as True)."""
    on = workflow.get("on", workflow.get(True)) or {}
    return {name: None for name in on} if isinstance(on, list) else on
