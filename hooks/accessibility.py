"""Give Material's widgets the names assistive technologies announce.

Handles ``on_config`` (read the names in ``texts.yml`` beside this file),
``on_post_page`` and ``on_post_template`` (the 404 page). Material's
search is a ``role="dialog"`` without an accessible name (axe-core and
Lighthouse: aria-dialog-name); this hook names it in the page's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publishing.build import read_texts

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'

# Reset in on_config: `mkdocs serve` keeps this module across builds.
_texts: dict[str, dict[str, str]] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the names, per language."""
    _texts.clear()
    _texts.update(read_texts(__file__))


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Name the search dialog."""
    if _SEARCH_DIALOG not in output:
        return None
    name = (_texts.get(config.theme["language"]) or _texts["en"])["search_dialog"]
    # Once: Material has one search dialog, at the top, and the rest of the page is long.
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


def on_post_template(
    output_content: str, /, *, template_name: str, config: MkDocsConfig, **kwargs
) -> str | None:
    """Name the search dialog of the 404 page, which Material renders as a template."""
    if template_name != "404.html":
        return None
    return on_post_page(output_content, page=None, config=config)
