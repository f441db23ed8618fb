"""`make new-section` (publishing-new-section) on a copy of the project."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, Build, build_problems, build_site, skip_unless_built
from test_translations import i18n

NEW_SECTION = [str(BIN / "publishing-new-section")]
# The outline's top-level `planned:` line, with entries under it or empty (`planned: {}`).
PLANNED = re.compile(r"\nplanned:(?: \{\})?\n")
NOT_COPIED = shutil.ignore_patterns(".*", "site", "node_modules", "*.egg-info", "__pycache__")


@pytest.fixture
def project(tmp_path: Path, site_build: Build) -> Path:
    """A copy of the project's sources, to change freely."""
    skip_unless_built(site_build)
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    return copy


def plan_section(project: Path, src_uri: str, fr: str, en: str) -> None:
    """Plan a section in the copy's outline and list it at the end of chapter 3's nav."""
    outline = project / "hooks/outline.yml"
    entry = f"  {src_uri}:\n    fr: {fr}\n    en: {en}\n"
    text, found = PLANNED.subn(lambda m: f"\nplanned:\n{entry}", outline.read_text(), count=1)
    assert found == 1, "hooks/outline.yml has no top-level `planned:`"
    outline.write_text(text)
    config = project / "mkdocs.yml"
    text = config.read_text()
    last = [line for line in text.splitlines() if line.startswith("      - chapitre-3/")][-1]
    config.write_text(text.replace(f"{last}\n", f"{last}\n      - {src_uri}\n", 1))


def new_section(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NEW_SECTION, "--root", str(project), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


# The book's contents, home page and chapter overview, as new-section finds them.
CONTENTS = {
    "index.md": "# Accueil\n\n## Table des matières\n\n- [Chapitre 3](chapitre-3/README.md)\n"
    "    - [3.1 Le constat](chapitre-3/3.1-constat.md)\n"
    "    - [3.98 Bilan](chapitre-3/3.98-bilan.md) (en cours d'écriture)\n",
    "index.en.md": "# Home { #accueil }\n\n## Contents { #table-des-matieres }\n\n"
    "- [Chapter 3](chapitre-3/README.md)\n"
    "    - [3.1 The realization](chapitre-3/3.1-constat.md)\n"
    "    - [3.98 Review](chapitre-3/3.98-bilan.md) (being written)\n",
    "chapitre-3/README.md": "# Chapitre 3\n\n| Section | En une ligne |\n| --- | --- |\n"
    "| [3.1 Le constat](3.1-constat.md) | Un résumé. |\n"
    "| [3.98 Bilan](3.98-bilan.md) | En cours d'écriture. |\n",
    "chapitre-3/README.en.md": "# Chapter 3 { #chapitre-3 }\n\n| Section | In one line |\n"
    "| --- | --- |\n| [3.1 The realization](3.1-constat.md) | A summary. |\n"
    "| [3.98 Review](3.98-bilan.md) | Being written. |\n",
}


def write_contents(project: Path, record: bool = True) -> None:
    """Give the copy the contents above, their translations recorded (or not) as up to date."""
    for name, text in CONTENTS.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    for name in CONTENTS:
        if record and name.endswith(".en.md"):
            i18n.update(project / "docs" / name, project / "docs", project / "translations")


def test_new_section_writes_planned_and_new_sections_and_the_build_passes(project: Path) -> None:
    plan_section(project, "chapitre-3/3.98-bilan.md", "3.98 Bilan", "3.98 Review")
    write_contents(project)
    nav_before = (project / "mkdocs.yml").read_text()

    first = new_section(project, "--chapter", "3", "--section", "3.98", "--slug", "bilan")
    second = new_section(
        project, "--chapter", "3", "--section", "3.99", "--slug", "fin", "--title", "3.99 Fin"
    )

    assert (first.returncode, first.stdout) == (
        0,
        (
            "created docs/chapitre-3/3.98-bilan.md: write the section there\n"
            "hooks/outline.yml: chapitre-3/3.98-bilan.md is written now, no longer planned\n"
            + LISTED.format(name="3.98-bilan.md")
            + "English: none yet, shown in French under /en/ until translated (planned English "
            "title: '3.98 Review'); see make i18n-status\n"
        ),
    ), first.stderr
    assert (second.returncode, second.stdout) == (
        0,
        (
            "created docs/chapitre-3/3.99-fin.md: write the section there\n"
            "mkdocs.yml: chapitre-3/3.99-fin.md added to the nav of chapter 3\n"
            + LISTED.format(name="3.99-fin.md")
            + "English: none yet, shown in French under /en/ until translated; "
            "see make i18n-status\n"
        ),
    ), second.stderr
    assert (
        (project / "docs/index.en.md")
        .read_text()
        .endswith(
            "    - [3.1 The realization](chapitre-3/3.1-constat.md)\n"
            "    - [3.98 Bilan](chapitre-3/3.98-bilan.md) (FR)\n"
            "    - [3.99 Fin](chapitre-3/3.99-fin.md) (FR)\n"
        )
    )
    assert (
        (project / "docs/chapitre-3/README.md")
        .read_text()
        .endswith(
            "| [3.1 Le constat](3.1-constat.md) | Un résumé. |\n"
            "| [3.98 Bilan](3.98-bilan.md) | |\n| [3.99 Fin](3.99-fin.md) | |\n"
        )
    )
    docs, store = project / "docs", project / "translations"
    assert i18n.page_status(docs / "index.md", docs, store).state == "up to date"
    assert (project / "docs/chapitre-3/3.98-bilan.md").read_text() == "# 3.98 Bilan\n\n"
    planned = yaml.safe_load((project / "hooks/outline.yml").read_text())["planned"] or {}
    assert "chapitre-3/3.98-bilan.md" not in planned
    # 3.99 goes after the last section numbered before it: 3.98, planned at the chapter's end.
    assert (project / "mkdocs.yml").read_text() == nav_before.replace(
        "      - chapitre-3/3.98-bilan.md\n",
        "      - chapitre-3/3.98-bilan.md\n      - chapitre-3/3.99-fin.md\n",
    )

    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert build_problems(build) == []
    assert (project / "site/chapitre-3/3.99-fin/index.html").is_file()
    assert (project / "site/en/chapitre-3/3.99-fin/index.html").is_file()


LISTED = (
    "docs/index.md: {name} listed\n"
    "docs/index.en.md: {name} listed\n"
    "docs/index.en.md: recorded again, in step with its French page\n"
    "docs/chapitre-3/README.md: {name} listed\n"
    "docs/chapitre-3/README.en.md: {name} listed\n"
    "docs/chapitre-3/README.en.md: recorded again, in step with its French page\n"
)


def test_new_section_leaves_an_english_contents_behind_to_its_translator(project: Path) -> None:
    write_contents(project, record=False)
    before = (project / "docs/index.en.md").read_text()
    result = new_section(
        project, "--chapter", "3", "--section", "3.99", "--slug", "fin", "--title", "3.99 Fin"
    )
    assert result.returncode == 0, result.stderr
    assert "docs/index.md: 3.99-fin.md listed\n" in result.stdout
    assert "index.en.md" not in result.stdout
    assert (project / "docs/index.en.md").read_text() == before
    assert "    - [3.99 Fin](chapitre-3/3.99-fin.md)\n" in (project / "docs/index.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--section", "3.1", "--slug", "constat"],
            "new-section: docs/chapitre-3/3.1-constat.md exists already\n",
        ),
        (
            ["--section", "3.9", "--slug", "fin"],
            "new-section: chapitre-3/3.9-fin.md is not planned in hooks/outline.yml: give its "
            'title, e.g. TITLE="3.9 Titre de la section"\n',
        ),
        (
            ["--section", "3.9", "--slug", "Fin Du"],
            "new-section: slug 'Fin Du' must be lowercase words joined by hyphens, e.g. analyse\n",
        ),
        (
            ["--section", "4.1", "--slug", "fin"],
            "new-section: section '4.1' must be numbered in chapter 3, e.g. 3.2\n",
        ),
    ],
    ids=["exists", "unplanned-without-title", "bad-slug", "other-chapter"],
)
def test_new_section_refuses(project: Path, args: list[str], message: str) -> None:
    before = sorted(str(p.relative_to(project)) for p in (project / "docs").rglob("*"))
    result = new_section(project, "--chapter", "3", *args)
    assert (result.returncode, result.stderr) == (1, message)
    assert sorted(str(p.relative_to(project)) for p in (project / "docs").rglob("*")) == before


def test_new_section_refuses_a_chapter_missing_from_the_nav(project: Path) -> None:
    result = new_section(
        project, "--chapter", "9", "--section", "9.1", "--slug", "debut", "--title", "9.1 Début"
    )
    assert (result.returncode, result.stderr) == (
        1,
        (
            "new-section: mkdocs.yml: no nav entry under chapitre-9/ for chapter 9: "
            "add the chapter first (its chapitre-9/README.md)\n"
        ),
    )
    assert not (project / "docs/chapitre-9").exists()


def test_new_section_leaves_an_empty_planned_list_readable(project: Path) -> None:
    outline = project / "hooks/outline.yml"
    # A comment after the list, as another part of the file would start.
    outline.write_text("# The outline.\nplanned: {}\n\n# Then something else.\n")
    plan_section(project, "chapitre-3/3.98-bilan.md", "3.98 A", "3.98 B")

    result = new_section(project, "--chapter", "3", "--section", "3.98", "--slug", "bilan")

    assert result.returncode == 0, result.stderr
    assert "\nplanned: {}\n# " in outline.read_text()
    assert yaml.safe_load(outline.read_text())["planned"] == {}


def test_remove_section_undoes_a_written_section(project: Path) -> None:
    write_contents(project)
    before = {name: (project / "docs" / name).read_text() for name in ("index.md", "index.en.md")}
    nav_before = (project / "mkdocs.yml").read_text()
    added = new_section(
        project, "--chapter", "3", "--section", "3.99", "--slug", "fin", "--title", "3.99 Fin"
    )
    assert added.returncode == 0, added.stderr

    removed = new_section(
        project, "--remove", "--chapter", "3", "--section", "3.99", "--slug", "fin"
    )

    assert (removed.returncode, removed.stdout) == (
        0,
        "removed docs/chapitre-3/3.99-fin.md\n"
        "mkdocs.yml: chapitre-3/3.99-fin.md taken out of the nav\n"
        "docs/index.md: 3.99-fin.md no longer listed\n"
        "docs/index.en.md: 3.99-fin.md no longer listed\n"
        "docs/chapitre-3/README.md: 3.99-fin.md no longer listed\n"
        "docs/chapitre-3/README.en.md: 3.99-fin.md no longer listed\n"
        "links to it from other pages fail the build, each with its file and line\n",
    ), removed.stderr
    assert (project / "mkdocs.yml").read_text() == nav_before
    assert {name: (project / "docs" / name).read_text() for name in before} == before
    docs, store = project / "docs", project / "translations"
    assert i18n.page_status(docs / "index.md", docs, store).state == "up to date"


def test_remove_section_refuses_a_section_not_written(project: Path) -> None:
    result = new_section(
        project, "--remove", "--chapter", "3", "--section", "3.99", "--slug", "fin"
    )
    assert (result.returncode, result.stderr) == (
        1,
        "new-section: docs/chapitre-3/3.99-fin.md does not exist: nothing to remove\n",
    )
