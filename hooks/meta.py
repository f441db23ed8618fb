"""Give every page a meta description in its own language.

Handles ``on_page_content`` and ``on_post_page``. A page whose front matter has no ``description``
gets one derived from its first paragraph, at render time, so the author's
files stay as written. It runs after hooks/typography.py, so that a French
description keeps the no-break spaces of its text (« simple », ``constat :``).
Material writes ``page.meta.description`` into ``<meta name="description">``;
``overrides/main.html`` adds the Open Graph and Twitter cards from the same
value. Search engines need the hreflang alternates in the head as full
addresses; ``on_post_page`` resolves them against the page's canonical address,
and adds a line of script for a copy served from another address than
``site_url`` (a pull request's preview): Material fetches the sitemap of each
alternate and reads it when the reader picks a language, so the copy points its
alternates at itself first and never asks the published site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from publishing import meta
from publishing.order import AFTER_TYPOGRAPHY

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


# After hooks/typography.py sets the French spaces in the content and a front
# matter's description, before hooks/translations.py's notices join the content.
@event_priority(AFTER_TYPOGRAPHY)
def on_page_content(
    html_content: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> None:
    """Derive the description of a page without one from its first paragraph."""
    meta.describe(page.meta, html_content)
    return None


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Write the hreflang alternates of the head as full addresses."""
    if not page.canonical_url:
        return None
    return meta.full_alternates(output, page.canonical_url, config.site_url)
