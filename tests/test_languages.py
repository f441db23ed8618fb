"""What publishing.languages reads of mkdocs-static-i18n's state, in a two-language build.

publishing.languages is the one module that reads the plugin's undocumented
state (``default_language``, ``current_language``, ``building``,
``config.languages``, ``File.locale``, ``File.alternates``). A small fixture
book, French by default with one page translated and one not, is built with a
hook that records what each function answers at each event: a new version of
the plugin that changes what one of those attributes means fails here.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import build_problems, build_site

CONFIG = """\
site_name: Languages
site_url: https://example.org/
theme:
  name: material
  language: fr
plugins:
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      reconfigure_search: false
      languages:
        - locale: fr
          name: Français
          default: true
          build: true
        - locale: en
          name: English
          build: true
hooks:
  - record.py
"""
RECORDER = """\
import json
from pathlib import Path

from publishing import languages

RECORD = Path(__file__).parent / "record.jsonl"


def _say(event, **values):
    with RECORD.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"event": event, **values}) + "\\n")


def on_config(config, **kwargs):
    _say(
        "config",
        default_build=languages.is_default_build(config),
        other=languages.building_other_language(config),
    )


def on_page_content(html, /, *, page, config, **kwargs):
    original = languages.original_of(page.file)
    _say(
        "page",
        page=page.file.src_uri,
        current=languages.current_language(config),
        default=languages.default_language(config),
        languages=languages.languages(config),
        default_build=languages.is_default_build(config),
        other=languages.building_other_language(config),
        text=languages.page_language(page, config),
        untranslated=languages.is_untranslated(page, config),
        original=original.src_uri if original is not None else None,
    )


def on_post_build(*, config, **kwargs):
    _say(
        "post_build",
        current=languages.current_language(config),
        other=languages.building_other_language(config),
    )
"""


def page(page: str, current: str, text: str, untranslated: bool, original: str | None) -> dict:
    """Return what the recorder says of a page: the build's and the page's languages."""
    return {
        "event": "page",
        "page": page,
        "current": current,
        "default": "fr",
        "languages": ["fr", "en"],
        "default_build": current == "fr",
        "other": current != "fr",
        "text": text,
        "untranslated": untranslated,
        "original": original,
    }


def test_languages_read_from_the_i18n_plugin(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    (docs / "index.en.md").write_text("# Home\n", encoding="utf-8")
    (docs / "seul.md").write_text("# Pas encore traduit\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "record.py").write_text(textwrap.dedent(RECORDER), encoding="utf-8")

    build = build_site(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)

    assert build.returncode == 0, build_problems(build)
    lines = (tmp_path / "record.jsonl").read_text(encoding="utf-8").splitlines()
    pages = [json.loads(line) for line in lines if '"page"' in line]
    assert sorted(pages, key=lambda p: (p["current"], p["page"])) == [
        page("index.en.md", "en", "en", untranslated=False, original="index.md"),
        page("seul.md", "en", "fr", untranslated=True, original=None),
        page("index.md", "fr", "fr", untranslated=False, original="index.en.md"),
        page("seul.md", "fr", "fr", untranslated=False, original=None),
    ]
    builds = [json.loads(line) for line in lines if '"page"' not in line]
    # The English build runs inside the French one's on_post_build (the plugin's, at -100,
    # after this hook's at 0), with `building` set.
    assert builds == [
        {"event": "config", "default_build": True, "other": False},
        {"event": "post_build", "current": "fr", "other": False},
        {"event": "config", "default_build": False, "other": True},
        {"event": "post_build", "current": "en", "other": True},
    ]
