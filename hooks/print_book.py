"""Put the whole book on one printable page per language.

Handles ``on_config`` (read its texts in ``texts.yml`` beside this file), ``on_files``
(add ``print.md`` and ``print.en.md`` before mkdocs-static-i18n sorts the files
by language, then after it, write their heading and introduction) and
``on_page_context`` (their content: every other page of the nav, in order, as
already rendered, examples included, and a table of contents listing
those pages) and ``on_post_page`` (let that content
go once rendered). Every id of a page gets that page's
prefix, and so does what names one (a label's ``for``, the radio group of a
content tab), so no anchor collides with another page's and every tab still
switches, and links between pages become links inside the printed page. The
print page stays out of search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.plugins import CombinedEvent, event_priority

from publishing import print_book
from publishing.build import GeneratedPages
from publishing.order import (
    AFTER_I18N_RECREATES_FILES,
    AFTER_SEARCH_RESTORED,
    BEFORE_I18N_SORTS_FILES,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

# Read in on_config: `mkdocs serve` keeps this module across rebuilds.
_pages = GeneratedPages(print_book.SOURCE)


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the print page's texts."""
    _pages.configure(__file__, config)


@event_priority(BEFORE_I18N_SORTS_FILES)
def _add_pages(files: Files, /, *, config: MkDocsConfig, **kwargs) -> Files:
    """Add the print page of each language."""
    return _pages.add(files, config)


@event_priority(AFTER_I18N_RECREATES_FILES)
def _write_pages(files: Files, /, *, config: MkDocsConfig, **kwargs) -> None:
    """Write the print pages' heading and introduction (outline.py reads the other sources)."""
    for file in files.documentation_pages():
        language = _pages.language(file.src_uri)
        if language is not None:
            file.content_string = print_book.source_text(language, _pages.texts)
    return None


on_files = CombinedEvent(_add_pages, _write_pages)


# After Material's search, which strips data-search attributes from each page's
# content: the pages joined here are stripped already, and the book is not scanned again.
@event_priority(AFTER_SEARCH_RESTORED)
def on_page_context(
    context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation, **kwargs
) -> None:
    """Append every page of the nav, in order, to the print page."""
    if _pages.language(page.file.src_uri) is None:
        return None
    page.edit_url = None  # generated: there is no source file to edit
    print_book.fill(page, [p for p in nav.pages if p is not page and p.content is not None])
    return None


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> None:
    """Let the print page's content go once rendered: the next language's build need not hold it."""
    if _pages.language(page.file.src_uri) is not None:
        page.content = None
    return None
