"""Give Material's widgets the names assistive technologies announce.

Handles ``on_post_page`` and ``on_post_template`` (the 404 page). Material's
search is a ``role="dialog"`` without an accessible name (axe-core and
Lighthouse: aria-dialog-name); this hook names it in the page's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

DIALOG_NAMES = {"fr": "Rechercher dans le livre", "en": "Search the book"}
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Name the search dialog."""
    if _SEARCH_DIALOG not in output:
        return None
    name = DIALOG_NAMES.get(config.theme["language"], DIALOG_NAMES["en"])
    # Once: Material has one search dialog, at the top, and the rest of the page is long.
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


def on_post_template(
    output_content: str, /, *, template_name: str, config: MkDocsConfig, **kwargs
) -> str | None:
    """Name the search dialog of the 404 page, which Material renders as a template."""
    if template_name != "404.html":
        return None
    return on_post_page(output_content, page=None, config=config)
