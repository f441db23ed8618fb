"""Ordinary work keeps the checks green: an author's week, done on a copy of the project.

The steps (tests/workflows.py) find what they edit in the book as it is, so
this test holds whatever the book says. After them, the copy builds strictly,
its own content tests pass, and the translations' report names exactly the
pages and sections that fell behind.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import workflows
from conftest import ROOT, Build, build_site, skip_unless_built, soup_of
from test_site import built_page
from test_translations import i18n

# The tests about the book's content: they must hold for any valid book.
CONTENT_TESTS = [
    "tests/test_site.py",
    "tests/test_site_readers.py",
    "tests/test_translations.py",
    "tests/test_claims_3_1.py",
    "tests/test_claims_links.py",
    "tests/test_claims_sections.py",
    "tests/test_search.py",
    "tests/test_lint.py",
]


@dataclass(frozen=True)
class Week:
    """The copy after an author's week, and what was done to it."""

    book: Path
    reworded: workflows.Edit
    renamed: workflows.Edit
    planned: str | None  # the planned section written this week
    added: str  # a section added this week, no English
    removed: str  # a section added, then removed


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory, site_build: Build) -> Week:
    """Copy the project and do, as the author would, a week of ordinary work."""
    skip_unless_built(site_build)
    book = workflows.copy_project(ROOT, tmp_path_factory.mktemp("week") / "book")
    reworded = workflows.rewrite_sentence(book)
    renamed = workflows.rename_heading(book)
    chapter = "3"
    sections = {
        int(p.name.split("-")[0].split(".")[1])
        for p in (book / "docs" / f"chapitre-{chapter}").glob(f"{chapter}.*-*.md")
    }
    planned = workflows.first_planned(book)
    numbers = {int(planned.split("/")[-1].split("-")[0].split(".")[1])} if planned else set()
    free = [n for n in range(1, 100) if n not in sections and n not in numbers]
    added = f"chapitre-{chapter}/{chapter}.{free[0]}-remedes.md"
    removed = f"chapitre-{chapter}/{chapter}.{free[1]}-annexe.md"
    first = min(
        p
        for p in (book / "docs" / f"chapitre-{chapter}").glob(f"{chapter}.*-*.md")
        if not p.name.endswith(".en.md")
    )
    workflows.new_section(book, f"{chapter}.{free[0]}", "remedes", f"{chapter}.{free[0]} Remèdes")
    workflows.write_section(book, added, f"{first.name}#{_first_anchor(first)}")
    if planned:
        number, slug = planned.split("/")[-1].removesuffix(".md").split("-", 1)
        workflows.new_section(book, number, slug)
        workflows.write_section(book, planned, first.name)
    workflows.new_section(book, f"{chapter}.{free[1]}", "annexe", f"{chapter}.{free[1]} Annexe")
    workflows.write_section(book, removed, added.split("/")[-1])
    workflows.remove_section(book, removed)
    return Week(book, reworded, renamed, planned, added, removed)


@pytest.fixture(scope="module")
def week_site(week: Week, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_site(week.book / "mkdocs.yml", tmp_path_factory.mktemp("week-site"), week.book)


def test_author_week_builds_strictly(week_site: Build) -> None:
    assert week_site.returncode == 0, week_site.output
    assert "WARNING" not in week_site.output, week_site.output


def test_author_week_content_tests_pass(week: Week, tmp_path: Path) -> None:
    result = workflows.run_tests(week.book, CONTENT_TESTS, tmp_path / "inner")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_author_week_translations_report_what_fell_behind(week: Week) -> None:
    status = _status(week.book)
    assert status.returncode == 0, status.stderr  # the report blocks nobody
    pages = {
        line.split(":")[0]: line.split(": ", 1)[1]
        for line in status.stdout.splitlines()
        if line.startswith("docs/")
    }
    edited = week.reworded.path.removesuffix(".md") + ".en.md"
    assert pages[edited].startswith("stale (")
    english = {f"docs/{src.removesuffix('.md')}.en.md" for src in (week.added, week.planned) if src}
    assert {page: pages.get(page) for page in english} == dict.fromkeys(
        english, "missing (no English translation)"
    )
    assert f"docs/{week.removed.removesuffix('.md')}.en.md" not in pages
    behind = _sections_behind(status.stdout, edited)
    assert {anchor: state for anchor, state in behind.items()} == {
        _section_of(week.book, week.reworded): "stale",
        _section_of(week.book, week.renamed): "missing",
        week.renamed.what.split()[1].removeprefix("#"): "stale",
    }
    assert _status(week.book, "--strict").returncode == 1


def test_author_week_readers_see_notices(week: Week, week_site: Build) -> None:
    stale = built_page(week_site.site, week.reworded.path.removeprefix("docs/"), "en")
    assert soup_of(stale).select_one("article .translation-stale") is not None
    for src_uri in filter(None, (week.added, week.planned)):
        page = soup_of(built_page(week_site.site, src_uri, "en"))
        assert page.select_one("article .translation-missing") is not None, src_uri


def _status(book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "publishing.i18n", "status", *args],
        cwd=book,
        capture_output=True,
        text=True,
        check=False,
    )


def _sections_behind(report: str, page: str) -> dict[str, str]:
    """Return the sections of one page that the status report does not call up to date."""
    found, inside = {}, False
    for line in report.splitlines():
        if not line.startswith(" "):
            inside = line.startswith(f"{page}:")
        elif inside and line.startswith("    #") and not line.endswith("): up to date"):
            anchor = line.split()[0].removeprefix("#")
            found[anchor] = line.split("): ", 1)[1].split(" (")[0]
    return found


def _section_of(book: Path, edit: workflows.Edit) -> str:
    """Return the anchor of the section holding an edited line."""
    sections = i18n.sections((book / edit.path).read_text(encoding="utf-8"))
    return [s.anchor for s in sections if s.line <= edit.line][-1]


def _first_anchor(page: Path) -> str:
    """Return the anchor of a page's first heading."""
    sections = i18n.sections(page.read_text(encoding="utf-8"))
    return next(s.anchor for s in sections if not s.anchor.startswith("_"))


def test_one_broken_link_fails_one_test(tmp_path: Path, site_build: Build) -> None:
    """A broken link fails the strict build's test, with its file and line; the rest is skipped."""
    skip_unless_built(site_build)
    book = workflows.copy_project(ROOT, tmp_path / "book")
    index = book / "docs" / "index.md"
    lines = index.read_text(encoding="utf-8").rstrip("\n").split("\n")
    index.write_text("\n".join([*lines, "", "[Perdu](nulle-part.md)", ""]), encoding="utf-8")
    tests = ["tests/test_site.py", "tests/test_claims_links.py", "tests/test_translations.py"]
    result = workflows.run_tests(book, tests, tmp_path / "inner")
    failed = [
        line.split(" - ")[0]
        for line in result.stdout.splitlines()
        if line.startswith(("FAILED", "ERROR"))
    ]
    assert failed == ["FAILED tests/test_site.py::test_build_strict_passes"], result.stdout[-3000:]
    assert (
        f"docs/index.md:{len(lines) + 2}: link 'nulle-part.md' leads to no page of docs/: fix "
        "the path (relative to this page), or plan the section in hooks/outline.yml"
    ) in result.stdout
    assert "the strict build failed: see tests/test_site.py::test_build_strict_passes" in (
        result.stdout
    )


# A contributor's pass: a section, a script and a Nomad job with their claims.

# What a new section and its examples touch: the build, the contents, the translations,
# the claims and their links, the new examples' own checks, the linters of new files.
CONTRIBUTION_TESTS = [
    "tests/test_site.py",
    "tests/test_translations.py",
    "tests/test_claims_3_1.py",
    "tests/test_claims_sections.py",
    "tests/test_claims_links.py",
]
EXAMPLE_TESTS = [
    "tests/test_examples_scripts.py",
    "tests/test_examples_jobs.py",
    "tests/test_examples_kubernetes.py",
]
NEW_EXAMPLES = "healthcheck or report or found or refer or pairs or twin"


@pytest.fixture(scope="module")
def contribution(tmp_path_factory: pytest.TempPathFactory, site_build: Build) -> tuple[Path, dict]:
    """Copy the project and add a section with its examples, the documented way."""
    skip_unless_built(site_build)
    book = workflows.copy_project(ROOT, tmp_path_factory.mktemp("contribution") / "book")
    written = {
        int(p.name.split("-")[0].split(".")[1]) for p in book.glob("docs/chapitre-3/3.*-*.md")
    }
    planned = workflows.first_planned(book)
    if planned:
        written.add(int(planned.split("/")[-1].split("-")[0].split(".")[1]))
    number = f"3.{min(set(range(1, 100)) - written)}"
    return book, workflows.contribute(book, number)


def test_contributor_path_ends_green(contribution: tuple[Path, dict], tmp_path: Path) -> None:
    book, _ = contribution
    for number, tests in enumerate(
        (
            CONTRIBUTION_TESTS,
            [*EXAMPLE_TESTS, "-k", NEW_EXAMPLES],
            ["tests/test_lint.py", "-k", "markdown or codespell or yaml or ruff"],
        )
    ):
        result = workflows.run_tests(book, tests, tmp_path / f"inner-{number}")
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("mistake", "tests", "message"),
    [
        (
            "wrong-count",
            ["tests/test_claims_sections.py", "tests/test_claims_3_1.py"],
            '{claims}:{line}: claim healthcheck-{lines}-lines: {page}:{page_line} says "{lines} '
            'lignes", {script} has {more} lines',
        ),
        (
            "shellcheck",
            ["tests/test_examples_scripts.py", "-k", "healthcheck"],
            "{script}:9: shellcheck SC2086: Double quote to prevent globbing and word splitting.",
        ),
        (
            "missing-include",
            ["tests/test_site.py", "tests/test_claims_3_1.py", "tests/test_claims_links.py"],
            "docs/chapitre-3/exemples.md:{include}: snippet '{typo}' not found",
        ),
    ],
    ids=str,
)
def test_contributor_mistake_gives_one_clear_message(
    contribution: tuple[Path, dict], tmp_path: Path, mistake: str, tests: list[str], message: str
) -> None:
    book, added = contribution
    copy = workflows.copy_project(book, tmp_path / "book")
    script = copy / added["script"]
    lines = script.read_text(encoding="utf-8").count("\n")
    examples = copy / "docs" / "chapitre-3" / "exemples.md"
    typo = added["script"].replace("healthcheck", "healthchek")
    include = [line.strip() for line in examples.read_text(encoding="utf-8").split("\n")].index(
        f'--8<-- "{added["script"]}"'
    )
    if mistake == "wrong-count":
        script.write_text(script.read_text(encoding="utf-8") + "# fin\n", encoding="utf-8")
    elif mistake == "shellcheck":
        text = script.read_text(encoding="utf-8")
        unquoted = text.replace(
            '"$NOMAD_ADDR/v1/job/$job/allocations"', "$NOMAD_ADDR/v1/job/$job/allocations"
        )
        script.write_text(unquoted, encoding="utf-8")
    else:
        text = examples.read_text(encoding="utf-8")
        examples.write_text(text.replace(f'--8<-- "{added["script"]}"', f'--8<-- "{typo}"'))
    claims = f"examples/chapitre-3/claims-{added['page'].split('/')[-1].split('-')[0]}.yml"
    page_line = next(
        n
        for n, line in enumerate((copy / added["page"]).read_text(encoding="utf-8").split("\n"), 1)
        if "healthcheck.sh" in line
    )
    expected = message.format(
        claims=claims,
        line=5,
        lines=lines,
        more=lines + 1,
        page=added["page"],
        page_line=page_line,
        script=added["script"],
        include=include + 1,
        typo=typo,
    )
    result = workflows.run_tests(copy, tests, tmp_path / "inner")
    failed = [
        line.split(" - ")[0] for line in result.stdout.splitlines() if line.startswith("FAILED")
    ]
    assert len(failed) == 1, result.stdout[-4000:]
    assert expected in result.stdout, result.stdout[-4000:]
    assert "Traceback" not in result.stdout
