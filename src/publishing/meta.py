"""A page's meta description and its head's hreflang alternates as full addresses.

The description of a page without one in its front matter is the text of its
first paragraph, cut at a word under MAX_LENGTH; hooks/meta.py takes it after
French typography and before the English notices join the content. The head's
alternates are resolved against the page's canonical address, with a line of
script for a copy served from another address than ``site_url``.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from urllib.parse import urljoin

from markupsafe import Markup

# Search engines show about this many characters of a description.
MAX_LENGTH = 160
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
_QUOTE = re.compile(r"<blockquote\b.*?</blockquote>", re.DOTALL)
_ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]*)(" hreflang="[^"]*">)')
# Runs in the head, before Material's script reads the alternates. The address
# below site_url of this page and of each alternate is kept; only the start changes.
_ON_ANOTHER_HOST = """<script>(function (site) {
  var canonical = document.querySelector('link[rel="canonical"]');
  var here = location.href.split("#")[0].split("?")[0].replace(/index\\.html$/, "");
  if (!canonical || here.indexOf(site) === 0 || canonical.href.indexOf(site) !== 0) return;
  var own = canonical.href.slice(site.length);
  if (here.slice(here.length - own.length) !== own) return;
  var base = here.slice(0, here.length - own.length);
  document.querySelectorAll('link[rel="alternate"][hreflang]').forEach(function (link) {
    if (link.href.indexOf(site) === 0) link.href = base + link.href.slice(site.length);
  });
})(%s);</script>
"""
_TAG = re.compile(r"<[^>]+>")
# Runs of ordinary white space only: the no-break spaces of French typography stay.
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def describe(page_meta: dict, html_content: str) -> None:
    """Set the description of a page without one from its first paragraph, escaped for the head."""
    description = page_meta.get("description") or derive_description(html_content)
    if description:
        # Material writes the value into an attribute as it is: escape it once here.
        page_meta["description"] = Markup.escape(description)


def full_alternates(output: str, canonical_url: str, site_url: str | None) -> str:
    """Return the page with the hreflang alternates of its head as full addresses."""
    # The head only: the body of a long page (the print page) need not be scanned.
    end = output.find("</head>")
    end = len(output) if end == -1 else end
    head = _ALTERNATE.sub(
        lambda m: (
            m.group(1) + html.escape(urljoin(canonical_url, html.unescape(m.group(2)))) + m.group(3)
        ),
        output[:end],
    )
    if site_url:
        head += _ON_ANOTHER_HOST % json.dumps(site_url)
    return head + output[end:]


def derive_description(html_content: str) -> str:
    """Return the text of the first paragraph, cut at a word under MAX_LENGTH.

    A paragraph of the text itself comes first; an epigraph (a quote) only when
    the page has nothing else.
    """
    text_only = _QUOTE.sub("", html_content)
    # Lazily: the first paragraph with text ends the search, usually the first one.
    for match in itertools.chain(_PARAGRAPH.finditer(text_only), _PARAGRAPH.finditer(html_content)):
        text = _SPACE.sub(" ", html.unescape(_TAG.sub("", match.group(1)))).strip()
        if text:
            return _shorten(text)
    return ""


def _shorten(text: str) -> str:
    """Cut the text at the last word boundary that fits, with an ellipsis."""
    if len(text) <= MAX_LENGTH:
        return text
    cut = text[: MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" \u00a0\u202f,;:—-")
    return cut + "…"
