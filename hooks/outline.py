"""Give every planned section of the book a page in each language.

Handles ``on_config`` (read ``outline.yml`` beside this file, and the planned
pages' text in ``texts.yml``), ``on_files``
(add the planned pages before mkdocs-static-i18n sorts the files by language),
``on_page_read_source`` (their text, from the placeholder) and
``on_page_context`` (their "edit" link opens the outline). A planned section is
in the outline but has no French file yet: a link to it leads to a page that
says it is being written, and a link to anything neither written nor planned
still fails the strict build.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from publishing import outline
from publishing.build import read_texts
from publishing.languages import default_language
from publishing.order import BEFORE_I18N_SORTS_FILES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

OUTLINE = Path(__file__).with_name("outline.yml")
log = get_plugin_logger(__name__)

# Created in on_config, so that `mkdocs serve` rereads the outline every build.
_outline: dict[str, Any] = {}
_generated: dict[str, str] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the outline."""
    global _outline
    _outline = outline.read_outline(
        OUTLINE,
        _relative(OUTLINE),
        {language: text["placeholder"] for language, text in read_texts(__file__).items()},
    )
    _generated.clear()


@event_priority(BEFORE_I18N_SORTS_FILES)
def on_files(files: Files, /, *, config: MkDocsConfig, **kwargs) -> Files:
    """Add a page in each language for every planned section."""
    outline_name = _relative(OUTLINE)
    for problem in outline.written(_outline, files, outline_name):
        log.warning(problem)
    # One page at a time: a planned chapter's overview may be a planned page added before.
    for uri, text in outline.planned_pages(_outline, files, default_language(config), outline_name):
        files.append(File(uri, config.docs_dir, config.site_dir, config.use_directory_urls))
        _generated[uri] = text
    return files


def on_page_read_source(*, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Write the text of a planned page."""
    return _generated.get(page.file.src_uri)


def on_page_context(
    context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation, **kwargs
) -> None:
    """Point the "edit" link of a planned page at the outline."""
    if page.file.src_uri in _generated and config.repo_url:
        page.edit_url = posixpath.join(
            config.repo_url, config.edit_uri.replace("docs/", ""), _relative(OUTLINE)
        )


def _relative(path: Path) -> str:
    """Name a project file relative to the project's top, for messages."""
    return str(path.relative_to(Path(__file__).parent.parent))
