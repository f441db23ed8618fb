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

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

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
    _outline = _read_outline(
        {language: text["placeholder"] for language, text in read_texts(__file__).items()}
    )
    _generated.clear()


@event_priority(BEFORE_I18N_SORTS_FILES)
def on_files(files: Files, /, *, config: MkDocsConfig, **kwargs) -> Files:
    """Add a page in each language for every planned section."""
    default = default_language(config)
    outline_name = _relative(OUTLINE)
    for src_uri, titles in _outline["planned"].items():
        if files.get_file_from_path(src_uri) is not None:
            log.warning(
                f"{outline_name}: {src_uri} is written now (docs/{src_uri}); "
                "remove it from 'planned'"
            )
            continue
        for language, template in _outline["placeholder"].items():
            uri = src_uri if language == default else _localized(src_uri, language)
            files.append(File(uri, config.docs_dir, config.site_dir, config.use_directory_urls))
            # Its date is the outline's (hooks/dates.py): the page has no file of its own.
            _generated[uri] = f"---\nrevision_from: [{_relative(OUTLINE)}]\n---\n\n" + (
                template.format(title=titles[language], overview=_overview(src_uri, files))
            )
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


def _read_outline(placeholders: dict[str, str]) -> dict[str, Any]:
    """Load outline.yml, with a planned page's text per language; name the file on any problem."""
    name = _relative(OUTLINE)
    try:
        outline = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PluginError(f"{name}: cannot read the outline: {error}") from error
    if not isinstance(outline, dict) or set(outline) != {"planned"}:
        raise PluginError(f"{name}: expected the key 'planned'")
    outline["placeholder"] = placeholders
    languages = set(placeholders)
    for src_uri, titles in (outline["planned"] or {}).items():
        if not isinstance(titles, dict) or set(titles) != languages:
            raise PluginError(
                f"{name}: {src_uri} needs a title for each of {', '.join(sorted(languages))}"
            )
    outline["planned"] = outline["planned"] or {}
    return outline


def _localized(src_uri: str, language: str) -> str:
    """Return the suffixed name of a page's translation: a/b.md -> a/b.en.md."""
    stem, extension = posixpath.splitext(src_uri)
    return f"{stem}.{language}{extension}"


def _overview(src_uri: str, files: Files) -> str:
    """Link from a planned page to its chapter's overview, or to the home page."""
    folder = posixpath.dirname(src_uri)
    readme = posixpath.join(folder, "README.md")
    target = readme if files.get_file_from_path(readme) else "index.md"
    return posixpath.relpath(target, folder or ".")


def _relative(path: Path) -> str:
    """Name a project file relative to the project's top, for messages."""
    return str(path.relative_to(Path(__file__).parent.parent))
