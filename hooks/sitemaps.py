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

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from publishing.languages import building_other_language
from publishing.order import AFTER_I18N_BUILDS_ALL

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


@event_priority(AFTER_I18N_BUILDS_ALL)
def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    """Write each page's own sitemap in its folder."""
    if building_other_language(config):
        return  # another language's build, inside the first one's: once, after the last
    site = Path(config.site_dir)
    full = site / "sitemap.xml"
    if not full.is_file() or not config.site_url:
        return
    try:
        root = ET.parse(full).getroot()
    except ET.ParseError as error:
        raise PluginError(f"{full}: {error}") from error
    prefix = urlsplit(config.site_url).path
    for url in root.iter(f"{{{SITEMAP}}}url"):
        folder = _folder(site, prefix, url.findtext(f"{{{SITEMAP}}}loc", ""))
        if folder is None or folder == site:
            continue
        alternates = [link.get("href", "") for link in url.iter(f"{{{XHTML}}}link")]
        folder.joinpath("sitemap.xml").write_text(page_sitemap(url, alternates), encoding="utf-8")


def page_sitemap(url: ET.Element, alternates: list[str]) -> str:
    """Return a sitemap of one page: one entry per language, each with every alternate."""
    links = "".join(
        f'\n        <xhtml:link rel="alternate" hreflang={quoteattr(link.get("hreflang", ""))} '
        f"href={quoteattr(link.get('href', ''))}/>"
        for link in url.iter(f"{{{XHTML}}}link")
    )
    entries = "".join(
        f"\n    <url>\n        <loc>{escape(href)}</loc>{links}\n    </url>"
        for href in alternates or [url.findtext(f"{{{SITEMAP}}}loc", "")]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">{entries}\n</urlset>\n'
    )


def _folder(site: Path, prefix: str, loc: str) -> Path | None:
    """Return the folder of the built page at `loc`, None when it is not one of the site's."""
    path = urlsplit(loc).path
    if not path.startswith(prefix):
        return None
    folder = site / path[len(prefix) :]
    return folder if (folder / "index.html").is_file() else None
