"""The line count of the files a content tab includes, on its label.

In a tabbed set (pymdownx.tabbed, ``=== "Nomad"``), a tab whose content
includes files (``--8<-- "examples/..."``) gets, after its label, the number of
lines of those files, counted as ``wc -l`` counts them, in the page's language:
``=== "Nomad · 212 lignes"``. A tab that includes only part of a file
(``file:3:10``, ``file:section``) or a file that does not exist is a problem,
said with the page's line by hooks/line_counts.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from publishing.languages import default_language

if TYPE_CHECKING:
    from pathlib import Path

    from mkdocs.config.defaults import MkDocsConfig

_TAB = re.compile(r'^(?P<indent>[ \t]*)(?P<marker>===[!+]{0,2}) +"(?P<label>[^"]*)"(?P<rest>.*)$')
_INCLUDE = re.compile(r'^\s*-{1,}8<-{1,} +"(?P<path>examples/[^"]+)"\s*$')
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_SUFFIX = re.compile(r"\.([a-z]{2})\.md$")


def checked_labels(texts: Any) -> dict[str, dict[str, str]]:
    """Return the labels' texts per language, checked: `one` and `other` in each."""
    if not isinstance(texts, dict) or not all(
        isinstance(t, dict) and {"one", "other"} <= t.keys() for t in texts.values()
    ):
        raise PluginError(
            "hooks/texts.yml: expected `one` and `other` in each language of line_counts"
        )
    return texts


def counted(markdown: str, root: Path, texts: dict[str, str]) -> tuple[str, list[tuple[int, str]]]:
    """Return the page with its tabs' counts, and each problem with its line (from 1)."""
    lines = markdown.split("\n")
    problems = []
    for index, count, said in count_tabs(lines, root):
        problems += [(index + 1, problem) for problem in said]
        if count is not None:
            lines[index] = label_line(lines[index], count, texts)
    return "\n".join(lines), problems


def count_tabs(lines: list[str], root: Path):
    """Yield (line index, lines of its included files or None, problems) for each tab label."""
    fence = ""
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            closing = line.strip()
            if len(closing) >= len(fence) and set(closing) == {fence[0]}:
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        tab = _TAB.match(line)
        if tab:
            yield (index, *_count(_content(lines, index, tab["indent"]), root))


def label_line(line: str, count: int, texts: dict[str, str]) -> str:
    """Return a tab label line with the count after its label, in the texts' language."""
    tab = _TAB.match(line)
    assert tab is not None
    label = texts["one" if count == 1 else "other"].format(label=tab["label"], count=count)
    return f'{tab["indent"]}{tab["marker"]} "{label}"{tab["rest"]}'


def _content(lines: list[str], index: int, indent: str) -> list[str]:
    """Return the lines of a tab's content: indented under its label, blank lines kept."""
    inner = indent + "    "
    content = []
    for line in lines[index + 1 :]:
        if line.strip() and not line.startswith(inner):
            break
        content.append(line)
    return content


def _count(content: list[str], root: Path) -> tuple[int | None, list[str]]:
    """Count the lines of the files a tab includes; None when it includes none."""
    total, problems, found = 0, [], False
    for line in content:
        include = _INCLUDE.match(line)
        if not include:
            continue
        found = True
        path = include["path"]
        if ":" in path:
            problems.append(
                f"the tab includes part of a file ({path}), and its line count would count "
                "the whole file: include the whole file, or put the part in a file of its own"
            )
            continue
        try:
            total += (root / path).read_text(encoding="utf-8").count("\n")
        except OSError:
            problems.append(f"the tab's line count needs {path}, which cannot be read")
    return (total if found else None), problems


def language_of(src_uri: str, config: MkDocsConfig) -> str:
    """Return the language of a page's text: its suffix, or the site's default language."""
    match = _SUFFIX.search(src_uri)
    if match:
        return match.group(1)
    return default_language(config)
