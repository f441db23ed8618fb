"""Set French typography's spaces in the rendered French pages.

Handles ``on_page_content``. In a page of the French build (and a French page
shown in another language's build, not translated yet), a narrow no-break
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
# A tag or a comment, with the tag's name: split() gives text, tag, name, text...
_TOKEN = re.compile(r"(<!--.*?-->|<(?:/?\s*([a-zA-Z0-9]+))?[^>]*>)", re.DOTALL)
# What any of the changes below needs: a text without one of these signs is left
# as it is, unread. One character class: three times faster to search than the
# exact contexts (a space before the sign), which _spaces looks for anyway.
_SIGN = re.compile(r"[;!?:«»]")
# Only a space the author typed changes: "&amp;", "a?b" or "http://" stay as they are.
# The space comes first and the lookbehind after it, so the search skips to spaces.
_BEFORE_SIGN = re.compile(r"[ \u00a0\u202f](?<=\S[ \u00a0\u202f])(?=[;!?])")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f](?<=\S[ \u00a0\u202f])(?=:)")
_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING = re.compile(r"[ \u00a0\u202f]?»")


def on_page_content(
    html: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Set the spaces of French typography in a French page and its table of contents."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.default_language not in (
        i18n.current_language,
        # A page not translated yet, shown in French in another language's build.
        getattr(page.file, "locale", None),
    ):
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
    if not _SIGN.search(html):
        return html
    parts = _TOKEN.split(html)
    verbatim = 0
    for i in range(0, len(parts), 3):
        text = parts[i]
        if not verbatim and text and _SIGN.search(text):
            parts[i] = _spaces(text)
        name = parts[i + 2] if i + 2 < len(parts) else None
        if name and name.lower() in VERBATIM and not parts[i + 1].endswith("/>"):
            verbatim = max(verbatim + (-1 if parts[i + 1].startswith("</") else 1), 0)
    del parts[2::3]  # the tags' names
    return "".join(parts)


def _spaces(text: str) -> str:
    if "«" in text:
        text = _OPENING.sub("«" + NARROW, text)
    if "»" in text:
        text = _CLOSING.sub(NARROW + "»", text)
    text = _BEFORE_SIGN.sub(NARROW, text)
    return _BEFORE_COLON.sub(NBSP, text)


def _walk(toc):
    for item in toc:
        yield item
        yield from _walk(item.children)
