"""The CI workflow, checked offline: its shape, and that what it calls exists.

There is no GitHub runner here, so this is what keeps .github/workflows/ honest:
every `make` target, command, test file and option a step calls must exist in the
project, every job it needs must be defined, and the test job must run the
README's own command. The tools GitHub users rely on check it too, offline:
actionlint (syntax, expressions, outdated actions) and zizmor (unpinned actions,
tokens left behind, script injection), each finding as `file:line: tool rule: what`.
.github/dependabot.yml is validated against its schema, vendored from SchemaStore.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import BIN, ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WORKFLOW_IDS = [str(path.relative_to(ROOT)) for path in WORKFLOWS]
CI = ROOT / ".github" / "workflows" / "ci.yml"
DATA = ROOT / "tests" / "data" / "ci"
BAD = DATA / "bad-workflow.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
# SchemaStore's dependabot-2.0.json, from check-jsonschema 0.39.0 (tests/data/ci/README.md).
DEPENDABOT_SCHEMA = DATA / "dependabot-2.0.schema.json"
# A full commit SHA, then the release it is, for people and for Dependabot.
PINNED = re.compile(r"@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"\suses:\s*\S+@[0-9a-f]{40} # v\d+(\.\d+)*$")
SAFE_DIRECTORY = 'git config --global --add safe.directory "$GITHUB_WORKSPACE"'
MAKE_TARGET = re.compile(r"^([A-Za-z0-9_.$()/-]+)\s*:(?!=)", re.MULTILINE)
MAKE_VARIABLE = re.compile(r"^([A-Z_]+)\s*[:?]?=\s*(\S+)", re.MULTILINE)
# `make a b`, up to the end of the command (;, &&, ||, |, newline).
MAKE_CALL = re.compile(r"(?:^|[;&|]\s*|\n\s*)make\s+([^;&|\n]+)")
PROJECT_PATH = re.compile(r"(?<![\w./-])((?:scripts|tests|examples|\.ci)/[\w./-]+\.\w+)")
# A project command (pyproject.toml's [project.scripts], in .venv/bin) and its arguments.
COMMAND_CALL = re.compile(r"\.venv/bin/(publishing-[\w-]+)((?:\s+[^\s|;&>]+)*)")


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
        f"{shown}: jobs.build.steps[0]: actions/checkout@main is not pinned to a commit "
        "(@<full SHA> # vX.Y.Z)",
        f"{shown}: jobs.build.steps[1]: `make no-such-target`: no such target in the Makefile",
        f"{shown}: jobs.build.steps[2]: scripts/no-such-script.sh does not exist",
        f"{shown}: jobs.build.steps[3]: publishing-no-such-command is not a command of "
        "pyproject.toml",
        f"{shown}: jobs.build.steps[4]: publishing-linkcheck has no option --no-such-option",
        f"{shown}: jobs.build.steps[5]: both `uses` and `run`",
        f"{shown}:15: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 "
        "has no `# vX.Y.Z` comment after it",
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
    runs = [step.get("run") for step in job["steps"] if "run" in step]
    assert runs == [SAFE_DIRECTORY, "make test"]


def test_ci_container_jobs_mark_the_workspace_safe_for_git() -> None:
    """Git refuses a repository owned by another user: the pages would lose their dates."""
    problems = []
    for name, job in load(CI)["jobs"].items():
        steps = job.get("steps") or []
        uses = [step.get("uses", "") for step in steps]
        if "container" in job and any(use.startswith("actions/checkout@") for use in uses):
            after = steps[[use.startswith("actions/checkout@") for use in uses].index(True) + 1]
            if after.get("run") != SAFE_DIRECTORY:
                problems.append(f"jobs.{name}: no `{SAFE_DIRECTORY}` right after checkout")
    assert problems == []


def test_ci_nomad_job_runs_the_examples_against_a_real_agent() -> None:
    steps = load(CI)["jobs"]["nomad"]["steps"]
    runs = {step.get("name"): step for step in steps if "run" in step}
    install = runs["Install nomad ${{ env.NOMAD_VERSION }}"]
    assert install["env"]["FINGERPRINT"] == "798AEC654E5C15428C8E42EEAA16FCBCA621E701"
    assert '"nomad=$NOMAD_VERSION-1"' in install["run"]
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
    assert runs[-1] == "make mutants"
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
    changed = steps["Pages changed by this pull request"]["run"]
    assert ".venv/bin/publishing-changed-pages" in changed
    assert steps["Upload the site for GitHub Pages"]["uses"].startswith(
        "actions/upload-pages-artifact@"
    )
    # An empty SITE_URL would become site_url itself (!ENV): set only when known.
    assert steps["Publish at the Pages address"]["if"] == "steps.pages.outputs.base_url"
    assert all("SITE_URL" not in step.get("env", {}) for step in jobs["site"]["steps"])
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # Every other job keeps the workflow's read-only token.
    assert load(CI)["permissions"] == {"contents": "read"}
    assert [name for name, job in jobs.items() if "permissions" in job] == ["deploy"]
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


def test_workflows_pass_actionlint_and_zizmor() -> None:
    """GitHub's own rules (actionlint) and its attack surface (zizmor), on every workflow."""
    assert lint_problems(ROOT) == []


def test_workflow_lint_reports_planted_faults_with_file_and_line(tmp_path: Path) -> None:
    """An unpinned action, a pull request's title in a script, a suppression without reason."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    text = CI.read_text(encoding="utf-8")
    anchor = "      - name: make test\n"  # the faults go just before this step
    assert anchor in text
    planted = (
        "      - uses: actions/setup-node@v6\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo ok  # zizmor: ignore[template-injection]\n"
    )
    (workflows / "ci.yml").write_text(text.replace(anchor, planted + anchor, 1))
    line = text[: text.index(anchor)].count("\n") + 1
    shown = ".github/workflows/ci.yml"
    assert lint_problems(tmp_path) == [
        f"{shown}:{line}: zizmor unpinned-uses: unpinned action reference: "
        "action is not pinned to a hash (required by blanket policy)",
        f'{shown}:{line + 1}: actionlint expression: "github.event.pull_request.title" is '
        "potentially untrusted. avoid using it directly in inline scripts. instead, pass it "
        "through an environment variable. see https://docs.github.com/en/actions/reference/"
        "security/secure-use#good-practices-for-mitigating-script-injection-attacks "
        "for more details",
        f"{shown}:{line + 1}: zizmor template-injection: code injection via template expansion: "
        "may expand into attacker-controllable code",
        f"{shown}:{line + 2}: `# zizmor: ignore[...]` without its reason after it",
    ]


def test_workflow_lint_reports_a_broken_workflow_in_one_line_per_tool(tmp_path: Path) -> None:
    """A workflow that is not YAML: each tool says so in a line, never a traceback."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: [push\n")
    assert lint_problems(tmp_path) == [
        ".github/workflows/ci.yml:2: actionlint syntax-check: could not parse as YAML: "
        "did not find expected ',' or ']'",
        "zizmor failed (3): failed to parse input: did not find expected ',' or ']' at line 2 "
        "column 1, while parsing a flow sequence at line 1 column 5",
    ]


def test_dependabot_config_follows_its_schema() -> None:
    schema = json.loads(DEPENDABOT_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://json.schemastore.org/dependabot-2.0.json"
    assert schema_problems(load(DEPENDABOT), schema, ".github/dependabot.yml") == []


def test_dependabot_config_covers_actions_python_and_npm_weekly_grouped() -> None:
    updates = load(DEPENDABOT)["updates"]
    assert sorted(update["package-ecosystem"] for update in updates) == [
        "github-actions", "npm", "pip",
    ]  # fmt: skip
    for update in updates:
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        # One pull request per ecosystem and week: a single group takes every update.
        assert [group["patterns"] for group in update["groups"].values()] == [["*"]]
        assert update["cooldown"]["default-days"] >= 1


def test_dependabot_schema_check_reports_each_error() -> None:
    schema = json.loads(DEPENDABOT_SCHEMA.read_text(encoding="utf-8"))
    shown = "tests/data/ci/bad-dependabot.yml"
    assert schema_problems(load(DATA / "bad-dependabot.yml"), schema, shown) == [
        f"{shown}: updates[0].package-ecosystem: 'pypi' is not one of the allowed values",
        f"{shown}: updates[0].schedule.interval: 'hourly' is not one of the allowed values",
    ]


def lint_problems(root: Path) -> list[str]:
    """Run actionlint and zizmor (offline) on root's workflows; one line per finding."""
    workflows = sorted(str(path.relative_to(root))
                       for path in (root / ".github" / "workflows").glob("*.y*ml"))  # fmt: skip
    problems = actionlint_problems(root, workflows) + zizmor_problems(root, workflows)
    for name in workflows:
        text = (root / name).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search(r"#\s*zizmor:\s*ignore\[[^\]]*\]\s*$", line):
                problems.append(
                    f"{name}:{number}: `# zizmor: ignore[...]` without its reason after it"
                )
    return sorted(problems, key=by_file_and_line)


def by_file_and_line(problem: str) -> tuple[str, int, str]:
    """Order `file:line: ...` by file then line number; a tool's failure comes last."""
    found = re.match(r"([^:\s]+):(\d+): ", problem)
    return (found[1], int(found[2]), problem) if found else ("~", 0, problem)


def actionlint_problems(root: Path, workflows: list[str]) -> list[str]:
    """Return `file:line: actionlint kind: message` for each of actionlint's findings."""
    # Its shellcheck and pyflakes passes depend on PATH; the run blocks' shellcheck is above.
    result = subprocess.run([str(BIN / "actionlint"), "-shellcheck=", "-pyflakes=",
                             "-format", "{{json .}}", *workflows], cwd=root,
                            capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    if result.returncode not in (0, 1):
        return [f"actionlint failed ({result.returncode}): {tool_error(result.stderr)}"]
    return [f"{error['filepath']}:{error['line']}: actionlint {error['kind']}: {error['message']}"
            for error in json.loads(result.stdout or "[]")]  # fmt: skip


def zizmor_problems(root: Path, workflows: list[str]) -> list[str]:
    """Return `file:line: zizmor audit: what: where` for each of zizmor's findings, offline."""
    dependabot = DEPENDABOT.relative_to(ROOT)
    inputs = [*workflows, *([str(dependabot)] if (root / dependabot).exists() else [])]
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-exit-codes", "--color=never",
                             "--format=json", *inputs], cwd=root, capture_output=True, text=True,
                            check=False, timeout=120,
                            env={**os.environ, "RUST_BACKTRACE": "0"})  # fmt: skip
    if result.returncode != 0:
        return [f"zizmor failed ({result.returncode}): {tool_error(result.stderr)}"]
    problems = []
    for finding in json.loads(result.stdout):
        primary = next(location for location in finding["locations"]
                       if location["symbolic"]["kind"] == "Primary")  # fmt: skip
        path = primary["symbolic"]["key"]["Local"]["verbatim_path"]
        line = primary["concrete"]["location"]["start_point"]["row"] + 1
        what = f"{finding['desc']}: {primary['symbolic']['annotation']}"
        problems.append(f"{path}:{line}: zizmor {finding['ident']}: {what}")
    return problems


def schema_problems(document: object, schema: dict, shown: str) -> list[str]:
    """Validate a document; return `file: path.to.key: what is wrong` per error."""
    validator = jsonschema.Draft7Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda error: list(error.path)):
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
        message = error.message
        if error.validator == "enum":
            message = f"{error.instance!r} is not one of the allowed values"
        problems.append(f"{shown}: {where.lstrip('.') or '(top)'}: {message}")
    return list(dict.fromkeys(problems))  # the schema's branches can repeat an error


def tool_error(stderr: str) -> str:
    """Return the line of a tool's error output that says what went wrong."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for marker in ("failed to parse input: ", "error: "):
        for line in lines:
            if marker in line:
                return marker + line.split(marker, 1)[1]
    return lines[-1] if lines else "(no output)"


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
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split(" #", 1)[0]
        if PINNED.search(code.rstrip()) and not VERSION_COMMENT.search(line):
            action = code.split("uses:", 1)[1].strip()
            problems.append(f"{shown}:{number}: {action} has no `# vX.Y.Z` comment after it")
    return problems


def step_problems(step: dict, where: str, targets: set[str], root: Path) -> list[str]:
    """Check one step: a pinned action, or a command whose calls exist."""
    if "uses" in step and "run" in step:
        return [f"{where}: both `uses` and `run`"]
    if "uses" in step:
        action = step["uses"]
        if not action.startswith("./") and not PINNED.search(action):
            return [f"{where}: {action} is not pinned to a commit (@<full SHA> # vX.Y.Z)"]
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
    for command, arguments in COMMAND_CALL.findall(run):
        if command not in project_commands(root):
            problems.append(f"{where}: {command} is not a command of pyproject.toml")
            continue
        known = command_options(command)
        for option in re.findall(r"(?<!\S)(--[\w-]+)", arguments):
            if option not in known:
                problems.append(f"{where}: {command} has no option {option}")
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


def project_commands(root: Path) -> set[str]:
    """Return the commands pyproject.toml declares ([project.scripts])."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return set(project["project"].get("scripts", {}))


def command_options(command: str) -> set[str]:
    """Return the --options a project command's --help lists."""
    result = subprocess.run([str(BIN / command), "--help"], capture_output=True,
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
