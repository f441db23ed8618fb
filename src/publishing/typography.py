"""French typography in rendered HTML: no-break spaces before ; : ! ? and inside « ».

In a page of the French build (and a French page shown in another language's
build, not translated yet), a narrow no-break space (U+202F) goes before
``;``, ``!`` and ``?`` and inside « », a no-break space (U+00A0) before
``:``, so no line starts with a lone sign; a space typed after an inline
element (``</code> :``, ``</a> ;``) counts as well. Straight double quotes in
the text become « », and quotes nested inside them “ ”. Only the text between
tags changes, never a tag, an attribute or an address, and nothing inside
``pre``, ``code``, ``kbd``, ``samp``, ``script`` or ``style``. hooks/typography.py
calls it on each page's content (its title, table of contents and description
too) and on what the templates add around it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from publishing.languages import current_language, page_language

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

NARROW = "\u202f"
NBSP = "\u00a0"
VERBATIM = {"pre", "code", "kbd", "samp", "script", "style"}
# Elements inside a line of text: a space after one of them follows a word.
INLINE = {"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "samp", "small",
          "span", "strong", "sub", "sup", "time", "u", "var"}  # fmt: skip
# A tag or a comment, with the tag's name: split() gives text, tag, name, text...
_TOKEN = re.compile(r"(<!--.*?-->|<(?:/?\s*([a-zA-Z0-9]+))?[^>]*>)", re.DOTALL)
# What any of the changes below needs: a text without one of these signs is left
# as it is, unread. One character class: three times faster to search than the
# exact contexts (a space before the sign), which _spaces looks for anyway.
_SIGN = re.compile(r'[;!?:«»"]|&quot;')
# Only a space the author typed changes: "&amp;", "a?b" or "http://" stay as they are.
# The space comes first and the lookbehind after it, so the search skips to spaces.
_BEFORE_SIGN = re.compile(r"[ \u00a0\u202f](?<=\S[ \u00a0\u202f])(?=[;!?])")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f](?<=\S[ \u00a0\u202f])(?=:)")
# The same space at the start of a text that follows an inline element.
_LEADING_SIGN = re.compile(r"\A[ \u00a0\u202f](?=[;!?])")
_LEADING_COLON = re.compile(r"\A[ \u00a0\u202f](?=:)")
_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING = re.compile(r"[ \u00a0\u202f]?»")
_STRAIGHT = re.compile(r'"|&quot;')
_QUOTES = (("«" + NARROW, NARROW + "»"), ("“", "”"))  # by depth: outer, nested


def french_page(html: str, page: Page, config: MkDocsConfig) -> str | None:
    """Set French typography in a French page's content (returned), title, contents, description."""
    # A page not translated yet is French in another language's build.
    if page_language(page, config) != "fr":
        return None
    # The title shows in the nav and the footer's links: same spaces as the heading.
    if page.title:
        page.title = french_spaces(page.title)
    for item in _walk(page.toc):
        item.title = french_spaces(item.title)
    description = page.meta.get("description")
    if type(description) is str and "<" not in description:
        # Plain text from the front matter; publishing.meta escapes it for the head
        # (into Markup: a description escaped already is left alone).
        page.meta["description"] = french_spaces(description)
    return french_spaces(html)


def french_templates(output: str, config: MkDocsConfig) -> str | None:
    """Return a French build's page with French typography in what the templates add."""
    if current_language(config) != "fr":
        return None
    # The article was done with the page's content: only what the templates add around
    # it (on a long book, the navigation of every page is most of that).
    start, end = output.find("<article"), output.rfind("</article>")
    if start == -1 or end == -1:
        spaced = french_spaces(output)
    else:
        spaced = french_spaces(output[:start]) + output[start:end] + french_spaces(output[end:])
    return None if spaced == output else spaced


def french_404(output: str, template_name: str, config: MkDocsConfig) -> str | None:
    """Return the French build's 404 page, a template with no page, with French typography."""
    if template_name != "404.html":
        return None
    return french_templates(output, config)


def french_spaces(html: str) -> str:
    """Return `html` with French typography in its text, outside verbatim elements."""
    if not _SIGN.search(html):
        return html
    parts = _TOKEN.split(html)
    verbatim = 0
    depth = 0  # of open quotes, in the current block
    after_word = False  # the text so far in this block ends with a word, across inline tags
    for i in range(0, len(parts), 3):
        text = parts[i]
        if text:
            if not verbatim and _SIGN.search(text):
                if after_word:
                    text = _LEADING_SIGN.sub(NARROW, _LEADING_COLON.sub(NBSP, text))
                if '"' in text or "&quot;" in text:
                    text, depth = _quotes(text, depth, after_word)
                parts[i] = _spaces(text)
            after_word = not parts[i][-1].isspace()
        if i + 1 >= len(parts):
            break
        name = (parts[i + 2] or "").lower()
        if name and name not in INLINE:
            after_word, depth = False, 0  # a block's edge: quotes and words start again
        if name in VERBATIM and not parts[i + 1].endswith("/>"):
            verbatim = max(verbatim + (-1 if parts[i + 1].startswith("</") else 1), 0)
    del parts[2::3]  # the tags' names
    return "".join(parts)


def _quotes(text: str, depth: int, after_word: bool) -> tuple[str, int]:
    """Turn the straight double quotes of a text into French ones; return it and the depth."""
    out, start = [], 0
    for match in _STRAIGHT.finditer(text):
        before = text[match.start() - 1] if match.start() else ("x" if after_word else " ")
        after = text[match.end()] if match.end() < len(text) else " "
        opening = (before.isspace() or before in "([{—–'’") and not after.isspace()
        if opening:
            mark = _QUOTES[min(depth, 1)][0]
            depth += 1
        else:
            # A closing quote with nothing open closes a quote of an earlier block.
            depth = max(depth - 1, 0)
            mark = _QUOTES[min(depth, 1)][1]
        out += [text[start : match.start()], mark]
        start = match.end()
    out.append(text[start:])
    return "".join(out), depth


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
