"""The mark under each example a page includes: what the last test run verified of it.

After each code block that includes a file of examples/, a line in the page's
language ("vérifié le 30 novembre 2026 sur Nomad 1.9.7", "failed on ..."),
linking to the test that checks it, from the results tests/conftest.py writes
in ``.cache/example-results.json``. The mark carries ``data-example`` (the
file's path) and ``data-status`` (passed, failed, skipped or unchecked). A
build without results, or an example changed since they were written, says it
was not checked rather than claim anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
_INCLUDE = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])(examples/[^"']+)\1[ \t]*$""")


def marked(
    markdown: str, texts: dict[str, Any], top: Path, repo_url: str | None, results: dict[str, Any]
) -> str | None:
    """Return the page with a mark after each code block that includes an example; None if none."""
    lines = markdown.split("\n")
    out: list[str] = []
    fence, indent, included = "", "", []
    for line in lines:
        out.append(line)
        if not fence:
            opening = _FENCE.match(line)
            if opening:
                indent, fence, included = opening.group(1), opening.group(2), []
            continue
        include = _INCLUDE.match(line)
        if include:
            included.append(include.group(2))
        elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = ""
            for example in included:
                out += ["", *(indent + m for m in mark(example, texts, top, repo_url, results))]
    return "\n".join(out) if len(out) != len(lines) else None


def mark(
    example: str, texts: dict[str, Any], top: Path, repo_url: str | None, results: dict[str, Any]
) -> list[str]:
    """Return the Markdown lines of an example's mark: a paragraph with its attributes."""
    result = (results.get("examples") or {}).get(example)
    file = top / example
    if result is None:
        status, text, link = "unchecked", texts["unchecked"], None
    elif file.is_file() and hashlib.sha256(file.read_bytes()).hexdigest() != result.get("sha256"):
        status, text, link = "unchecked", texts["changed"], None
    else:
        status = result["status"]
        date = _date(results.get("date", ""), texts["months"])
        text = texts[status].format(date=date, against=_against(result["against"], texts))
        link = _test_url(result["test"], repo_url, results.get("commit"))
    shown = html.escape(text)
    if link:
        title = texts["test"].format(commit=(results.get("commit") or "?")[:12])
        shown = f'[{shown}]({link} "{html.escape(title)}")'
    return [
        shown,
        f'{{: .livre-verified data-example="{html.escape(example)}" data-status="{status}" }}',
    ]


def _against(against: dict[str, str], texts: dict[str, Any]) -> str:
    """Name what an example was checked against, in the page's language."""
    kind = against.get("kind", "")
    if kind == "nomad" and not against.get("version"):
        kind = "nomad_unknown"
    return texts["against"].get(kind, kind).format(version=against.get("version", ""))


def _date(day: str, months: list[str]) -> str:
    """Write an ISO date as "30 novembre 2026" / "30 November 2026"."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return day
    return f"{date.day} {months[date.month - 1]} {date.year}"


def _test_url(test: dict[str, Any], repo_url: str | None, commit: str | None) -> str | None:
    """Link to the test's line in the repository, at the commit that ran it."""
    if not (repo_url and commit and test.get("file")):
        return None
    return f"{repo_url.rstrip('/')}/blob/{commit}/{test['file']}#L{test.get('line', 1)}"
