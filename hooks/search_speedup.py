"""Make Material's search indexing faster, for the same index.

Handles ``on_page_context``, twice: before Material's search plugin indexes a
page (priority 10), its code blocks lose their highlighting tags (one per
token, most of the tags of a page of examples), which Material's parser drops
anyway; after it (priority -10), the page gets its content back. The index is
the same, byte for byte (tests/test_search.py, tests/test_bench.py); without
this hook, Material indexes the pages as they are (make bench measures both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.plugins import CombinedEvent, event_priority

from publishing import search
from publishing.order import AFTER_SEARCH_INDEXES, BEFORE_SEARCH_INDEXES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

# The page being indexed: its url -> (its content, the content given to the search).
_originals: dict[str, tuple[str, str]] = {}


@event_priority(BEFORE_SEARCH_INDEXES)
def _lighten(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, **kwargs) -> None:
    """Give Material's search the page's content without the tags of its code's tokens."""
    search.lighten(page, _originals)


@event_priority(AFTER_SEARCH_INDEXES)
def _restore(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, **kwargs) -> None:
    """Give the page its content back, highlighting included."""
    search.restore(page, _originals)


on_page_context = CombinedEvent(_lighten, _restore)
