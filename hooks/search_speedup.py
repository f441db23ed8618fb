"""Make Material's search indexing faster, for the same index.

Handles ``on_page_context``, twice: before Material's search plugin indexes a
page (priority 10), its code blocks lose their highlighting tags (one per
token, most of the tags of a page of examples), which Material's parser drops
anyway; after it (priority -10), the page gets its content back. The index is
the same, byte for byte (tests/test_search.py, tests/test_bench.py); without
this hook, Material indexes the pages as they are (make bench measures both).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from publishing.order import AFTER_SEARCH_INDEXES, BEFORE_SEARCH_INDEXES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

# The tags of a code block that Material's indexing ignores: a token's span (a
# class at most, not the "linenodiv" that Material skips) and an empty anchor (a
# line number's). One "<" first: the search skips to it.
_TOKEN = re.compile(
    r'<(?:span(?: class="(?!linenodiv")[^"]*")?>|/span>|a(?: [a-z]+="[^"]*")*></a>)'
)
# The page being indexed: its url -> (its content, the content given to the search).
_originals: dict[str, tuple[str, str]] = {}


@event_priority(BEFORE_SEARCH_INDEXES)
def _lighten(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, **kwargs) -> None:
    """Give Material's search the page's content without the tags of its code's tokens."""
    content = page.content
    # A page with data-search-* attributes is left to Material, which strips them.
    if not content or "<pre" not in content or "data-search-" in content:
        return None
    light = _untokenized(content)
    _originals[page.url] = (content, light)
    page.content = light
    return None


@event_priority(AFTER_SEARCH_INDEXES)
def _restore(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, **kwargs) -> None:
    """Give the page its content back, highlighting included."""
    content, light = _originals.pop(page.url, (None, None))
    if content is None:
        return None
    if page.content != light:
        raise PluginError(
            f"hooks/search_speedup.py: docs/{page.file.src_uri}: its content changed while "
            "Material indexed it; a plugin or hook between priorities 10 and -10 rewrites "
            "page.content in on_page_context: move it out of that range"
        )
    page.content = content
    return None


on_page_context = CombinedEvent(_lighten, _restore)


def _untokenized(content: str) -> str:
    """Return `content` with its code blocks' tokens' tags taken out."""
    # str.find, not a regular expression: a lazy .*? up to "</pre>" is 10 times slower.
    parts, end = [], 0
    while (start := content.find("<pre", end)) != -1:
        close = content.find("</pre>", start)
        if close == -1:
            break
        parts.append(content[end:start])
        block = content[start:close]
        light = _TOKEN.sub("", block)
        # A span left over (an id, a data-search-exclude) has lost its closing tag: keep the block.
        parts.append(block if "<span" in light else light)
        end = close
    parts.append(content[end:])
    return "".join(parts)
