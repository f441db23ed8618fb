"""Give each page the small sitemap that Material's language selector asks for.

Handles ``on_post_build``. Material reads every ``<link rel="alternate">`` of a
page and fetches ``sitemap.xml`` next to the address it names. With
mkdocs-static-i18n those links name the page itself in each language (as
hreflang wants), so the browser asks for ``chapitre-3/3.1-constat/sitemap.xml``
and gets a 404, an error in the console on every page. This hook writes, in
the folder of every page but the site's root (which keeps the full sitemap),
a sitemap of that page alone: its address in each language, with its hreflang
alternates. A few hundred bytes, whatever the size of the book.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from publishing import sitemaps
from publishing.languages import building_other_language
from publishing.order import AFTER_I18N_BUILDS_ALL

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(AFTER_I18N_BUILDS_ALL)
def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    """Write each page's own sitemap in its folder."""
    if building_other_language(config):
        return  # another language's build, inside the first one's: once, after the last
    site = Path(config.site_dir)
    if not (site / "sitemap.xml").is_file() or not config.site_url:
        return
    for folder, text in sitemaps.page_sitemaps(site, config.site_url).items():
        folder.joinpath("sitemap.xml").write_text(text, encoding="utf-8")
