"""The Nomad jobs of the examples: HCL grammar, `nomad fmt` layout, Nomad's decoding and rules.

Each job is read as `nomad job run` reads it (tools/hcljob: variables, locals,
expressions, dynamic blocks, Nomad's schema), with its defaults and with each
var-file it is used with (tests/data/jobs/vars/<job>.<name>.vars.hcl), then
checked against the rules of `Job.Validate` (tests/nomad_rules.md).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nomad_jobspec
import pytest
from nomad_jobspec import (
    ROOT,
    ToolMissing,
    format_problems,
    grammar_problems,
    hclfmt,
    hcljob,
    job_problems,
    read_job,
    structure_problems,
)

JOBS = sorted(ROOT.glob("examples/**/*.nomad.hcl"))
JOB_IDS = [str(path.relative_to(ROOT)) for path in JOBS]
VAR_FILES = ROOT / "tests" / "data" / "jobs" / "vars"
# Each job with its defaults, then with each var-file it is used with.
JOB_RUNS = [
    (job, var_file)
    for job in JOBS
    for var_file in [
        None,
        *sorted(VAR_FILES.glob(job.name.removesuffix(".nomad.hcl") + ".*.vars.hcl")),
    ]
]
JOB_RUN_IDS = [
    str(job.relative_to(ROOT)) + (f"+{var_file.name}" if var_file else "")
    for job, var_file in JOB_RUNS
]
BAD_JOBS_DIR = ROOT / "tests" / "data" / "jobs"
BAD_JOBS = {
    "check.nomad.hcl": [
        '{path}:14: group "web": Service[0] "web": Check ping invalid: invalid check type '
        '("ping"), must be one of grpc, tcp, http, script',
        '{path}:19: group "web": Service[0] "web": Check no-path invalid: http type must have '
        "http path",
        '{path}:26: group "web": Service[0] "web": Check no-interval invalid: missing required '
        "value interval. Interval cannot be less than 1s",
        '{path}:35: group "web": Service[0] "web": Check too-fast invalid: timeout (500ms) is '
        "lower than required minimum timeout 1s",
        '{path}:43: group "web": Service[0] "web": Check unknown-status invalid: invalid initial '
        'check state (unknown), must be one of "passing", "warning", "critical" or empty',
        '{path}:49: group "web": Service[1] "admin": Service provider must be "consul", or '
        '"nomad"; not "etcd"',
        '{path}:55: group "web": Service[2] "no-port": Check service: "no-port" check invalid: '
        'check requires a port but neither check nor service "no-port" have a port',
    ],
    "constraints.nomad.hcl": [
        '{path}:3: job "web": Constraint 1 validation failed: Operator "=" requires an RTarget',
        '{path}:8: group "web": Constraint 1 validation failed: No LTarget provided but is '
        "required by constraint",
        '{path}:8: group "web": Constraint 1 validation failed: Unknown constraint type "near"',
        '{path}:16: task "app": Constraint 1 has disallowed Operand at task level: distinct_hosts',
    ],
    "count-expression.nomad.hcl": [
        '{path}:13: group "web": Task group count can\'t be negative',
    ],
    "duplicate-block.nomad.hcl": [
        "{path}:8: Duplicate restart block; Only one restart block is allowed. Another was "
        "defined at {path}:4,5-12.",
        '{path}:18: Duplicate job block; Only one block of type "job" is allowed. Previous '
        "definition was at {path}:2,1-10.",
    ],
    "duplicate-names.nomad.hcl": [
        '{path}:3: group "web": Only one task may be marked as leader',
        "{path}:9: group \"web\": Task 2 redefines 'app' from task 1",
        "{path}:15: job \"web\": Job task group 2 redefines 'web' from group 1",
    ],
    "dynamic-block.nomad.hcl": [
        '{path}:11: Unsupported argument; An argument named "attributes" is not expected here. '
        'Did you mean "attribute"?',
    ],
    "invalid-cron.nomad.hcl": [
        '{path}:6: job "cleanup": Invalid cron spec "61 3 * * *": syntax error in minute field: '
        "'61'",
        '{path}:7: job "cleanup": Invalid time zone "Europe/Pariss": unknown time zone '
        "Europe/Pariss",
    ],
    "job-fields.nomad.hcl": [
        '{path}:2: job "web app": Job ID contains a space',
        '{path}:3: job "web app": Invalid job type: "daemon"',
        '{path}:4: job "web app": Job priority must be between [1, 100]',
        '{path}:5: job "web app": Job datacenter must be non-empty string',
    ],
    "lifecycle.nomad.hcl": [
        '{path}:10: task "wait": Lifecycle validation failed: invalid hook: prestop',
        '{path}:17: task "notify": Lifecycle validation failed: no lifecycle hook provided',
    ],
    "migrate.nomad.hcl": [
        '{path}:4: group "web": migrate: Invalid HealthCheck: "none"',
        '{path}:4: group "web": migrate: MaxParallel must be >= 0 but found -1',
        '{path}:4: group "web": migrate: MinHealthyTime must be less than HealthyDeadline',
    ],
    "negative-count.nomad.hcl": [
        '{path}:4: group "web": Task group count can\'t be negative',
    ],
    "network.nomad.hcl": [
        '{path}:9: group "web": Task group network validation failed: Port label http already in '
        "use by taskgroup network",
        '{path}:10: group "web": Task group network validation failed: Port "http" cannot be '
        "mapped to negative value -5",
        '{path}:14: group "web": Task group network validation failed: Static port 8080 already '
        "reserved by taskgroup network:http",
        '{path}:18: group "web": Task group network validation failed: Port metrics (70000) '
        "cannot be greater than 65535",
    ],
    "no-group.nomad.hcl": [
        '{path}:2: job "web": Missing job task groups',
    ],
    "parameterized.nomad.hcl": [
        '{path}:3: job "report": Parameterized job can only be used with "batch" or "sysbatch" '
        "scheduler",
        '{path}:3: job "report": Required and optional meta keys should be disjoint. Following '
        "keys exist in both: [customer]",
        '{path}:4: job "report": Unknown payload requirement: "maybe"',
    ],
    "periodic-service.nomad.hcl": [
        '{path}:3: job "web": Must specify a spec',
        '{path}:3: job "web": Periodic can only be used with "batch" or "sysbatch" scheduler',
    ],
    "reschedule.nomad.hcl": [
        '{path}:16: group "broken": reschedule: Max Delay cannot be less than 5s (got 1s)',
        '{path}:16: group "broken": reschedule: Max Delay cannot be less than Delay 1s (got 0s)',
        '{path}:18: group "broken": reschedule: If Attempts >0, Unlimited cannot also be set to '
        "true",
        '{path}:18: group "broken": reschedule: Reschedule Policy with Attempts = 3, Interval = '
        "24h0m0s, and Unlimited = true is ambiguous",
        '{path}:19: group "broken": reschedule: Delay cannot be less than 5s (got 1s)',
        '{path}:20: group "broken": reschedule: Invalid delay function "linear", must be one of '
        '["constant" "exponential" "fibonacci"]',
        '{path}:31: group "tight": reschedule: Nomad can only make 6 attempts in 1m0s with '
        'initial delay 10s and delay function "constant"',
        '{path}:31: group "tight": reschedule: Set the interval to at least 1m40s to accommodate '
        "10 attempts",
    ],
    "restart.nomad.hcl": [
        '{path}:4: group "web": restart: Nomad can\'t restart the TaskGroup 10 times in an '
        "interval of 5m0s with a delay of 1m0s",
        '{path}:8: group "web": restart: Unsupported restart mode: "retry"',
        '{path}:18: group "ambiguous": restart: Restart policy "delay" with 0 attempts is '
        "ambiguous",
        '{path}:19: group "ambiguous": restart: Interval can not be less than 5s (got 1s)',
    ],
    "scaling.nomad.hcl": [
        '{path}:6: group "web": Scaling policy invalid: task group count must not be greater than '
        "maximum count in scaling policy",
    ],
    "service-name.nomad.hcl": [
        '{path}:9: group "web": Service[0] "web_app": Service name must be valid per RFC 1123 and '
        "can contain only alphanumeric characters or dashes and must be no longer than 63 "
        'characters: "web_app"',
    ],
    "service-port.nomad.hcl": [
        '{path}:12: group "web": Service[0] "web": port label "https" referenced by services web '
        "does not exist",
        '{path}:20: task "app": service[0] "app": port label "metrics" referenced by services app '
        "does not exist",
    ],
    "system-job.nomad.hcl": [
        '{path}:6: group "agent": Job task group agent has count 3. Count cannot exceed 1 with '
        "system scheduler",
        '{path}:8: group "agent": reschedule: System jobs should not have a reschedule policy',
    ],
    "task-fields.nomad.hcl": [
        '{path}:8: task "app/v2": Missing task driver',
        '{path}:8: task "app/v2": Task name cannot include slashes',
        '{path}:8: task "app/v2": log storage (100 MB) must be less than requested disk capacity '
        "(100 MB)",
        '{path}:9: task "app/v2": KillTimeout must be a positive value',
        '{path}:10: task "app/v2": ShutdownDelay must be a positive value',
        '{path}:13: task "app/v2": minimum CPU value is 1; got 0',
        '{path}:14: task "app/v2": minimum MemoryMB value is 10; got 5',
    ],
    "templates.nomad.hcl": [
        '{path}:13: task "app": Template 2 has same destination as 1',
        '{path}:14: task "app": Template 2 validation failed: Must specify signal value when '
        "change mode is signal",
        '{path}:15: task "app": Template 2 validation failed: cannot use signals with env var '
        "templates",
        '{path}:20: task "app": Template 3 validation failed: destination escapes allocation '
        "directory",
        '{path}:21: task "app": Template 3 validation failed: Invalid change mode. Must be one of '
        "the following: noop, signal, script, restart",
        '{path}:25: task "app": Template 4 validation failed: Must specify a source path or have '
        "an embedded template",
        '{path}:31: task "app": Template 5 validation failed: must specify change script '
        "configuration value when change mode is script",
        '{path}:32: task "app": Template 5 validation failed: Must specify positive splay value',
        '{path}:33: task "app": Template 5 validation failed: Failed to parse "0999" as octal: '
        'strconv.ParseUint: parsing "0999": invalid syntax',
    ],
    "undeclared-variable.nomad.hcl": [
        '{path}:13: Unsupported attribute; This object does not have an attribute named "imag".',
    ],
    "unset-variable.nomad.hcl": [
        '{path}:2: Unset variable "image"; A used variable must be set or have a default value; '
        "see https://www.nomadproject.io/docs/job-specification/hcl2/variables for details.",
    ],
    "unsuitable-value.nomad.hcl": [
        '{path}:4: Unsuitable value type; Unsuitable duration value: time: unknown unit " '
        'minutes" in duration "5 minutes"',
        "{path}:8: Unsuitable value type; Unsuitable value: a number is required",
    ],
    "unsupported-argument.nomad.hcl": [
        '{path}:4: Unsupported argument; An argument named "max_paralel" is not expected here. '
        'Did you mean "max_parallel"?',
        '{path}:10: Unsupported argument; An argument named "kill_timout" is not expected here. '
        'Did you mean "kill_timeout"?',
    ],
    "unsupported-block.nomad.hcl": [
        '{path}:4: Unsupported block type; Blocks of type "services" are not expected here. Did '
        'you mean "service"?',
    ],
    "update-batch.nomad.hcl": [
        '{path}:6: group "migrate": update: Job type "batch" does not allow update block',
        '{path}:10: group "migrate": migrate: Job type "batch" does not allow migrate block',
    ],
    "update-values.nomad.hcl": [
        '{path}:4: group "web": update: Max parallel can not be less than zero: -1 < 0',
        '{path}:5: group "web": update: Invalid health check given: "http"',
        '{path}:6: group "web": update: Minimum healthy time must be less than healthy deadline: '
        "10m0s > 5m0s",
        '{path}:12: group "web": update: Canary count can not be less than zero: -1 < 0',
        '{path}:13: group "web": update: Healthy deadline must be less than progress deadline: '
        "5m0s > 4m0s",
        '{path}:15: group "web": update: Stagger must be greater than zero: 0s',
    ],
    "variable-validation.nomad.hcl": [
        "{path}:4: Invalid value for default variable; The environment must be production or "
        "staging. This was checked by the validation rule at {path}:6,3-13.",
    ],
    "volumes.nomad.hcl": [
        '{path}:5: group "web": Volume uploads has unrecognised type nfs',
        '{path}:9: group "web": Volume cache has an empty source',
        '{path}:17: task "app": Task app has a volume mount (0) referencing undefined volume '
        "upload",
    ],
}


@pytest.fixture(scope="session", autouse=True)
def hashicorp_tools() -> None:
    """Find or build hclfmt and hcljob once; a missing toolchain fails with what to run."""
    try:
        hclfmt()
        hcljob()
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
    assert "examples/chapitre-3/jobs/web.nomad.hcl+web.staging.vars.hcl" in JOB_RUN_IDS


@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_parses_with_hcl_grammar(path: Path) -> None:
    """Parse the job with HashiCorp's HCL parser."""
    assert grammar_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", JOBS, ids=JOB_IDS)
def test_job_is_formatted_like_nomad_fmt(path: Path) -> None:
    """Keep the job as `nomad fmt` (hclwrite.Format) would leave it."""
    assert format_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize(("path", "var_file"), JOB_RUNS, ids=JOB_RUN_IDS)
def test_job_follows_nomad_rules(path: Path, var_file: Path | None) -> None:
    """Decode the job as Nomad does and check the rules `nomad job validate` enforces."""
    var_files = [var_file] if var_file else []
    assert structure_problems(path, str(path.relative_to(ROOT)), var_files) == []


@pytest.mark.nomad_cli
@pytest.mark.parametrize(("path", "var_file"), JOB_RUNS, ids=JOB_RUN_IDS)
def test_job_passes_nomad_job_validate(path: Path, var_file: Path | None) -> None:
    """Run Nomad's own validation when the nomad binary is installed."""
    nomad = shutil.which("nomad")
    if nomad is None:
        pytest.skip(
            "the nomad binary is not on PATH (it cannot be installed here; CI with "
            "a Nomad agent runs this)"
        )
    command = [nomad, "job", "validate"]
    if var_file:
        command += ["-var-file", str(var_file)]
    result = subprocess.run(
        [*command, str(path)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, f"{path.relative_to(ROOT)}: {result.stdout}{result.stderr}"


def test_job_fixtures_have_their_messages() -> None:
    """Guard the discovery: every bad fixture has its expected messages, and each is a file."""
    assert sorted(BAD_JOBS) == sorted(p.name for p in BAD_JOBS_DIR.glob("*.nomad.hcl"))


@pytest.mark.parametrize("name", sorted(BAD_JOBS))
def test_job_check_reports_broken_rule(name: str) -> None:
    """Report each rule a bad fixture breaks, with Nomad's message, file and line."""
    shown = f"tests/data/jobs/{name}"
    expected = [message.replace("{path}", shown) for message in BAD_JOBS[name]]
    assert job_problems(ROOT / shown, shown) == expected


def test_job_check_reports_syntax_error_with_file_and_line() -> None:
    """Report an unclosed block where HCL's parser sees it."""
    shown = "tests/data/examples/missing-brace.nomad.hcl"
    assert job_problems(ROOT / shown, shown) == [
        f"{shown}:3: Unclosed configuration block; There is no closing brace for this block "
        "before the end of the file. This may be caused by incorrect brace nesting elsewhere "
        "in this file."
    ]


def test_job_check_reports_layout_nomad_fmt_would_change() -> None:
    """Report the first line `nomad fmt` would rewrite."""
    shown = "tests/data/examples/unformatted.nomad.hcl"
    assert job_problems(ROOT / shown, shown) == [
        f"{shown}:7: not formatted as `nomad fmt` would leave it: "
        "expected '      driver = \"docker\"', found '      driver=\"docker\"'"
    ]


def test_job_check_reports_every_broken_rule() -> None:
    """Report each rule the older bad fixture breaks, with its line."""
    shown = "tests/data/examples/bad-structure.nomad.hcl"
    job_update = 'update (the job\'s): Job type "daemon" does not allow update block'
    assert job_problems(ROOT / shown, shown) == [
        f'{shown}:4: job "broken": Invalid job type: "daemon"',
        f'{shown}:6: job "broken": Must specify a spec',
        f'{shown}:6: job "broken": Periodic can only be used with "batch" or "sysbatch" scheduler',
        f'{shown}:10: group "empty": {job_update}',
        f'{shown}:10: group "web": {job_update}',
        f'{shown}:12: group "empty": update (the job\'s): Auto Promote requires a Canary count '
        "greater than zero",
        f'{shown}:12: group "web": update (the job\'s): Auto Promote requires a Canary count '
        "greater than zero",
        f'{shown}:13: group "empty": update (the job\'s): Minimum healthy time must be less than '
        "healthy deadline: 10m0s > 5m0s",
        f'{shown}:13: group "web": update (the job\'s): Minimum healthy time must be less than '
        "healthy deadline: 10m0s > 5m0s",
        f'{shown}:24: group "web": Service[0] "web": port label "https" referenced by services '
        "web does not exist",
        f'{shown}:26: group "web": Service[0] "web": Check service: "web" check invalid: http '
        "type must have http path",
        f'{shown}:31: task "app": Missing task driver',
        f'{shown}:38: task "app": Template 1 validation failed: Must specify signal value when '
        "change mode is signal",
        f'{shown}:43: task "app": Template 2 has same destination as 1',
        f'{shown}:48: task "app": Task app has a volume mount (0) referencing undefined '
        "volume data",
        f"{shown}:53: group \"web\": Task 2 redefines 'app' from task 1",
        f'{shown}:57: task "app": Lifecycle validation failed: invalid hook: prestop',
        f'{shown}:62: group "empty": Missing tasks for task group',
    ]


def test_job_check_reads_variables_from_the_command_line() -> None:
    """Evaluate -var values as `nomad job run -var` does: validated, and only if declared."""
    path = ROOT / "examples/chapitre-3/jobs/web.nomad.hcl"
    shown = "web.nomad.hcl"
    assert structure_problems(path, shown, variables=["environment=staging"]) == []
    assert structure_problems(path, shown, variables=["environment=prod", "colour=blue"]) == [
        f'{shown}:1: Undefined -var variable; A "colour" variable was passed in the command '
        'line but was not found in known variables. To declare variable "colour", place this '
        "block in your job file",
        f"{shown}:14: Invalid value for cmd variable; The environment must be production or "
        f"staging. This was checked by the validation rule at {shown}:14,3-13.",
    ]


def test_job_check_reads_var_files(tmp_path: Path) -> None:
    """Evaluate a var-file as `-var-file` does: its values typed, its names declared."""
    path = ROOT / "examples/chapitre-3/jobs/web.nomad.hcl"
    var_file = tmp_path / "bad.vars.hcl"
    var_file.write_text('instances = "many"\nregion = "eu"\n', encoding="utf-8")
    shown = str(var_file)
    assert structure_problems(path, "web.nomad.hcl", [var_file]) == [
        f"{shown}:1: Invalid value for variable; The value for instances is not compatible "
        "with the variable's type constraint: a number is required.",
        f'{shown}:2: Undefined variable; A "region" variable was set but was not found in '
        'known variables. To declare variable "region", place this block in your job files',
    ]


def test_job_reader_evaluates_expressions_with_each_var_file() -> None:
    """Read what Nomad reads: the count and the dynamic spread follow the environment."""
    path = ROOT / "examples/chapitre-3/jobs/web.nomad.hcl"
    found = {}
    for name, var_files in (("production", []), ("staging", [VAR_FILES / "web.staging.vars.hcl"])):
        job = read_job(path, "web.nomad.hcl", var_files).job
        group = job.child("group") if job else None
        assert group is not None
        spreads = [spread.value("attribute") for spread in group.children("spread")]
        found[name] = (group.value("count"), spreads)
    assert found == {"production": (3, ["${node.datacenter}"]), "staging": (1, [])}


# Realistic edits of a job, each of which `nomad job validate` refuses: (name, the
# line to change, what it becomes, the message expected on that line).
MUTATIONS = [
    (
        "negative-count",
        r"^(\s+)count = .*$",
        r"\1count = -1",
        'group "{group}": Task group count can\'t be negative',
    ),
    (
        "typo-argument",
        r"^(\s+)driver = ",
        r"\1drver = ",
        'Unsupported argument; An argument named "drver" is not expected here. '
        'Did you mean "driver"?',
    ),
    (
        "bad-cron",
        r'"30 3 \* \* \*"',
        '"30 25 * * *"',
        'job "{job}": Invalid cron spec "30 25 * * *": syntax error in hour field: \'25\'',
    ),
    (
        "bad-health-check",
        r'health_check( +)= "[a-z_]+"',
        r'health_check\1= "http"',
        'group "{group}": update (the job\'s): Invalid health check given: "http"',
    ),
    (
        "undeclared-var",
        r"var\.image",
        "var.imag",
        'Unsupported attribute; This object does not have an attribute named "imag".',
    ),
]


def _mutants() -> list[tuple[Path, str, str, str, str]]:
    found = []
    for job in JOBS:
        source = job.read_text(encoding="utf-8")
        for name, pattern, replacement, message in MUTATIONS:
            if re.search(pattern, source, re.M):
                found.append((job, name, pattern, replacement, message))
    return found


MUTANTS = _mutants()


def test_job_mutants_cover_every_job() -> None:
    """Guard the mutations: each job meets at least one, each mutation at least one job."""
    assert {job.name for job, *_ in MUTANTS} == {job.name for job in JOBS}
    assert {name for _, name, *_ in MUTANTS} == {name for name, *_ in MUTATIONS}


@pytest.mark.parametrize(
    ("job", "name", "pattern", "replacement", "message"),
    MUTANTS,
    ids=[f"{job.relative_to(ROOT)}-{name}" for job, name, *_ in MUTANTS],
)
def test_job_mutation_is_caught(
    job: Path, name: str, pattern: str, replacement: str, message: str, tmp_path: Path
) -> None:
    """Prove the checks bite: a realistic edit of the job must turn them red, on its line."""
    del name  # in the test id
    source = job.read_text(encoding="utf-8")
    match = re.search(pattern, source, re.M)
    assert match
    line = source[: match.start()].count("\n") + 1
    mutant = tmp_path / job.name
    mutant.write_text(re.sub(pattern, replacement, source, count=1, flags=re.M), encoding="utf-8")
    names = re.findall(r'^(?:job|\s+group) "([^"]+)"', source, re.M)
    expected = message.format(job=names[0], group=names[1] if len(names) > 1 else "")
    assert f"{job.name}:{line}: {expected}" in job_problems(mutant, job.name)


def test_job_check_reports_more_than_one_job(tmp_path: Path) -> None:
    """Refuse a file with two job blocks, as `nomad job run` does."""
    source = 'job "a" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n    }\n  }\n}\n'
    path = tmp_path / "two.nomad.hcl"
    path.write_text(source + "\n" + source.replace('"a"', '"b"'), encoding="utf-8")
    assert structure_problems(path, "two.nomad.hcl") == [
        'two.nomad.hcl:9: Duplicate job block; Only one block of type "job" is allowed. '
        "Previous definition was at two.nomad.hcl:1,1-8."
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
        f"{path.name}:{job_line}: Unclosed configuration block; There is no closing brace for "
        "this block before the end of the file. This may be caused by incorrect brace nesting "
        "elsewhere in this file."
    ]


def test_hcljob_without_go_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Go, say what to run: no traceback, no half-built tool."""
    monkeypatch.setattr(nomad_jobspec, "CACHE", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("HCLJOB", raising=False)
    with pytest.raises(
        ToolMissing, match=r"^hcljob is missing .*no `go` on PATH.*make test-examples"
    ):
        hcljob()
    assert list(tmp_path.iterdir()) == []
