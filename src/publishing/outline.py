"""Planned sections: a "being written" page in each language, so links to them work.

hooks/outline.py adds the pages; what they are is here: hooks/outline.yml
lists each planned section's source and its title per language, the
placeholder's text per language is in hooks/texts.yml (outline), and a planned
page links to its chapter's overview, or to the home page. A section written
since it was planned is a problem to say, and gets no page.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from mkdocs.structure.files import Files


def read_outline(path: Path, name: str, placeholders: dict[str, str]) -> dict[str, Any]:
    """Load outline.yml, with a planned page's text per language; name the file on any problem."""
    try:
        outline = yaml.safe_load(path.read_text(encoding="utf-8"))
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


def written(outline: dict[str, Any], files: Files, name: str) -> list[str]:
    """Return a problem for each planned section that is written now."""
    return [
        f"{name}: {src_uri} is written now (docs/{src_uri}); remove it from 'planned'"
        for src_uri in outline["planned"]
        if files.get_file_from_path(src_uri) is not None
    ]


def planned_pages(
    outline: dict[str, Any], files: Files, default: str, name: str
) -> Iterator[tuple[str, str]]:
    """Yield each planned page not written yet, in each language: its source and its text."""
    for src_uri, titles in outline["planned"].items():
        if files.get_file_from_path(src_uri) is not None:
            continue
        for language, template in outline["placeholder"].items():
            uri = src_uri if language == default else localized(src_uri, language)
            # Its date is the outline's (hooks/dates.py): the page has no file of its own.
            yield (
                uri,
                f"---\nrevision_from: [{name}]\n---\n\n"
                + (template.format(title=titles[language], overview=overview(src_uri, files))),
            )


def localized(src_uri: str, language: str) -> str:
    """Return the suffixed name of a page's translation: a/b.md -> a/b.en.md."""
    stem, extension = posixpath.splitext(src_uri)
    return f"{stem}.{language}{extension}"


def overview(src_uri: str, files: Files) -> str:
    """Link from a planned page to its chapter's overview, or to the home page."""
    folder = posixpath.dirname(src_uri)
    readme = posixpath.join(folder, "README.md")
    target = readme if files.get_file_from_path(readme) else "index.md"
    return posixpath.relpath(target, folder or ".")
