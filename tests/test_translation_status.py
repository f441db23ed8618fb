"""The translation status page's Markdown as plain functions (publishing.translation_status)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from publishing import i18n, translation_status

TEXTS = {
    "title": "Status",
    "intro": "Intro.",
    "page": "Page",
    "state": "State",
    "section": "Section",
    "states": {"missing": "to translate", "stale": "stale", "up to date": "up to date"},
    "removed": "(removed)",
    "diff": "Changes in {section}:",
    "changes": "See the changes",
    "command": "Then:",
}


def test_translation_status_missing_page_lists_its_sections(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    french = docs / "a.md"
    french.write_text("# A\n\n## First\n\nText.\n", encoding="utf-8")
    status = i18n.PageStatus(french, docs / "a.en.md", "missing")
    markdown = translation_status.page_markdown(
        "en", [status], {"en": TEXTS}, docs, tmp_path, "", ""
    )
    assert markdown.split("---\n", 2)[2] == (
        "\n# Status\n\nIntro.\n\n| Page | State |\n| --- | --- |\n| [a.md](a.md) | to translate |\n"
        "\n## a.md\n\n[a.md](a.md): **to translate**\n\n| Section | State |\n| --- | --- |\n"
        "| `#a` | to translate |\n| `#first` | to translate |\n"
    )


def test_translation_status_language_without_texts_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="no translation_status text for the language 'de'"):
        translation_status.page_markdown("de", [], {"en": TEXTS}, tmp_path, tmp_path, "", "")
