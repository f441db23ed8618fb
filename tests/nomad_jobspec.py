"""Check Nomad jobspecs: HashiCorp's HCL grammar and formatter, and Nomad's own rules.

One HCL reader: `tools/hcljob`, a Go program on HashiCorp's HCL and go-cty
(Debian's sources, built once into `.cache/bin`), reads a job as Nomad's
jobspec2 does: variables (defaults, `-var`, var-files), locals, expressions,
dynamic blocks, every block and argument against Nomad's schema
(`nomad_jobspec_schema.json`). Its diagnostics, and the rules of `Job.Validate`
applied to what it decoded (`nomad_rules.py`), are `path:line: message`.
The layout is `hclfmt`'s (hclwrite.Format is what `nomad fmt` runs).
The Nomad stand-in's /v1/jobs/parse reads its request's text with the same
program (`parse_jobspec`).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formatting import unformatted
from nomad_rules import job_rules

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bin"
HCL_SOURCES = Path("/usr/share/gocode")
SCHEMA = Path(__file__).resolve().parent / "nomad_jobspec_schema.json"
HCLJOB_SOURCE = ROOT / "tools" / "hcljob" / "main.go"
# Each Go tool: its package, and what must be in Debian's GOPATH to build it.
_TOOLS = {
    "hclfmt": ("github.com/hashicorp/hcl/v2/cmd/hclfmt", ["github.com/hashicorp/hcl/v2"]),
    "hcljob": (
        "./tools/hcljob",
        ["github.com/hashicorp/hcl/v2", "github.com/gorhill/cronexpr"],
    ),
}
HOWTO = (
    "{tool} is missing and cannot be built here ({why}): run `make test-examples`, "
    "which installs Go, golang-github-hashicorp-hcl-v2-dev and "
    "golang-github-gorhill-cronexpr-dev with apt-get and builds it into .cache/bin"
)


class ToolMissing(Exception):
    """A tool the checks need is not installed."""


def hclfmt() -> Path:
    """Return HashiCorp's hclfmt, building it from Debian's HCL sources when needed."""
    return _go_tool("hclfmt", os.environ.get("HCLFMT") or shutil.which("hclfmt"))


def hcljob() -> Path:
    """Return the jobspec reader, built from tools/hcljob when missing or older than its source."""
    return _go_tool("hcljob", os.environ.get("HCLJOB"))


def _go_tool(name: str, given: str | None) -> Path:
    if given:
        return Path(given)
    target = CACHE / name
    source = HCLJOB_SOURCE if name == "hcljob" else None
    if target.exists() and (source is None or target.stat().st_mtime >= source.stat().st_mtime):
        return target
    package, needs = _TOOLS[name]
    go = shutil.which("go")
    if not go:
        raise ToolMissing(HOWTO.format(tool=name, why="no `go` on PATH"))
    for need in needs:
        if not (HCL_SOURCES / "src" / need).is_dir():
            raise ToolMissing(HOWTO.format(tool=name, why=f"no {HCL_SOURCES}/src/{need}"))
    CACHE.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename: parallel workers never see half a binary.
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        env = dict(
            os.environ,
            GO111MODULE="off",
            GOPATH=str(HCL_SOURCES),
            GOCACHE=str(ROOT / ".cache" / "go-build"),
            GOFLAGS="",
        )
        built = Path(tmp) / name
        result = subprocess.run(
            [go, "build", "-o", str(built), package],
            env=env,
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ToolMissing(
                HOWTO.format(tool=name, why=f"go build failed: {result.stderr.strip()}")
            )
        os.replace(built, target)
    return target


@dataclass
class Attr:
    """An argument: its value once evaluated and converted (None if it could not be), its line."""

    name: str
    value: Any
    line: int


@dataclass
class Block:
    """A block as Nomad decodes it: its type, labels, line, arguments and nested blocks."""

    type: str
    labels: list[str]
    line: int
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        """Build a block from hcljob's JSON."""
        return cls(
            data["type"],
            data["labels"],
            data["line"],
            {name: Attr(name, a.get("value"), a["line"]) for name, a in data["attrs"].items()},
            [cls.from_json(child) for child in data["blocks"]],
        )

    def children(self, kind: str) -> list[Block]:
        """Return the nested blocks of one type (dynamic ones are already expanded)."""
        return [b for b in self.blocks if b.type == kind]

    def child(self, kind: str) -> Block | None:
        """Return the nested block of one type, if there is one."""
        found = self.children(kind)
        return found[0] if found else None

    def value(self, name: str, default: Any = None) -> Any:
        """Return an argument's value, or the default when it is not set (or null)."""
        attr = self.attrs.get(name)
        return default if attr is None or attr.value is None else attr.value

    def line_of(self, name: str) -> int:
        """Return the line of an argument, or the block's own line when it is not set."""
        attr = self.attrs.get(name)
        return attr.line if attr else self.line

    @property
    def name(self) -> str:
        """Return the first label, the name of a job, group or task."""
        return self.labels[0] if self.labels else ""

    def walk(self) -> Iterator[Block]:
        """Yield this block and every block inside it."""
        yield self
        for block in self.blocks:
            yield from block.walk()


@dataclass
class JobFile:
    """A jobspec as hcljob read it: its problems (`shown:line: msg`), the job, its crons."""

    problems: list[str]
    job: Block | None
    crons: dict[str, str]


def read_job(
    path: Path, shown: str, var_files: Sequence[Path] = (), variables: Sequence[str] = ()
) -> JobFile:
    """Read a jobspec with its variable values (`NAME=VALUE` as -var, var-files)."""
    files = (path, *var_files)
    # Read once per content: the key holds each file's modification time.
    stamps = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in files)
    return _read_job(
        path.resolve(), shown, tuple(p.resolve() for p in var_files), tuple(variables), stamps
    )


@functools.cache
def _read_job(
    path: Path,
    shown: str,
    var_files: tuple[Path, ...],
    variables: tuple[str, ...],
    stamps: tuple[int, ...],
) -> JobFile:
    del stamps  # part of the cache key only
    arguments = []
    for pair in variables:
        arguments += ["-var", pair]
    for var_file in var_files:
        arguments += ["-var-file", str(var_file)]
    try:
        data = _run_hcljob([*arguments, str(path)], ROOT)
    except HcljobFailed as error:
        return JobFile([f"{shown}:1: hcljob failed: {error}"], None, {})
    names = {str(path): shown, **{str(p): _shown(p) for p in var_files}}
    problems = set()
    for diag in data["diagnostics"]:
        if diag.get("warning"):
            continue
        where = names.get(diag["file"], diag["file"] or shown)
        # HCL's detail names files by the path given to hcljob, on several lines.
        detail = " ".join(diag["detail"].split())
        for given, name in names.items():
            detail = detail.replace(f"{given}:", f"{name}:")
        text = f"{diag['summary']}; {detail}" if detail else diag["summary"]
        # A dynamic block repeats its content's diagnostics once per element.
        problems.add((where, diag["line"], f"{where}:{diag['line']}: {text}"))
    job = Block.from_json(data["job"]) if data["job"] else None
    return JobFile([p for _, _, p in sorted(problems)], job, data["crons"])


@dataclass
class Parsed:
    """A jobspec as /v1/jobs/parse reads it: the error jobspec2 returns ("" if none), the job."""

    error: str
    job: Block | None


@functools.lru_cache(maxsize=256)
def parse_jobspec(source: str, variables: str) -> Parsed:
    """Read a jobspec's text as /v1/jobs/parse does (command/agent/job_endpoint.go).

    The job is `input.hcl`, `variables` its var content (named `input.hcl` too), and
    ParseConfig.Strict is unset: an undeclared variable is a warning, not an error.
    """
    with tempfile.TemporaryDirectory() as tmp:
        arguments = ["-strict=false"]
        Path(tmp, "input.hcl").write_text(source, encoding="utf-8")
        if variables:
            Path(tmp, "variables.hcl").write_text(variables, encoding="utf-8")
            arguments += ["-var-content", "variables.hcl"]
        data = _run_hcljob([*arguments, "input.hcl"], Path(tmp))
    if data["error"] or not data["job"]:
        return Parsed(data["error"], None)
    return Parsed("", Block.from_json(data["job"]))


class HcljobFailed(Exception):
    """hcljob could not run (not a problem of the jobspec): its standard error."""


def _run_hcljob(arguments: list[str], cwd: Path) -> dict[str, Any]:
    """Run hcljob against Nomad's schema; return its JSON."""
    result = subprocess.run(
        [str(hcljob()), "-schema", str(SCHEMA), *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    if result.returncode != 0:
        raise HcljobFailed(result.stderr.strip())
    return json.loads(result.stdout)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def job_problems(
    path: Path, shown: str, var_files: Sequence[Path] = (), variables: Sequence[str] = ()
) -> list[str]:
    """Check a jobspec: grammar first, then layout, decoding and Nomad's rules."""
    problems = grammar_problems(path, shown)
    if problems:
        return problems
    return format_problems(path, shown) + structure_problems(path, shown, var_files, variables)


def grammar_problems(path: Path, shown: str) -> list[str]:
    """Parse a file with HashiCorp's HCL parser; return its syntax errors as `shown:line: msg`."""
    result = subprocess.run(
        [str(hclfmt()), "-check", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return []
    found = read_job(path, shown).problems
    return found or [f"{shown}:1: hclfmt failed: {result.stderr.strip()}"]


def format_problems(path: Path, shown: str) -> list[str]:
    """Compare a file with what hclwrite.Format (`nomad fmt`) makes of it."""
    result = subprocess.run([str(hclfmt()), str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return []  # a syntax error: grammar_problems reports it
    return unformatted(shown, path.read_text(encoding="utf-8"), result.stdout, "`nomad fmt`")


def structure_problems(
    path: Path, shown: str, var_files: Sequence[Path] = (), variables: Sequence[str] = ()
) -> list[str]:
    """Decode a job as jobspec2 does, then apply `Job.Validate`'s rules (`shown:line: msg`)."""
    read = read_job(path, shown, var_files, variables)
    if read.problems or read.job is None:
        return read.problems
    return [f"{shown}:{line}: {message}" for line, message in job_rules(read.job, read.crons)]
