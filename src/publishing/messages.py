"""One clear message per mistake in the book, naming its file and line.

hooks/messages.py reads every page's source before MkDocs does and filters
MkDocs' logger; the reading and the wording are here: bytes that are not
UTF-8 (their line and column), front matter that is not YAML, and MkDocs' own
warnings about a page's links, anchors and images or the nav, which name the
page but not the line, rewritten with the line where the link is written and
what to do, each with a key so that a mistake is said once.
"""

from __future__ import annotations

import re
from pathlib import Path

from publishing.markdown import fences, front_matter_problem

_LINK = re.compile(
    r"^Doc file '(?P<page>[^']+)' contains (?:a|an (?P<kind>[\w ]+?)) link '(?P<link>[^']+)'"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
_NOT_FOUND = re.compile(
    r"^, but the target(?: '(?P<target>[^']+)')? is not found among documentation files\."
    r"(?P<hint>.*)$",
    re.DOTALL,
)
_ANCHOR = re.compile(
    r"^, but the doc '(?P<target>[^']+)' does not contain an anchor '#(?P<anchor>[^']+)'\.$"
)
_SAME_PAGE = re.compile(r"^, but there is no such anchor on this page\.(?P<context>.*)$", re.DOTALL)
_NAV = re.compile(
    r"^A reference to '(?P<target>[^']+)' is included in the 'nav' configuration, which is "
    r"not found in the documentation files\.$"
)


def source_problems(paths: list[Path], config: Path) -> tuple[list[str], list[str]]:
    """Return the pages that are not UTF-8 and the front matter that is not YAML, as messages."""
    undecodable, warnings = [], []
    for path in paths:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            undecodable.append(f"{shown(path, config)}:{not_utf8(raw, error)}")
            continue
        problem = front_matter_problem(text)
        if problem:
            warnings.append(f"{shown(path, config)}:{problem}")
    return undecodable, warnings


def not_utf8(raw: bytes, error: UnicodeDecodeError) -> str:
    """Return ``line: what to do`` for bytes that are not UTF-8."""
    line = raw[: error.start].count(b"\n") + 1
    column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
    return (
        f"{line}: byte 0x{raw[error.start]:02x} (column {column}) is not UTF-8: save the "
        "file as UTF-8 (in most editors: Save with encoding, UTF-8)"
    )


def located(message: str, docs: Path, config: Path) -> tuple[str, str]:
    """Rewrite one of MkDocs' warnings with the file and line it is about; return it and its key."""
    link = _LINK.match(message)
    if link:
        page = docs / link["page"]
        line = _line_of(page, link["link"])
        where = f"{shown(page, config)}:{line}" if line else shown(page, config)
        key = f"{where}: {link['link']}"
        return f"{where}: {_link_problem(link, docs, config)}", key
    nav = _NAV.match(message)
    if nav:
        line = _line_of(config, nav["target"], code=True)
        where = f"{shown(config, config)}:{line}" if line else shown(config, config)
        return (
            f"{where}: the nav lists '{nav['target']}', which is not in "
            f"{shown(docs, config)}/: create the page, plan the section in hooks/outline.yml, "
            "or take it out of the nav"
        ), message
    return message, message


def shown(path: Path, config: Path) -> str:
    """Name a file relative to the project's top (the folder of mkdocs.yml, `config`)."""
    top = config.resolve().parent
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return path.as_posix()


def _link_problem(link: re.Match[str], docs: Path, config: Path) -> str:
    """Say what is wrong with a link and what to do, from MkDocs' wording."""
    target, rest = link["link"], link["rest"]
    found = _NOT_FOUND.match(rest)
    if found:
        hint = found["hint"].strip()
        if target.partition("#")[0].endswith(".md"):
            fix = "fix the path (relative to this page), or plan the section in hooks/outline.yml"
            what = "page"
        else:
            fix = "fix the path (relative to this page), or add the file to docs/"
            what = "file"
        return f"link '{target}' leads to no {what} of {shown(docs, config)}/: {fix}" + (
            f". {hint}" if hint else ""
        )
    anchor = _ANCHOR.match(rest)
    if anchor:
        return (
            f"link '{target}': {shown(docs / anchor['target'], config)} has no heading or "
            f"element with the anchor #{anchor['anchor']}; fix the link, or, if that heading "
            f"was renamed, keep its old anchor with {{ #{anchor['anchor']} }} at the end of it"
        )
    same = _SAME_PAGE.match(rest)
    if same:
        return f"link '{target}': this page has no anchor #{target.partition('#')[2]}." + (
            same["context"] or ""
        )
    kind = f"{link['kind']} " if link["kind"] else ""
    return f"{kind}link '{target}'{rest}"


def _line_of(path: Path, needle: str, code: bool = False) -> int | None:
    """Return the first line of a file that holds ``needle`` (outside code blocks, unless code)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return None
    # A block's fences and code, skipped unless the needle is code (mkdocs.yml).
    skipped = set() if code else {i for f in fences(lines) for i in range(f.start, f.end + 1)}
    for index, line in enumerate(lines):
        if index not in skipped and needle in line:
            return index + 1
    return None
