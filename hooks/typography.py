"""Set French typography's spaces in the rendered French pages.

Handles ``on_page_content``. In a page of the French build, a narrow no-break
space (U+202F) goes before ``;``, ``!`` and ``?`` and inside « », a no-break
space (U+00A0) before ``:``, so no line starts with a lone sign. Only the text
between tags changes, never a tag, an attribute or an address, and nothing
inside ``pre``, ``code``, ``kbd``, ``samp``, ``script`` or ``style``. The
author's Markdown stays as written; the page's title in the nav and its
table of contents get the same spaces as the headings (the head's ``<title>``
goes through Jinja's ``striptags``, which makes every space a plain one; a
browser tab's title never wraps anyway).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

NARROW = "\u202f"
NBSP = "\u00a0"
VERBATIM = {"pre", "code", "kbd", "samp", "script", "style"}
_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
# Only a space the author typed changes: "&amp;", "a?b" or "http://" stay as they are.
_BEFORE_SIGN = re.compile(r"(?<=\S)[ \u00a0\u202f]([;!?])")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f](:)")
_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING = re.compile(r"[ \u00a0\u202f]?»")


def on_page_content(
    html: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Set the spaces of French typography in a French page and its table of contents."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.current_language != i18n.default_language:
        return None
    if config.theme.get("language") != "fr" and i18n is None:
        return None
    # The title shows in the nav and the footer's links: same spaces as the heading.
    if page.title:
        page.title = french_spaces(page.title)
    for item in _walk(page.toc):
        item.title = french_spaces(item.title)
    return french_spaces(html)


def french_spaces(html: str) -> str:
    """Return `html` with French spaces in its text, outside verbatim elements."""
    parts = _TOKEN.split(html)
    verbatim = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag or a comment
            name = _TAG_NAME.match(part)
            if name and name.group(1).lower() in VERBATIM and not part.endswith("/>"):
                verbatim += -1 if part.startswith("</") else 1
                verbatim = max(verbatim, 0)
        elif not verbatim and part:
            parts[i] = _spaces(part)
    return "".join(parts)


def _spaces(text: str) -> str:
    text = _OPENING.sub("«" + NARROW, text)
    text = _CLOSING.sub(NARROW + "»", text)
    text = _BEFORE_SIGN.sub(NARROW + r"\1", text)
    return _BEFORE_COLON.sub(NBSP + r"\1", text)


def _walk(toc):
    for item in toc:
        yield item
        yield from _walk(item.children)
