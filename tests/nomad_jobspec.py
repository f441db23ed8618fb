"""Check Nomad jobspecs: HashiCorp's HCL grammar and formatter, and Nomad's own rules.

The grammar and the layout come from `hclfmt`, built from HashiCorp's HCL
sources (hclwrite.Format is what `nomad fmt` runs). The structural rules are
those `nomad job validate` enforces on the fields the examples use; they read
a small block tree with line numbers, so every problem is `path:line: message`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HCLFMT_CACHE = ROOT / ".cache" / "bin" / "hclfmt"
HCL_SOURCES = Path("/usr/share/gocode")
HCLFMT_HOWTO = (
    "hclfmt is missing: run `make test-examples`, which builds it from Debian's "
    "golang-github-hashicorp-hcl-v2-dev"
)


class ToolMissing(Exception):
    """A tool the checks need is not installed."""


def hclfmt() -> Path:
    """Return HashiCorp's hclfmt, building it from Debian's HCL sources when needed."""
    given = os.environ.get("HCLFMT") or shutil.which("hclfmt")
    if given:
        return Path(given)
    if HCLFMT_CACHE.exists():
        return HCLFMT_CACHE
    go = shutil.which("go")
    if not go or not (HCL_SOURCES / "src/github.com/hashicorp/hcl/v2/cmd/hclfmt").is_dir():
        raise ToolMissing(HCLFMT_HOWTO)
    HCLFMT_CACHE.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename: parallel workers never see half a binary.
    with tempfile.TemporaryDirectory(dir=HCLFMT_CACHE.parent) as tmp:
        env = dict(
            os.environ,
            GO111MODULE="off",
            GOPATH=str(HCL_SOURCES),
            GOCACHE=str(ROOT / ".cache" / "go-build"),
            GOFLAGS="",
        )
        built = Path(tmp) / "hclfmt"
        subprocess.run(
            [go, "build", "-o", str(built), "github.com/hashicorp/hcl/v2/cmd/hclfmt"],
            env=env,
            check=True,
            capture_output=True,
        )
        os.replace(built, HCLFMT_CACHE)
    return HCLFMT_CACHE


_DIAGNOSTIC = re.compile(
    r"^(?:Error|Warning): (?P<summary>.+)\n\n\s+on (?P<file>.+?) line "
    r"(?P<line>\d+)",
    re.MULTILINE,
)


def job_problems(path: Path, shown: str) -> list[str]:
    """Check a jobspec: grammar first, then layout and Nomad's rules on what parsed."""
    problems = grammar_problems(path, shown)
    if problems:
        return problems
    source = path.read_text(encoding="utf-8")
    return format_problems(path, shown) + structure_problems(source, shown)


def grammar_problems(path: Path, shown: str) -> list[str]:
    """Parse a file with HashiCorp's HCL parser; return its errors as `shown:line: msg`."""
    result = subprocess.run(
        [str(hclfmt()), "-check", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return []
    found = [f"{shown}:{m['line']}: {m['summary']}" for m in _DIAGNOSTIC.finditer(result.stderr)]
    return found or [f"{shown}:1: hclfmt failed: {result.stderr.strip()}"]


def format_problems(path: Path, shown: str) -> list[str]:
    """Compare a file with what hclwrite.Format (`nomad fmt`) makes of it."""
    result = subprocess.run([str(hclfmt()), str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return []  # a syntax error: grammar_problems reports it
    have = path.read_text(encoding="utf-8").splitlines()
    want = result.stdout.splitlines()
    for number, (line, expected) in enumerate(zip(have, want, strict=False), start=1):
        if line != expected:
            return [
                f"{shown}:{number}: not formatted as `nomad fmt` would leave it: "
                f"expected {expected!r}, found {line!r}"
            ]
    if len(have) != len(want):
        return [
            f"{shown}:{min(len(have), len(want)) + 1}: not formatted as `nomad fmt` "
            f"would leave it: {len(want)} lines expected, {len(have)} found"
        ]
    return []


@dataclass
class Attr:
    """An attribute: its raw expression (heredocs as their text) and its line."""

    name: str
    raw: str
    line: int

    @property
    def text(self) -> str | None:
        """Return the value of a plain string literal, None for any other expression."""
        if re.fullmatch(r'"[^"\\]*"', self.raw):
            return self.raw[1:-1]
        return None

    @property
    def number(self) -> int | None:
        """Return the value of an integer literal, None for any other expression."""
        return int(self.raw) if re.fullmatch(r"-?\d+", self.raw) else None


@dataclass
class Block:
    """A block: its type, labels, line, attributes and nested blocks."""

    type: str
    labels: list[str]
    line: int
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def children(self, kind: str) -> list[Block]:
        """Return the nested blocks of one type, `dynamic` ones included."""
        found = [b for b in self.blocks if b.type == kind]
        for dynamic in self.blocks:
            if dynamic.type == "dynamic" and dynamic.labels == [kind]:
                found += [
                    Block(kind, [], c.line, c.attrs, c.blocks) for c in dynamic.children("content")
                ]
        return found

    @property
    def name(self) -> str:
        """Return the first label, the name of a job, group or task."""
        return self.labels[0] if self.labels else ""

    def walk(self):
        """Yield this block and every block inside it."""
        yield self
        for block in self.blocks:
            yield from block.walk()


_BLOCK = re.compile(r'^([A-Za-z_][\w-]*)((?:\s+"[^"]*")*)\s*\{(.*)$')
_ATTR = re.compile(r"^([A-Za-z_][\w-]*)\s*=\s*(.*)$")
_HEREDOC = re.compile(r"^<<-?([A-Za-z_]\w*)$")


def _code(line: str) -> tuple[str, int]:
    """Strip a trailing comment; return the code and its bracket depth change."""
    depth, quoted, escaped = 0, False, False
    for i, char in enumerate(line):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            continue
        if char == '"':
            quoted = True
        elif char == "#" or line.startswith("//", i):
            return line[:i].rstrip(), depth
        elif char in "[({":
            depth += 1
        elif char in "])}":
            depth -= 1
    return line.rstrip(), depth


def read_blocks(source: str) -> Block:
    """Read the block tree of a jobspec that HCL's own parser accepted."""
    root = Block("", [], 0)
    stack = [root]
    heredoc: tuple[str, Attr] | None = None
    pending: tuple[Attr, int] | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        if heredoc:
            marker, attr = heredoc
            if raw.strip() == marker:
                heredoc = None
            else:
                attr.raw += raw.strip() + "\n"
            continue
        code, depth = _code(raw)
        line = code.strip()
        if pending:
            attr, open_brackets = pending
            attr.raw += " " + line
            pending = (attr, open_brackets + depth) if open_brackets + depth > 0 else None
            continue
        if not line:
            continue
        if line == "}":
            stack.pop()
            continue
        block = _BLOCK.match(line)
        if block:
            labels = re.findall(r'"([^"]*)"', block.group(2))
            new = Block(block.group(1), labels, number)
            stack[-1].blocks.append(new)
            inner = block.group(3).strip()
            if inner.endswith("}"):
                for part in filter(None, (p.strip() for p in inner[:-1].split(","))):
                    attr = _ATTR.match(part)
                    if attr:
                        new.attrs[attr.group(1)] = Attr(attr.group(1), attr.group(2), number)
            else:
                stack.append(new)
            continue
        match = _ATTR.match(line)
        if match:
            attr = Attr(match.group(1), match.group(2).strip(), number)
            stack[-1].attrs[attr.name] = attr
            marker = _HEREDOC.match(attr.raw)
            if marker:
                heredoc = (marker.group(1), attr)
                attr.raw = ""
            elif depth > 0:
                pending = (attr, depth)
    return root


_DURATION = re.compile(r"^(\d+(ns|us|ms|s|m|h))+$")
_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_UPDATE_FIELDS = {
    "max_parallel",
    "health_check",
    "min_healthy_time",
    "healthy_deadline",
    "progress_deadline",
    "auto_revert",
    "auto_promote",
    "canary",
    "stagger",
}


def _seconds(value: str) -> float:
    return sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)(ns|us|ms|s|m|h)", value))


def structure_problems(source: str, shown: str) -> list[str]:
    """Check the rules Nomad enforces when it validates a job; return `shown:line: msg`."""
    root = read_blocks(source)
    problems: list[tuple[int, str]] = []
    jobs = root.children("job")
    if len(jobs) != 1:
        problems.append((1, f"a jobspec has exactly one job block, found {len(jobs)}"))
    for job in jobs:
        problems += _job_problems(job)
    return [f"{shown}:{line}: {message}" for line, message in sorted(problems)]


def _job_problems(job: Block) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    kind_attr = job.attrs.get("type")
    kind = kind_attr.text if kind_attr else "service"
    if kind is None:
        # The type is an expression: only `nomad job validate` can evaluate it.
        kind = "service"
    elif kind not in ("service", "batch", "system", "sysbatch"):
        problems.append(
            (
                kind_attr.line,
                f'job "{job.name}": invalid type {kind_attr.raw} '
                "(service, batch, system or sysbatch)",
            )
        )
    for periodic in job.children("periodic"):
        if kind not in ("batch", "sysbatch"):
            problems.append(
                (
                    periodic.line,
                    f'job "{job.name}": periodic is only for batch and sysbatch jobs, not "{kind}"',
                )
            )
        if not {"cron", "crons"} & periodic.attrs.keys():
            problems.append((periodic.line, f'job "{job.name}": periodic needs cron or crons'))
    groups = job.children("group")
    if not groups:
        problems.append((job.line, f'job "{job.name}" has no group'))
    problems += _duplicates(groups, "group", f'job "{job.name}"')
    for update in job.children("update"):
        problems += _update_problems(update, f'job "{job.name}"', kind)
    for group in groups:
        problems += _group_problems(group, kind)
    return problems


def _duplicates(blocks: list[Block], kind: str, where: str) -> list[tuple[int, str]]:
    seen: dict[str, int] = {}
    problems = []
    for block in blocks:
        if block.name in seen:
            problems.append(
                (
                    block.line,
                    f'{kind} "{block.name}" is defined twice in {where} '
                    f"(first on line {seen[block.name]})",
                )
            )
        seen.setdefault(block.name, block.line)
    return problems


def _update_problems(update: Block, where: str, kind: str) -> list[tuple[int, str]]:
    problems = []
    if kind not in ("service", "system"):
        problems.append((update.line, f'{where}: job type "{kind}" does not allow update'))
    for name, attr in update.attrs.items():
        if name not in _UPDATE_FIELDS:
            problems.append((attr.line, f'{where}: update has no argument "{name}"'))
    for name in ("max_parallel", "canary"):
        attr = update.attrs.get(name)
        if attr and attr.number is not None and attr.number < 0:
            problems.append((attr.line, f"{where}: update {name} can not be less than zero"))
    check = update.attrs.get("health_check")
    if check and check.text not in (None, "checks", "task_states", "manual"):
        problems.append(
            (
                check.line,
                f"{where}: update health_check must be checks, "
                f"task_states or manual, not {check.raw}",
            )
        )
    times = {}
    for name in ("min_healthy_time", "healthy_deadline", "progress_deadline", "stagger"):
        attr = update.attrs.get(name)
        if attr and attr.text is not None:
            if not _DURATION.match(attr.text):
                problems.append((attr.line, f"{where}: update {name} is no duration: {attr.raw}"))
            else:
                times[name] = (_seconds(attr.text), attr.line)
    if {"min_healthy_time", "healthy_deadline"} <= times.keys() and times["min_healthy_time"][
        0
    ] >= times["healthy_deadline"][0]:
        problems.append(
            (
                times["min_healthy_time"][1],
                f"{where}: update min_healthy_time must be less than healthy_deadline",
            )
        )
    if {"healthy_deadline", "progress_deadline"} <= times.keys():
        progress = times["progress_deadline"][0]
        if progress and times["healthy_deadline"][0] >= progress:
            problems.append(
                (
                    times["healthy_deadline"][1],
                    f"{where}: update healthy_deadline must be less than progress_deadline",
                )
            )
    promote, canary = update.attrs.get("auto_promote"), update.attrs.get("canary")
    if promote and promote.raw == "true" and (canary is None or canary.number == 0):
        problems.append(
            (promote.line, f"{where}: update auto_promote needs a canary count greater than zero")
        )
    return problems


def _group_problems(group: Block, kind: str) -> list[tuple[int, str]]:
    where = f'group "{group.name}"'
    problems: list[tuple[int, str]] = []
    tasks = group.children("task")
    if not tasks:
        problems.append((group.line, f"{where} has no task"))
    problems += _duplicates(tasks, "task", where)
    for update in group.children("update"):
        problems += _update_problems(update, where, kind)
    ports = {p.name for n in group.children("network") for p in n.children("port")}
    volumes = {v.name for v in group.children("volume")}
    for service in group.children("service") + [s for t in tasks for s in t.children("service")]:
        problems += _service_problems(service, ports)
    for task in tasks:
        problems += _task_problems(task, volumes)
    return problems


def _service_problems(service: Block, ports: set[str]) -> list[tuple[int, str]]:
    problems = []
    name = service.attrs.get("name")
    where = f'service "{name.text if name else "?"}"'
    port = service.attrs.get("port")
    if port and port.text is not None and not port.text.isdigit() and port.text not in ports:
        problems.append(
            (port.line, f'{where}: port "{port.text}" is not a port of the group\'s network')
        )
    for check in service.children("check"):
        check_type = check.attrs.get("type")
        kind = check_type.text if check_type else None
        if kind not in ("http", "tcp", "grpc", "script", "ttl", None) and check_type:
            problems.append(
                (
                    check_type.line,
                    f"{where}: check type {check_type.raw} is not http, tcp, grpc, script or ttl",
                )
            )
        for needed in ("interval", "timeout"):
            if kind != "ttl" and needed not in check.attrs:
                problems.append((check.line, f"{where}: check needs {needed}"))
        if kind == "http" and "path" not in check.attrs:
            problems.append((check.line, f"{where}: an http check needs a path"))
    return problems


def _task_problems(task: Block, volumes: set[str]) -> list[tuple[int, str]]:
    where = f'task "{task.name}"'
    problems = []
    if "driver" not in task.attrs:
        problems.append((task.line, f"{where} has no driver"))
    destinations: dict[str, int] = {}
    for template in task.children("template"):
        target = template.attrs.get("destination")
        if target is None:
            problems.append((template.line, f"{where}: template needs a destination"))
        elif target.raw in destinations:
            problems.append(
                (
                    target.line,
                    f"{where}: template destination {target.raw} is "
                    f"used twice (first on line {destinations[target.raw]})",
                )
            )
        else:
            destinations[target.raw] = target.line
        mode = template.attrs.get("change_mode")
        if mode and mode.text not in (None, "restart", "signal", "noop", "script"):
            problems.append(
                (
                    mode.line,
                    f"{where}: template change_mode must be restart, "
                    f"signal, noop or script, not {mode.raw}",
                )
            )
        if mode and mode.text == "signal" and "change_signal" not in template.attrs:
            problems.append(
                (mode.line, f'{where}: template change_mode "signal" needs a change_signal')
            )
    for lifecycle in task.children("lifecycle"):
        hook = lifecycle.attrs.get("hook")
        if hook is None or hook.text not in (None, "prestart", "poststart", "poststop"):
            problems.append(
                (lifecycle.line, f"{where}: lifecycle hook must be prestart, poststart or poststop")
            )
    for mount in task.children("volume_mount"):
        volume = mount.attrs.get("volume")
        if volume and volume.text is not None and volume.text not in volumes:
            problems.append(
                (volume.line, f'{where}: volume "{volume.text}" is not a volume of the group')
            )
    return problems
