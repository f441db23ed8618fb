"""Check the claims a chapter makes against its examples (the `claims.yml` files).

Every problem is one line, `file:line: message`, naming the claim, what the
book says and what the example has instead; nothing here raises on bad input.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from kubernetes_manifests import read_manifests
from nomad_jobspec import ToolMissing, read_job

CHECKS = {
    "lines": {"says", "file"},
    "has": {"file", "patterns"},
    "job": {"file", "type"},
    "test": {"file", "test"},
    "manifest": {"file", "kinds"},
}
OPTIONAL = {"id", "quote", "quote_en", "check", "in_block", "tolerance", "blocks", "says", "note"}
_FENCE = re.compile(
    r"^(?P<indent> *)```(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)
CODE_LANGUAGES = {"bash", "sh", "shell", "console", "hcl", "nomad", "terraform"}


@dataclass
class Block:
    """A fenced code block of a page: its language, first line of code, and lines."""

    lang: str
    line: int
    lines: list[str]


@dataclass
class Page:
    """A page of the book, as text, lines and fenced code blocks."""

    path: Path
    shown: str
    text: str = ""
    blocks: list[Block] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path, shown: str) -> Page:
        """Read a page; a missing page reads as empty (the claims then say so)."""
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        blocks = [
            Block(
                m["lang"].lower(), text[: m.start("body")].count("\n") + 1, m["body"].splitlines()
            )
            for m in _FENCE.finditer(text)
        ]
        return cls(path, shown, text, blocks)

    def line_of(self, quote: str, in_block: str | None) -> int | None:
        """Return the line where the quote stands (a whole line of a block, if asked)."""
        if in_block:
            for block in self.blocks:
                if block.lang == in_block and quote in block.lines:
                    return block.line + block.lines.index(quote)
            return None
        for number, line in enumerate(self.text.splitlines(), start=1):
            if quote in line:
                return number
        return None


@dataclass
class Claim:
    """One entry of a claims file, with the line it starts on."""

    line: int
    data: dict[str, Any]

    @property
    def id(self) -> str:
        """Return the claim's id, or a stand-in naming its line."""
        return str(self.data.get("id") or f"#{self.line}")


@dataclass
class Claims:
    """A claims file: its pages, its claims, and what is wrong with the file itself."""

    shown: str
    page: Page | None
    page_en: Page | None
    claims: list[Claim]
    problems: list[str]


def load(path: Path, root: Path) -> Claims:
    """Read a claims file, reporting (not raising) what is malformed in it."""
    shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    empty = Claims(shown, None, None, [], [])
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as error:
        empty.problems.append(f"{shown}:1: cannot read the claims file: {error.strerror}")
        return empty
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        empty.problems.append(f"{shown}:{line}: not valid YAML: {getattr(error, 'problem', error)}")
        return empty
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        empty.problems.append(f"{shown}:1: a claims file needs `page` and a list of `claims`")
        return empty
    problems = []
    pages = []
    for key in ("page", "page_en"):
        page = data.get(key)
        if page is None:
            pages.append(None)
            continue
        pages.append(Page.read(root / str(page), str(page)))
        if not (root / str(page)).is_file():
            problems.append(f"{shown}:1: {key} {page} does not exist")
    if pages[0] is None:
        problems.append(f"{shown}:1: a claims file needs `page`, the French page it checks")
    items = next(value for key, value in node.value if key.value == "claims").value
    claims = [
        Claim(item.start_mark.line + 1, entry)
        for item, entry in zip(items, data["claims"], strict=True)
    ]
    seen: dict[str, int] = {}
    for claim in claims:
        problems += _shape_problems(claim, shown, seen)
    return Claims(shown, pages[0], pages[1], claims, problems)


def _shape_problems(claim: Claim, shown: str, seen: dict[str, int]) -> list[str]:
    where = f"{shown}:{claim.line}: claim {claim.id}"
    if not isinstance(claim.data, dict):
        return [f"{shown}:{claim.line}: a claim is a mapping of fields"]
    problems = []
    if claim.id in seen:
        problems.append(f"{where}: the id is used twice (first on line {seen[claim.id]})")
    seen.setdefault(claim.id, claim.line)
    check = claim.data.get("check")
    if check not in CHECKS:
        problems.append(f"{where}: unknown check {check!r} (one of {', '.join(CHECKS)})")
        return problems
    for name in sorted({"id", "quote"} | CHECKS[check]):
        if name not in claim.data:
            problems.append(f"{where}: missing field `{name}`")
    for name in sorted(claim.data.keys() - OPTIONAL - set().union(*CHECKS.values())):
        problems.append(f"{where}: unknown field `{name}`")
    if "says" in claim.data and not re.search(r"\d+", str(claim.data["says"])):
        problems.append(f"{where}: `says` ({claim.data['says']}) holds no number")
    if "says" in claim.data and str(claim.data["says"]) not in str(claim.data.get("quote", "")):
        problems.append(f"{where}: `says` ({claim.data['says']}) is not part of the quote")
    return problems


def check(claims: Claims, claim: Claim, root: Path) -> list[str]:
    """Check one claim: its sentence is still in the pages, and the example agrees."""
    where = f"{claims.shown}:{claim.line}: claim {claim.id}"
    data = claim.data
    problems = []
    quote, in_block = str(data["quote"]), data.get("in_block")
    said_at = claims.page.line_of(quote, in_block) if claims.page else None
    if claims.page and said_at is None:
        problems.append(f"{where}: its sentence is no longer in {claims.page.shown}: {quote!r}")
    if claims.page_en:
        quote_en = quote if in_block else data.get("quote_en")
        if quote_en is None:
            problems.append(f"{where}: no `quote_en`, the sentence of {claims.page_en.shown}")
        elif claims.page_en.line_of(str(quote_en), in_block) is None:
            problems.append(
                f"{where}: its sentence is no longer in {claims.page_en.shown}: {quote_en!r}"
            )
    target = root / str(data["file"])
    if not target.is_file():
        return [*problems, f"{where}: {data['file']} does not exist"]
    text = target.read_text(encoding="utf-8")
    kind = data["check"]
    if kind == "lines":
        says = str(data["says"])
        wanted = int(re.search(r"\d+", says).group())  # type: ignore[union-attr]
        tolerance = int(data.get("tolerance", 0))
        have = text.count("\n")
        if abs(have - wanted) > tolerance:
            slack = f" (tolerance {tolerance})" if tolerance else ""
            page = f"{claims.page.shown}:{said_at}" if claims.page and said_at else "the book"
            problems.append(
                f'{where}: {page} says "{says}", {data["file"]} has {have} lines{slack}'
            )
    elif kind == "has":
        lines = text.splitlines()
        for pattern in data["patterns"]:
            if not any(re.search(pattern, line) for line in lines):
                problems.append(f"{where}: no line of {data['file']} matches /{pattern}/")
    elif kind == "job":
        problems += _job_problems(where, str(data["file"]), target, data)
    elif kind == "manifest":
        problems += _manifest_problems(where, str(data["file"]), target, data)
    elif kind == "test":
        test_file, _, name = str(data["test"]).partition("::")
        path = root / test_file
        names = (
            {
                node.name
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.FunctionDef)
            }
            if path.is_file()
            else set()
        )
        if name not in names:
            problems.append(f"{where}: no test {data['test']}")
    return problems


def _job_problems(where: str, shown: str, path: Path, data: dict[str, Any]) -> list[str]:
    # The job as Nomad reads it (tools/hcljob), with its variables' defaults.
    try:
        read = read_job(path, shown)
    except ToolMissing as missing:
        return [f"{where}: {missing}"]
    if read.job is None:
        found = "; ".join(read.problems) or "no job block"
        return [f"{where}: {shown} has no job Nomad can read: {found}"]
    job = read.job
    kind = job.value("type", "service")
    problems = []
    if kind != data["type"]:
        problems.append(
            f'{where}: {shown}:{job.line}: job "{job.name}" is of type "{kind}", '
            f'the claim needs "{data["type"]}"'
        )
    found = {block.type for block in job.walk()}
    for needed in data.get("blocks", []):
        if needed not in found:
            problems.append(f"{where}: {shown} has no {needed} block")
    return problems


def _manifest_problems(where: str, shown: str, path: Path, data: dict[str, Any]) -> list[str]:
    # The objects of a Kubernetes manifest file (its schemas are checked elsewhere).
    manifests, problems = read_manifests(path, shown)
    if problems:
        return [f"{where}: {problem}" for problem in problems]
    found = [manifest.kind for manifest in manifests]
    return [
        f"{where}: {shown} defines no {kind} (it defines {', '.join(found) or 'nothing'})"
        for kind in data["kinds"]
        if kind not in found
    ]


def unchecked_code(page: Page, claimed: set[str]) -> list[str]:
    """Return the shell and Nomad code lines of a page that nothing checks."""
    problems = []
    for block in page.blocks:
        if block.lang not in CODE_LANGUAGES:
            continue
        for offset, line in enumerate(block.lines):
            if not line.strip() or line.strip().startswith("--8<--") or line in claimed:
                continue
            problems.append(
                f"{page.shown}:{block.line + offset}: this {block.lang} line is "
                "checked by no test: include the code from examples/ with "
                '`--8<-- "examples/..."`, or tie the line to an example in a '
                "claims.yml (`in_block`)"
            )
    return problems
