"""`make new-section` (scripts/new-section.py) on a copy of the project."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Build, build_problems, build_site, skip_unless_built

NEW_SECTION = [sys.executable, str(ROOT / "scripts" / "new-section.py")]
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


def test_new_section_writes_planned_and_new_sections_and_the_build_passes(project: Path) -> None:
    plan_section(project, "chapitre-3/3.98-bilan.md", "3.98 Bilan", "3.98 Review")
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
            "English: none yet, shown in French under /en/ until translated (planned English "
            "title: '3.98 Review'); see make i18n-status\n"
        ),
    ), first.stderr
    assert (second.returncode, second.stdout) == (
        0,
        (
            "created docs/chapitre-3/3.99-fin.md: write the section there\n"
            "mkdocs.yml: chapitre-3/3.99-fin.md added to the nav of chapter 3\n"
            "English: none yet, shown in French under /en/ until translated; see make i18n-status\n"
        ),
    ), second.stderr
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
    data = yaml.safe_load(outline.read_text())
    data["planned"] = {}
    outline.write_text(
        "# The outline.\nplanned: {}\n\n# Texts.\n"
        + yaml.safe_dump({"placeholder": data["placeholder"]}, allow_unicode=True)
    )
    plan_section(project, "chapitre-3/3.98-bilan.md", "3.98 A", "3.98 B")

    result = new_section(project, "--chapter", "3", "--section", "3.98", "--slug", "bilan")

    assert result.returncode == 0, result.stderr
    assert "\nplanned: {}\n# " in outline.read_text()
    assert yaml.safe_load(outline.read_text())["planned"] == {}
