"""Planned sections' pages as plain functions (publishing.outline); the built pages: test_site."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from publishing import outline

if TYPE_CHECKING:
    from pathlib import Path

PLACEHOLDERS = {
    "fr": "# {title}\n\n[Sommaire]({overview})\n",
    "en": "# {title}\n\n[Back]({overview})\n",
}


def _files(tmp_path: Path, *uris: str) -> Files:
    return Files([File(u, str(tmp_path), str(tmp_path / "site"), True) for u in uris])


def test_outline_planned_pages_in_each_language_link_their_overview(tmp_path: Path) -> None:
    path = tmp_path / "outline.yml"
    path.write_text("planned:\n  c/x.md: {fr: X fr, en: X en}\n  y.md: {fr: Y, en: Y}\n")
    planned = outline.read_outline(path, "hooks/outline.yml", PLACEHOLDERS)
    files = _files(tmp_path, "c/README.md", "y.md")
    assert outline.written(planned, files, "hooks/outline.yml") == [
        "hooks/outline.yml: y.md is written now (docs/y.md); remove it from 'planned'"
    ]
    front = "---\nrevision_from: [hooks/outline.yml]\n---\n\n"
    assert list(outline.planned_pages(planned, files, "fr", "hooks/outline.yml")) == [
        ("c/x.md", front + "# X fr\n\n[Sommaire](README.md)\n"),
        ("c/x.en.md", front + "# X en\n\n[Back](README.md)\n"),
    ]


def test_outline_title_missing_in_a_language_stops_the_build(tmp_path: Path) -> None:
    path = tmp_path / "outline.yml"
    path.write_text("planned:\n  x.md: {fr: X}\n")
    with pytest.raises(PluginError, match=r"^o.yml: x.md needs a title for each of en, fr$"):
        outline.read_outline(path, "o.yml", PLACEHOLDERS)
