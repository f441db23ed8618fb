"""Mark each example a page includes with what the tests verified of it.

Handles ``on_config`` (read its texts in ``texts.yml`` beside this file and the
test run's results, ``.cache/example-results.json``, written by
tests/conftest.py) and ``on_page_markdown`` (after each code block that
includes a file of examples/, a line in the page's language: "vérifié le 30
novembre 2026 sur Nomad 1.9.7", "failed on ...", linking to the test that
checks it). The mark carries ``data-example`` (the file's path) and
``data-status`` (passed, failed, skipped or unchecked). A build without
results, or an example changed since they were written, says it was not
checked rather than claim anything. The author's Markdown stays as written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from publishing.build import read_texts
from publishing.languages import page_language
from publishing.order import AFTER_INCLUDES_CHECKED

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

RESULTS = Path(".cache") / "example-results.json"  # from the project's top
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
_INCLUDE = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])(examples/[^"']+)\1[ \t]*$""")

# Read in on_config: `mkdocs serve` keeps this module across rebuilds.
_texts: dict[str, dict[str, Any]] = {}
_results: dict[str, Any] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the marks' texts and the last test run's results, when there are some."""
    top = Path(config.config_file_path).parent
    _texts.clear()
    _results.clear()
    _texts.update(read_texts(__file__))
    results = top / RESULTS
    if results.is_file():
        try:
            _results.update(json.loads(results.read_text(encoding="utf-8")))
        except ValueError as error:
            raise PluginError(f"{RESULTS}: cannot read the test results: {error}") from error


@event_priority(AFTER_INCLUDES_CHECKED)
def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Add a mark after each code block that includes an example."""
    if "examples/" not in markdown:
        return None
    language = page_language(page, config)
    texts = _texts.get(language) or _texts["en"]
    top = Path(config.config_file_path).parent
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
                out += ["", *(indent + m for m in mark(example, texts, top, config.repo_url))]
    return "\n".join(out) if len(out) != len(lines) else None


def mark(example: str, texts: dict[str, Any], top: Path, repo_url: str | None) -> list[str]:
    """Return the Markdown lines of an example's mark: a paragraph with its attributes."""
    result = (_results.get("examples") or {}).get(example)
    file = top / example
    if result is None:
        status, text, link = "unchecked", texts["unchecked"], None
    elif file.is_file() and hashlib.sha256(file.read_bytes()).hexdigest() != result.get("sha256"):
        status, text, link = "unchecked", texts["changed"], None
    else:
        status = result["status"]
        date = _date(_results.get("date", ""), texts["months"])
        text = texts[status].format(date=date, against=_against(result["against"], texts))
        link = _test_url(result["test"], repo_url)
    shown = html.escape(text)
    if link:
        title = texts["test"].format(commit=(_results.get("commit") or "?")[:12])
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


def _test_url(test: dict[str, Any], repo_url: str | None) -> str | None:
    """Link to the test's line in the repository, at the commit that ran it."""
    commit = _results.get("commit")
    if not (repo_url and commit and test.get("file")):
        return None
    return f"{repo_url.rstrip('/')}/blob/{commit}/{test['file']}#L{test.get('line', 1)}"
