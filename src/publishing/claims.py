"""The book's claims: each checkable sentence tied to an example and a check.

A claims file (``examples/<chapter>/claims*.yml``) names a French page
(``page``), maybe its English one (``page_en``), and a list of ``claims``. Each
claim quotes a sentence of the page (``quote``, ``quote_en``), or a whole line of
one of its code blocks (``in_block``: the block's language), and ties it to an
example (``file``) and a check (``check`` and its arguments).

One loader with one set of rules, for the build (hooks/claims.py) and the tests
(tests/book_claims.py) alike: every problem is one line, ``file:line: claim id:
what is wrong and how to fix``, never an exception. Here too: the checks that
need no outside tool (the tests add the Nomad jobs and the Kubernetes
manifests), and what hooks/claims.py does at render time without MkDocs:
finding the quoted sentences, linking them to their examples, giving the
examples ids.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError

from publishing.markdown import Fence, fences, source_line

CLAIMS_FILES = "examples/*/claims*.yml"
# Each check a claim can name: the arguments it needs, then those it may have.
CHECKS = {
    "lines": (("says",), ("tolerance",)),
    "has": (("patterns",), ()),
    "job": (("type",), ("blocks",)),
    "test": (("test",), ()),
    "manifest": (("kinds",), ()),
}
REQUIRED = ("id", "quote", "file", "check")
LISTS = ("patterns", "blocks", "kinds")
OPTIONAL = ("quote_en", "in_block", "note")
# What each field holds, for the messages that ask for it.
FIELDS = {
    "id": "a name for the claim, unique in its file",
    "quote": "the sentence of `page` it checks, word for word",
    "quote_en": "the same sentence in `page_en`, word for word",
    "file": "the example, a path from the project's top, as examples/chapitre-3/scripts/deploy.sh",
    "check": f"one of {', '.join(CHECKS)}",
    "in_block": "the language of the code block the quote is a line of, as in_block: bash",
    "note": "a remark for whoever reads the claims file",
    "says": "the words of the quote that state the number, as says: 20 lignes",
    "tolerance": "how many lines the count may be off by, a whole number",
    "patterns": "a list of regular expressions, each matching a line of the example",
    "type": "the job's type, as type: batch",
    "blocks": "a list of the blocks the job has, as blocks: [periodic]",
    "test": "the test that runs the example, as tests/test_examples_scripts.py::test_deploy",
    "kinds": "a list of the kinds of objects the manifest defines, as kinds: [Deployment]",
}
EXAMPLES_PAGE = "exemples.md"
LINK_CLASS = "livre-claim"
NOTE_CLASS = "livre-claim-examples"

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBER = re.compile(r"\d+")
_TAB_LABEL = re.compile(r'^===[!+]{0,2} +"')
_TITLE = re.compile(r'(?<![\w-])title="(examples/[^"]+)"')
# What a link cannot hold or cross: links, images, autolinks and inline HTML.
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)|<[^>\n]+>")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Claim:
    """One claim, as its claims file writes it, with the line it starts on."""

    source: str  # the claims file, from the project's top: examples/chapitre-3/claims.yml
    line: int
    id: str
    page: str  # the French page the quote is from, from the project's top
    page_en: str | None
    check: str
    quote: str
    quote_en: str | None
    in_block: str | None  # the language of the code block whose line `quote` is
    file: str  # the example, from the project's top
    args: dict[str, Any] = field(default_factory=dict)  # the check's: says, patterns...

    @property
    def where(self) -> str:
        """Return ``file:line: claim id``, how messages name the claim."""
        return f"{self.source}:{self.line}: claim {self.id}"

    def quote_key(self, english: bool) -> str:
        """Return the field of the quote of the French page, or of the English one."""
        # A line of code is the same in both languages: its claim has one quote.
        return "quote_en" if english and not self.in_block else "quote"

    def quote_of(self, english: bool) -> str:
        """Return the sentence the French page, or the English one, holds."""
        return str(getattr(self, self.quote_key(english)))


@dataclass
class ClaimsFile:
    """A claims file: its pages, its well-formed claims, and every problem found in it."""

    shown: str  # from the project's top: examples/chapitre-3/claims.yml
    page: str | None
    page_en: str | None
    claims: list[Claim]
    problems: list[str]
    readable: bool = True  # False: no claims could be read at all (problems says why)


class Text:
    """A page's Markdown as lines, with its fenced code blocks."""

    def __init__(self, markdown: str) -> None:
        self.lines = markdown.split("\n")
        self.fences = fences(self.lines)

    @classmethod
    def read(cls, path: Path) -> Text:
        """Read a page's file; a missing one reads as empty (its claims then say so)."""
        return cls(path.read_text(encoding="utf-8") if path.is_file() else "")

    @cached_property
    def in_fences(self) -> set[int]:
        """Return the indexes of the lines of code blocks, fences included."""
        return {i for fence in self.fences for i in range(fence.start, fence.end + 1)}

    def block(self, quote: str, language: str) -> Fence | None:
        """Return the first code block of a language that has the quote as a whole line."""
        return next((f for f in self.fences if f.language == language and quote in f.lines), None)

    def find(self, quote: str, in_block: str | None = None) -> int | None:
        """Return the index of the line holding a quote: outside code, or in an in_block block."""
        if in_block:
            fence = self.block(quote, in_block)
            return None if fence is None else fence.start + 1 + fence.lines.index(quote)
        return next(
            (i for i, line in enumerate(self.lines) if i not in self.in_fences and quote in line),
            None,
        )


# Reading claims files.


def load(path: Path, root: Path) -> ClaimsFile:
    """Read a claims file by the rules of every claim; report (never raise) what breaks them."""
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        node, data = _read_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        return _unreadable(shown, 1, f"cannot read the claims file: {error.strerror}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or error
        return _unreadable(shown, mark.line + 1 if mark else 1, f"not valid YAML: {problem}")
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        return _unreadable(shown, 1, "a claims file needs `page` and a list of `claims`")
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    if not isinstance(data.get("page"), str):
        return _unreadable(
            shown, lines.get("page", 1), "a claims file needs `page`, the French page it checks"
        )
    page, page_en = data["page"], data.get("page_en")
    problems = []
    if not (root / page).is_file():
        problems.append(
            f"{shown}:{lines['page']}: page {page} does not exist: fix `page` (a path from the "
            "project's top, as docs/chapitre-3/3.1-constat.md)"
        )
    # A missing English page is a missing translation, reported by make i18n-status, never a
    # failure: its claims wait for it. A name that cannot be the translation is a mistake.
    translation = f"{page.removesuffix('.md')}.en.md"
    if page_en is not None and page_en != translation:
        problems.append(
            f"{shown}:{lines['page_en']}: page_en {page_en} is not the English page of {page}: "
            f"write {translation}"
        )
        page_en = None
    problems += [
        f"{shown}:{lines.get(key, 1)}: unknown key `{key}`: a claims file has page, page_en "
        "and claims"
        for key in data
        if key not in ("page", "page_en", "claims")
    ]
    items = next(value for key, value in node.value if key.value == "claims").value
    claims = []
    seen: dict[str, int] = {}
    for item, entry in zip(items, data["claims"], strict=True):
        line = item.start_mark.line + 1
        if not isinstance(entry, dict):
            problems.append(
                f"{shown}:{line}: a claim is a mapping of fields (id, quote, file, check...), "
                "not a single value or a list"
            )
            continue
        where = f"{shown}:{line}: claim {entry.get('id') or f'#{line}'}"
        found = _entry_problems(where, line, entry, page_en is not None, root, seen)
        problems += found
        if found:
            continue
        text = {key: _as_field(key, value) for key, value in entry.items()}
        claims.append(
            Claim(
                shown,
                line,
                text["id"],
                page,
                page_en,
                text["check"],
                text["quote"],
                text.get("quote_en"),
                text.get("in_block"),
                text["file"],
                {key: value for key, value in text.items() if key not in (*REQUIRED, *OPTIONAL)},
            )
        )
    return ClaimsFile(shown, page, page_en, claims, problems)


def _read_yaml(text: str) -> tuple[Any, Any]:
    """Return a YAML document's node (for the lines) and its data."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _unreadable(shown: str, line: int, problem: str) -> ClaimsFile:
    return ClaimsFile(shown, None, None, [], [f"{shown}:{line}: {problem}"], readable=False)


def _as_field(name: str, value: Any) -> Any:
    """Return a field's value as its check reads it: text, a list of texts, a number."""
    if name in LISTS:
        return [str(item) for item in value]
    return value if name == "tolerance" else str(value)


def _entry_problems(
    where: str, line: int, entry: dict[str, Any], english: bool, root: Path, seen: dict[str, int]
) -> list[str]:
    """Return what breaks the rules of a claim, one message each."""
    problems = []
    ident = str(entry.get("id") or f"#{line}")
    if ident in seen:
        problems.append(
            f"{where}: the id is used twice (first on line {seen[ident]}): give each claim an "
            "id of its own"
        )
    seen.setdefault(ident, line)
    check = entry.get("check")
    if check is not None and (not isinstance(check, str) or check not in CHECKS):
        return [*problems, f"{where}: unknown check {check!r}: use one of {', '.join(CHECKS)}"]
    needed, optional = CHECKS.get(check or "", ((), ()))
    wanted = [*REQUIRED, *needed]
    if english and not entry.get("in_block"):
        wanted.append("quote_en")
    problems += [
        f"{where}: missing field `{name}`: add {FIELDS[name]}"
        for name in wanted
        if entry.get(name) is None
    ]
    known = {*REQUIRED, *OPTIONAL, *needed, *optional}
    problems += [
        f"{where}: unknown field `{name}`: the fields of a {check} claim are "
        f"{', '.join(sorted(known))}"
        for name in sorted(entry.keys() - known, key=str)
    ]
    for name, value in entry.items():
        kind = _wrong_kind(name, value) if name in known and value is not None else None
        if kind:
            problems.append(f"{where}: `{name}` is not {kind}: write {FIELDS[name]}")
    if problems:
        return problems
    says = entry.get("says")
    if says is not None and not _NUMBER.search(str(says)):
        problems.append(f"{where}: `says` ({says}) holds no number: copy the number from the quote")
    elif says is not None and str(says) not in str(entry["quote"]):
        problems.append(f"{where}: `says` ({says}) is not part of the quote: copy it from there")
    for pattern in entry.get("patterns", []):
        try:
            re.compile(str(pattern))
        except re.error as error:
            problems.append(
                f"{where}: /{pattern}/ is not a regular expression ({error}): escape what is "
                "meant as itself, as \\( for ("
            )
    if not (root / str(entry["file"])).is_file():
        problems.append(
            f"{where}: {entry['file']} does not exist: create the example, or fix `file` "
            "(a path from the project's top, as examples/chapitre-3/scripts/deploy.sh)"
        )
    return problems


def _wrong_kind(name: str, value: Any) -> str | None:
    """Return what a field's value must be when it is not: a list, a whole number, text."""
    if name in LISTS:
        return None if isinstance(value, list) and all(map(_is_text, value)) else "a list"
    if name == "tolerance":
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    return None if _is_text(value) else "text"


def _is_text(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


# Checking claims.

# A check that needs a tool of the tests (the Nomad jobs, the Kubernetes manifests):
# given the claim and its example's path, it returns the problems.
Tool = Callable[[Claim, Path], list[str]]


def check(claim: Claim, root: Path, tools: Mapping[str, Tool]) -> list[str]:
    """Check one claim: its sentence is still in its pages, and its example agrees."""
    problems = []
    said_at = None
    for english, page in ((False, claim.page), (True, claim.page_en)):
        if page is None or (english and not (root / page).is_file()):
            continue  # no English page yet: a missing translation, not a broken claim
        found = Text.read(root / page).find(claim.quote_of(english), claim.in_block)
        if found is None:
            problems.append(lost(claim, page, english))
        elif not english:
            said_at = f"{page}:{found + 1}"
    example = root / claim.file
    if claim.check == "lines":
        problems += _lines_problems(claim, example, said_at or "the book")
    elif claim.check == "has":
        lines = example.read_text(encoding="utf-8").splitlines()
        problems += [
            f"{claim.where}: no line of {claim.file} matches /{pattern}/"
            for pattern in claim.args["patterns"]
            if not any(re.search(pattern, line) for line in lines)
        ]
    elif claim.check == "test":
        problems += _test_problems(claim, root)
    elif claim.check in tools:
        problems += tools[claim.check](claim, example)
    else:
        problems.append(f"{claim.where}: nothing here runs a {claim.check} check")
    return problems


def lost(claim: Claim, page: str, english: bool) -> str:
    """Say that a claim's sentence is not in a page, and how to fix it."""
    return (
        f"{claim.where}: its sentence is not in {page}, so it links to no example: "
        f"{claim.quote_of(english)!r} (copy `{claim.quote_key(english)}` word for word from "
        "the page)"
    )


def _lines_problems(claim: Claim, example: Path, said_at: str) -> list[str]:
    """Compare the number of lines the book says with the example's (wc -l)."""
    says = claim.args["says"]
    wanted = int(_NUMBER.search(says).group())  # type: ignore[union-attr]
    tolerance = claim.args.get("tolerance", 0)
    have = example.read_text(encoding="utf-8").count("\n")
    if abs(have - wanted) <= tolerance:
        return []
    slack = f" (tolerance {tolerance})" if tolerance else ""
    return [f'{claim.where}: {said_at} says "{says}", {claim.file} has {have} lines{slack}']


def _test_problems(claim: Claim, root: Path) -> list[str]:
    """Find the test a claim names, as a function of its test file."""
    test_file, _, name = claim.args["test"].partition("::")
    path = root / test_file
    tree = ast.parse(path.read_text(encoding="utf-8")) if path.is_file() else ast.Module()
    names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    return [] if name in names else [f"{claim.where}: no test {claim.args['test']}"]


# Linking claims at render time.


@dataclass
class Plan:
    """The claims of one page, in the page's language, and where its examples are."""

    shown: str  # docs/chapitre-3/3.1-constat.md
    english: bool  # the claims file's `page_en`: its quotes are `quote_en`
    examples: str  # the examples page, unsuffixed, in the docs folder: chapitre-3/exemples.md
    claims: list[Claim]


def plans(claims: ClaimsFile, root: Path, docs: Path) -> dict[str, Plan]:
    """Return the plan of a claims file's French page and of its English one, by src_uri."""
    found = {}
    for english, page in ((False, claims.page), (True, claims.page_en)):
        if page is None:
            continue
        try:
            src_uri = (root / page).resolve().relative_to(docs.resolve()).as_posix()
        except ValueError as error:
            raise PluginError(f"{claims.shown}: {page} is not a page of {docs}") from error
        examples = posixpath.join(posixpath.dirname(src_uri), EXAMPLES_PAGE)
        found[src_uri] = Plan(page, english, examples, list(claims.claims))
    return found


def anchor_of(example: str) -> str:
    """Return the id of an example on the examples page, made from its path."""
    return _NOT_SLUG.sub("-", example.lower()).strip("-")


def example_of(fence: Fence) -> str | None:
    """Return the example a code block is titled with (title="examples/..."), or None."""
    match = _TITLE.search(fence.info)
    return match.group(1) if match else None


def titled(text: Text) -> list[tuple[Fence, str]]:
    """Return the blocks a link can land on, titled with an example's path, and that path.

    A block may be indented by four spaces, in a content tab (pymdownx.tabbed),
    not more: deeper, it would be in a list or a quote, where no link lands well.
    """
    return [
        (fence, example)
        for fence in text.fences
        if (example := example_of(fence)) and fence.indent in ("", "    ")
    ]


def anchor_examples(markdown: str) -> str:
    """Wrap each code block titled with an example's path in an element with its id."""
    text = Text(markdown)
    lines = text.lines
    for fence, example in reversed(titled(text)):
        if fence.indent:
            # In a content tab: a link cannot open a tab that is not shown (Material
            # opens one only for a link to the tab itself), so the id goes on an empty
            # element just above the tabbed set, and the link lands on the pair.
            start = _tabbed_set_start(lines, fence.start)
            lines[start:start] = [f'<div id="{anchor_of(example)}"></div>', ""]
            if start and lines[start - 1].strip():
                lines.insert(start, "")
            continue
        lines[fence.start : fence.end + 1] = [
            f'<div id="{anchor_of(example)}" markdown>',
            "",
            *lines[fence.start : fence.end + 1],
            "",
            "</div>",
            "",
        ]
        if fence.start and lines[fence.start - 1].strip():
            lines.insert(fence.start, "")
    return "\n".join(lines)


def link_claims(
    markdown: str,
    claims: list[Claim],
    *,
    page: str,
    href: str,
    examples: str,
    shown: set[str],
    note: str,
    english: bool = False,
    source: str | None = None,
) -> tuple[str, list[str]]:
    """Link each claimed sentence of a page to its example; return the page and the problems.

    ``source`` is the page's file as written, front matter included: problems give
    its line numbers, not those of the Markdown other hooks have already changed.
    """
    text = Text(markdown)
    lines = text.lines
    problems: list[str] = []
    spans: dict[int, list[tuple[int, int, str]]] = {}
    notes: dict[Fence, list[str]] = {}
    groups: dict[tuple[str, str | None], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.quote_of(english), claim.in_block), []).append(claim)
    for (quote, in_block), group in groups.items():
        target = None
        for claim in group:
            if claim.file not in shown:
                problems.append(
                    f"{claim.where}: {claim.file} has no place on {examples}: show it there "
                    f'in a code block titled "{claim.file}"'
                )
            elif target is None:
                target = claim.file
        if in_block:
            fence = text.block(quote, in_block)
            if fence is None:
                problems += [lost(claim, page, english) for claim in group]
            elif target is not None and target not in notes.setdefault(fence, []):
                notes[fence].append(target)
            continue
        found = text.find(quote)
        if found is None:
            problems += [lost(claim, page, english) for claim in group]
            continue
        if target is None:
            continue
        start = lines[found].index(quote)
        span = _span(lines[found], start, start + len(quote))
        taken = spans.setdefault(found, [])
        if span is None or any(s < span[1] and span[0] < e for s, e, _ in taken):
            if not any(s <= start and start + len(quote) <= e for s, e, _ in taken):
                line = source_line(source, markdown, found) if source is not None else found + 1
                problems.append(
                    f"{group[0].where}: {page}:{line}: its sentence crosses a code span, a link, "
                    "emphasis or another claim's sentence, so it cannot become a link; quote a "
                    "part of it that does not"
                )
            continue
        taken.append((*span, f"{href}#{anchor_of(target)}"))
    for number, taken in spans.items():
        line = lines[number]
        for start, end, url in sorted(taken, reverse=True):
            line = f"{line[:start]}[{line[start:end]}]({url}){{ .{LINK_CLASS} }}{line[end:]}"
        lines[number] = line
    for fence, targets in sorted(notes.items(), key=lambda item: -item[0].start):
        links = ", ".join(
            f"[`{posixpath.basename(t)}`]({href}#{anchor_of(t)}){{ .{LINK_CLASS} }}"
            for t in targets
        )
        lines[fence.end + 1 : fence.end + 1] = [
            "",
            f"{fence.indent}{note} {links}",
            f"{fence.indent}{{ .{NOTE_CLASS} }}",
            "",
        ]
    return "\n".join(lines), problems


def _span(line: str, start: int, end: int) -> tuple[int, int] | None:
    """Return what to put in a link for a quote of a line, or None when it cannot be one."""
    if line.count("`", start, end) % 2:
        return None  # it crosses a code span
    if line.count("`", 0, start) % 2:
        # Inside a code span, whose text cannot hold a link: link the whole span.
        start, end = line.rfind("`", 0, start), line.find("`", end) + 1
        if end == 0:
            return None
        while start and line[start - 1] == "`":
            start -= 1
        while end < len(line) and line[end] == "`":
            end += 1
    quote = line[start:end]
    if quote.count("*") % 2 or quote.count("**") % 2 or quote.count("[") != quote.count("]"):
        return None  # emphasis or brackets that open in the quote and close outside
    if any(m.start() < end and start < m.end() for m in _LINK.finditer(line)):
        return None
    return start, end


def _tabbed_set_start(lines: list[str], index: int) -> int:
    """Return the index of the first tab label of the tabbed set holding line ``index``."""
    start = index
    for i in range(index - 1, -1, -1):
        if _TAB_LABEL.match(lines[i]):
            start = i
        elif lines[i].strip() and not lines[i].startswith("    "):
            break
    return start
