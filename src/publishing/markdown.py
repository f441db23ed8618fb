"""Read the book's Markdown as MkDocs and Python-Markdown do: front matter, lists.

Plain functions, for the hooks (hooks/lists.py, hooks/messages.py), the
translation record (publishing.i18n) and the scripts alike: one reader of front
matter, one rule for the lists the author writes under their paragraph.
"""

from __future__ import annotations

import functools
import re

import yaml

# MkDocs' own pattern for YAML front matter (mkdocs.utils.meta), with its end line.
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.DOTALL)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")  # a code fence opening (or closing) line
# At most three spaces: four would make an indented code block, not a list.
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, number of lines above the body)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 0
    return match.group(1) or "", text[match.end() :], match.group(0).count("\n")


@functools.lru_cache(maxsize=4096)  # each page, in each language's build: parsed once
def front_matter_problem(text: str) -> str | None:
    """Return ``line: what is wrong`` with a page's front matter (lines of the file), or None."""
    match = FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return None
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2  # below the opening ---
        what = getattr(error, "problem", None) or str(error)
        return (
            f"{line}: front matter is not valid YAML ({what}); write `key: value` lines "
            "between the two --- lines, quoting a value that holds ': ' or starts with [ { * &"
        )
    if data is not None and not isinstance(data, dict):
        return "2: front matter must be `key: value` lines, not a single value or a list"
    return None


def separate_lists(markdown: str) -> str:
    """Insert a blank line between a paragraph line and a list that follows it."""
    out: list[str] = []
    fence = ""
    in_list = False
    previous = ""
    for line in markdown.split("\n"):
        if fence:
            if closes(line, fence):
                fence = ""
            out.append(line)
            previous = line
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            in_list = False
        elif not line.strip():
            in_list = False
        elif _ITEM.match(line):
            if previous.strip() and not in_list:
                out.append("")
            in_list = True
        out.append(line)
        previous = line
    return "\n".join(out)


def closes(line: str, fence: str) -> bool:
    """Tell whether the line closes a code fence opened with ``fence``."""
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])
