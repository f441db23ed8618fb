"""publishing.changed_pages (publishing-changed-pages): the pages a pull request changes."""

from __future__ import annotations

import subprocess

from conftest import BIN, ROOT

from publishing import changed_pages

COMMAND = BIN / "publishing-changed-pages"
FIXTURE = ROOT / "tests" / "data" / "changed-pages"
BASE = "https://example.org/livre/"


def summary(*paths: str) -> str:
    return changed_pages.render(changed_pages.changed_pages(FIXTURE, list(paths)), BASE)


def test_page_url_of_each_kind_of_source() -> None:
    assert [
        changed_pages.page_url(src)
        for src in ["index.md", "index.en.md", "chap/README.md", "chap/a.md", "chap/a.en.md"]
    ] == [("fr", ""), ("en", "en/"), ("fr", "chap/"), ("fr", "chap/a/"), ("en", "en/chap/a/")]


def test_changed_pages_french_page_with_and_without_translation() -> None:
    assert summary("docs/index.md", "docs/chap/a.md") == (
        "## Pages changed by this pull request\n\n"
        "### Français\n\n"
        f"- [/]({BASE}) (`docs/index.md`)\n"
        f"- [chap/a/]({BASE}chap/a/) (`docs/chap/a.md`)\n\n"
        "### English\n\n"
        f"- [en/]({BASE}en/) (`docs/index.md` (French text changed: `make i18n-status`))\n"
        f"- [en/chap/a/]({BASE}en/chap/a/) (`docs/chap/a.md`)\n"
    )


def test_changed_pages_english_only() -> None:
    assert summary("docs/index.en.md") == (
        "## Pages changed by this pull request\n\n"
        f"### English\n\n- [en/]({BASE}en/) (`docs/index.en.md`)\n"
    )


def test_changed_pages_example_maps_to_the_pages_including_it() -> None:
    assert summary("examples/run.sh", "examples/fr-only.sh", "examples/unused.sh") == (
        "## Pages changed by this pull request\n\n"
        "### Français\n\n"
        f"- [chap/b/]({BASE}chap/b/) (`examples/fr-only.sh`)\n"
        f"- [chap/ex/]({BASE}chap/ex/) (`examples/run.sh`)\n\n"
        "### English\n\n"
        f"- [en/chap/b/]({BASE}en/chap/b/) (`examples/fr-only.sh`)\n"
        f"- [en/chap/ex/]({BASE}en/chap/ex/) (`examples/run.sh`)\n"
    )


def test_changed_pages_removed_and_site_wide_files() -> None:
    assert summary("docs/chap/gone.md", "mkdocs.yml", "hooks/outline.py", "README.md") == (
        "## Pages changed by this pull request\n\n"
        "### Removed\n\n- `docs/chap/gone.md`\n\n"
        "### Every page may change\n\n- `hooks/outline.py`\n- `mkdocs.yml`\n"
    )


def test_changed_pages_nothing_for_readers() -> None:
    assert summary("tests/test_site.py") == (
        "## Pages changed by this pull request\n\nNo page of the site changes.\n"
    )


def test_changed_pages_command_reads_stdin_on_the_real_project() -> None:
    result = subprocess.run(
        [str(COMMAND)],
        input="examples/chapitre-3/scripts/deploy.sh\n",
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "SITE_URL": "https://book.example/"},
    )
    assert (result.returncode, result.stdout) == (
        0,
        "## Pages changed by this pull request\n\n"
        "### Français\n\n"
        "- [chapitre-3/exemples/](https://book.example/chapitre-3/exemples/) "
        "(`examples/chapitre-3/scripts/deploy.sh`)\n\n"
        "### English\n\n"
        "- [en/chapitre-3/exemples/](https://book.example/en/chapitre-3/exemples/) "
        "(`examples/chapitre-3/scripts/deploy.sh`)\n",
    ), result.stderr
