"""The whole book on one printable page per language.

hooks/print_book.py adds ``print.md`` and ``print.en.md`` and fills them: a
heading and an introduction (its texts in hooks/texts.yml, print_book), then
every other page of the nav, in order, as already rendered. Every id of a page
gets that page's prefix, and so does what names one (a label's ``for``, the
radio group of a content tab), so no anchor collides with another page's and
every tab still switches, and links between pages become links inside the
printed page. Its table of contents lists the pages, and its date is its
newest page's.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import AnchorLink, TableOfContents

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

SOURCE = "print.md"
# Attributes only, not their look-alikes (data-id, data-src). The lookbehind
# comes after the name, so the search skips to the name instead of trying
# every position of the page (15 times faster).
_ID = re.compile(r'id(?<![\w-]id)="([^"]*)"')
_URL = re.compile(r'(href(?<![\w-]href)|src(?<![\w-]src))="([^"]*)"')
# What names an id of the same page: a label's input, a content tab's radio group.
_NAMES_ID = re.compile(r'(for(?<![\w-]for)|name(?<![\w-]name))="([^"]*)"')
# A link to an anchor of the same page, as most links of a page are.
_SAME_PAGE = re.compile(r"#[^\t\r\n]*")
_HEADING = re.compile(r"<(/?)h([1-5])\b")


def source_text(language: str, texts: dict[str, dict[str, str]]) -> str:
    """Return the Markdown of a language's print page: its heading and introduction."""
    if language not in texts:
        raise PluginError(f"hooks/texts.yml: no print_book text for the language '{language}'")
    text = texts[language]
    return (
        # Its date is set from its newest page in on_page_context; until then, the build's.
        "---\nsearch:\n  exclude: true\nrevision_from: build\n---\n\n"
        f"# {text['title']}\n\n{text['intro']}\n"
    )


def fill(page: Page, pages: list[Page]) -> None:
    """Append the pages to the print page, date it from the newest, list them in its contents."""
    prefixes = {p.url: prefix(p.url) for p in pages}
    sections = [section(p, page, prefixes) for p in pages]
    if sections:
        # One join, no copy of the whole book on top: it is megabytes on a big book.
        sections[0] = (page.content or "") + sections[0]
        page.content = "\n".join(sections)
    # Its last update is that of the most recently changed page it holds. When that
    # page's history cannot tell (hooks/dates.py's note), the newest is today's
    # text: the print page keeps the build's date, its own, with no note.
    newest = max(pages, key=lambda p: p.update_date, default=None)
    if (
        newest is not None
        and "revision_date" in newest.meta
        and "livre-date-note" not in newest.meta["revision_date"]
    ):
        page.meta["revision_date"] = newest.meta["revision_date"]
        page.update_date = newest.update_date
    page.toc = book_toc(page.toc, pages, prefixes)


def prefix(url: str) -> str:
    """Return the id prefix of a page from its address ("chapitre-3/3.1-constat/")."""
    slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")
    return f"livre-{slug or 'accueil'}"


def section(source: Page, printed: Page, prefixes: dict[str, str]) -> str:
    """Return a page's content with prefixed ids, rebased links and headings one level down."""
    prefix = prefixes[source.url]
    content = _ID.sub(lambda m: f'id="{prefix}--{m.group(1)}"', source.content or "")
    if "__tabbed_" in content or "<label" in content:
        content = _NAMES_ID.sub(lambda m: _renamed(m, prefix), content)
    content = _URL.sub(
        lambda m: f'{m.group(1)}="{rebase(m.group(2), source.url, printed.url, prefixes)}"',
        content,
    )
    content = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", content)
    return f'<section class="livre-print-page" id="{prefix}">\n{content}\n</section>'


def rebase(url: str, source_url: str, printed_url: str, prefixes: dict[str, str]) -> str:
    """Point a link of a page's content to the same target from the print page."""
    unescaped = html.unescape(url)
    if _SAME_PAGE.fullmatch(unescaped):
        # What the general case below gives it, without parsing the address.
        fragment = unescaped[1:]
        return f"#{prefixes[source_url]}--{fragment}" if fragment else f"#{prefixes[source_url]}"
    parts = urlsplit(unescaped)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return url
    target = (
        source_url
        if not parts.path
        else posixpath.normpath(posixpath.join(posixpath.dirname("/" + source_url), parts.path))
    )
    target = target.lstrip("/")
    if parts.path.endswith("/") and not target.endswith("/") and target:
        target += "/"
    if target in ("", "."):
        target = ""
    if target in prefixes:
        anchor = prefixes[target]
        return f"#{anchor}--{parts.fragment}" if parts.fragment else f"#{anchor}"
    rebased = posixpath.relpath("/" + (target or "."), posixpath.dirname("/" + printed_url))
    if target.endswith("/"):
        rebased += "/"
    suffix = f"?{parts.query}" if parts.query else ""
    suffix += f"#{parts.fragment}" if parts.fragment else ""
    return html.escape(rebased + suffix)


def book_toc(own: TableOfContents, pages: list[Page], prefixes: dict[str, str]) -> TableOfContents:
    """Return the print page's table of contents: the book's pages, under its own title.

    Material shows the children of a page's title, so the pages are listed
    there, one entry each, as a book's contents list its chapters and sections
    (a whole book's headings would be thousands of entries).
    """
    # One entry per printed section, so every section is listed; a page without
    # a title is named by its source file.
    entries = [AnchorLink(p.title or p.file.src_uri, prefixes[p.url], 2) for p in pages]
    first = next(iter(own), None)
    if first is None or first.level != 1:
        return TableOfContents([*own, *entries])
    title = AnchorLink(first.title, first.id, 1)
    title.children = [*first.children, *entries]
    return TableOfContents([title, *list(own)[1:]])


def _renamed(match: re.Match[str], prefix: str) -> str:
    """Prefix a label's ``for`` and a content tab's radio group; leave other names be."""
    attribute, value = match.group(1), match.group(2)
    if attribute == "name" and not value.startswith("__tabbed_"):
        return match.group(0)
    return f'{attribute}="{prefix}--{value}"'
