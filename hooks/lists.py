"""Render the author's lists as lists.

Handles ``on_page_markdown``. The author writes a list right under the line
that introduces it, with no blank line between them; Python-Markdown then reads
the items as more lines of that paragraph. This hook adds the blank line at
render time, outside code fences, so the author's file stays as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# At most three spaces: four would make an indented code block, not a list.
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Separate each list from the paragraph line right above it."""
    separated = separate_lists(markdown)
    return separated if separated != markdown else None


def separate_lists(markdown: str) -> str:
    """Insert a blank line between a paragraph line and a list that follows it."""
    out: list[str] = []
    fence = ""
    in_list = False
    previous = ""
    for line in markdown.split("\n"):
        if fence:
            if _closes(line, fence):
                fence = ""
            out.append(line)
            previous = line
            continue
        opening = _FENCE.match(line)
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


def _closes(line: str, fence: str) -> bool:
    """Tell whether the line closes a code fence opened with ``fence``."""
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])
