"""Set French typography in the rendered French pages (publishing.typography).

Handles ``on_page_content``, ``on_post_page`` and ``on_post_template`` (the
404 page). ``on_page_content`` runs after the hooks that add to a page's
content and before hooks/meta.py derives its description (so the description
carries the spaces); it also sets them in the page's title, its table of
contents and a description written in its front matter. ``on_post_page`` does
the rest of a French page: the head's ``<title>``, the navigation's labels and
the theme's templates' texts (a second pass over the content changes nothing).
The author's Markdown stays as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from publishing import typography
from publishing.order import AFTER_CONTENT_ADDED

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


# Before hooks/meta.py derives the description from the content, after the
# hooks that add to the content, before the English notices.
@event_priority(AFTER_CONTENT_ADDED)
def on_page_content(
    html: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Set French typography in a French page, its title, contents and description."""
    return typography.french_page(html, page, config)


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Set French typography in the rest of a French build's page: head, navigation, templates."""
    return typography.french_templates(output, config)


def on_post_template(
    output_content: str, /, *, template_name: str, config: MkDocsConfig, **kwargs
) -> str | None:
    """Set French typography in the French build's 404 page, a template with no page."""
    return typography.french_404(output_content, template_name, config)
