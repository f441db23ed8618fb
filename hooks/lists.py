"""Render the author's lists as lists.

Handles ``on_page_markdown``, with publishing.markdown's ``separate_lists``.
The author writes a list right under the line that introduces it, with no
blank line between them; Python-Markdown then reads the items as more lines of
that paragraph. This hook adds the blank line at render time, outside code
fences, so the author's file stays as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publishing.markdown import separate_lists

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Separate each list from the paragraph line right above it."""
    separated = separate_lists(markdown)
    return separated if separated != markdown else None
