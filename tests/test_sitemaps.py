"""Each page's own sitemap as a plain function (publishing.sitemaps); the built ones: test_site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publishing import sitemaps

if TYPE_CHECKING:
    from pathlib import Path

FULL = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>https://x.org/book/</loc></url>
<url><loc>https://x.org/book/a/</loc>
<xhtml:link rel="alternate" hreflang="fr" href="https://x.org/book/a/"/>
<xhtml:link rel="alternate" hreflang="en" href="https://x.org/book/en/a/"/></url>
<url><loc>https://x.org/book/gone/</loc></url>
</urlset>
"""


def test_sitemaps_one_per_built_page_but_the_root(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for page in (tmp_path / "index.html", tmp_path / "a" / "index.html"):
        page.write_text("<html></html>", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(FULL, encoding="utf-8")
    links = (
        '\n        <xhtml:link rel="alternate" hreflang="fr" href="https://x.org/book/a/"/>'
        '\n        <xhtml:link rel="alternate" hreflang="en" href="https://x.org/book/en/a/"/>'
    )
    assert sitemaps.page_sitemaps(tmp_path, "https://x.org/book/") == {
        tmp_path / "a": (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{sitemaps.SITEMAP}" xmlns:xhtml="{sitemaps.XHTML}">'
            f"\n    <url>\n        <loc>https://x.org/book/a/</loc>{links}\n    </url>"
            f"\n    <url>\n        <loc>https://x.org/book/en/a/</loc>{links}\n    </url>"
            "\n</urlset>\n"
        )
    }
