"""A small sitemap per page, the one Material's language selector asks for.

Material reads every ``<link rel="alternate">`` of a page and fetches
``sitemap.xml`` next to the address it names; with mkdocs-static-i18n those
links name the page itself in each language. hooks/sitemaps.py writes, in the
folder of every page but the site's root (which keeps the full sitemap), the
sitemap made here from the full one: that page alone, its address in each
language, with its hreflang alternates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from pathlib import Path

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def page_sitemaps(site: Path, site_url: str) -> dict[Path, str]:
    """Return each built page's folder (not the root's) and its own sitemap, from the full one."""
    full = site / "sitemap.xml"
    try:
        root = ET.parse(full).getroot()
    except ET.ParseError as error:
        raise PluginError(f"{full}: {error}") from error
    prefix = urlsplit(site_url).path
    sitemaps = {}
    for url in root.iter(f"{{{SITEMAP}}}url"):
        folder = _folder(site, prefix, url.findtext(f"{{{SITEMAP}}}loc", ""))
        if folder is None or folder == site:
            continue
        alternates = [link.get("href", "") for link in url.iter(f"{{{XHTML}}}link")]
        sitemaps[folder] = page_sitemap(url, alternates)
    return sitemaps


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
