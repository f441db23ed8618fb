"""Publish the state of the English translation, page by page and section by section.

Handles ``on_config`` (read its texts in ``texts.yml`` beside this file),
``on_files`` (add ``traductions.md`` and ``traductions.en.md`` before
mkdocs-static-i18n sorts the files by language; after it, write their Markdown
from publishing.i18n's statuses, the ones ``make i18n-status`` prints, and keep
them out of the navigation's warnings: the home page links to them) and
``on_page_context`` (no "edit" link: there is no file to edit). For a stale
section the page shows the diff of the French text since the translation, a
link to that change in the repository when the record names its commit, and
the command that records the updated translation. Generated at every build,
never kept by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import InclusionLevel

from publishing import i18n, translation_status
from publishing.build import GeneratedPages, project_top
from publishing.order import AFTER_I18N_RECREATES_FILES, BEFORE_I18N_SORTS_FILES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# Read in on_config: `mkdocs serve` keeps this module across rebuilds.
_pages = GeneratedPages(translation_status.SOURCE)


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the status page's texts."""
    _pages.configure(__file__, config)


@event_priority(BEFORE_I18N_SORTS_FILES)
def _add_pages(files: Files, /, *, config: MkDocsConfig, **kwargs) -> Files:
    """Add the status page of each language."""
    return _pages.add(files, config)


@event_priority(AFTER_I18N_RECREATES_FILES)
def _write_pages(files: Files, /, *, config: MkDocsConfig, **kwargs) -> None:
    """Write the status pages from the translations' records, as they are now."""
    pages = [f for f in files.documentation_pages() if _pages.language(f.src_uri) is not None]
    if not pages:
        return None
    top = project_top(config)
    docs = Path(config.docs_dir)
    statuses = i18n.statuses(docs, top / i18n.STORE.name)
    for file in pages:
        file.content_string = translation_status.page_markdown(
            _pages.language(file.src_uri),
            statuses,
            _pages.texts,
            docs,
            top,
            config.repo_url,
            config.edit_uri or "",
        )
        file.inclusion = InclusionLevel.NOT_IN_NAV  # linked from the home page, not listed
    return None


on_files = CombinedEvent(_add_pages, _write_pages)


def on_page_context(context: dict[str, Any], /, *, page: Page, **kwargs) -> None:
    """Drop the status page's "edit" link: it has no source file to edit."""
    if _pages.language(page.file.src_uri) is not None:
        page.edit_url = None
    return None
