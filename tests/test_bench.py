"""publishing.bench (make bench) and its synthetic book (publishing.synthetic, the
synthetic_book fixture): the book builds strictly, its variants differ by configuration
only, and a tiny run writes every result."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, build_problems, build_site

from publishing import bench
from publishing.synthetic import SPEEDUP_HOOKS, Book, ConfigLoader, layout

SyntheticBook = Callable[..., Book]


def hooks_of(config: Path) -> list[str]:
    """Return the hooks a book's mkdocs.yml lists."""
    return yaml.load(config.read_text(encoding="utf-8"), Loader=ConfigLoader)["hooks"]


def test_layout_ten_sections_a_chapter() -> None:
    """Put ten sections in a chapter, chapter 3's written section first."""
    assert layout(12) == [
        ["3.1-constat.md", *(f"section-{i:02}.md" for i in range(2, 11))],
        ["3.1-constat.md", "section-02.md"],
    ]


def test_generate_book_builds_strictly(tmp_path: Path, synthetic_book: SyntheticBook) -> None:
    """Build a 12-section synthetic book with the project's hooks, both languages."""
    book = synthetic_book(12)
    assert hooks_of(book.config) == hooks_of(ROOT / "mkdocs.yml")
    built = build_site(book.config, tmp_path / "site", cwd=book.root)
    assert build_problems(built) == []
    pages = [
        "chapitre-3/section-10/index.html",
        "chapitre-4/section-02/index.html",
        "chapitre-4/exemples/index.html",
        "en/chapitre-4/section-02/index.html",
    ]
    assert [page for page in pages if not (built.site / page).is_file()] == []


# A section planned in each synthetic book, whatever the real outline plans today.
PLANNED = "chapitre-3/3.9-prevue.md"


def _plan(book: Book, src_uri: str) -> None:
    """Plan a section in a synthetic book's outline (hooks/outline.yml, a copy of its own)."""
    path = book.root / "hooks" / "outline.yml"
    outline = yaml.safe_load(path.read_text(encoding="utf-8"))
    outline["planned"] = {**(outline["planned"] or {}), src_uri: {"fr": "Prévue", "en": "Planned"}}
    path.write_text(yaml.safe_dump(outline, allow_unicode=True), encoding="utf-8")


def _list_items(site: Path) -> dict[str, int]:
    """Count the list items of each written page's text (the article), by page."""
    counts = {}
    for page in ("chapitre-3/3.1-constat", "en/chapitre-3/3.1-constat", "chapitre-3/exemples"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        counts[page] = article.count("<li")
    return counts


def test_plain_book_is_the_same_content(tmp_path: Path, synthetic_book: SyntheticBook) -> None:
    """The plain book has the project's pages, planned ones included, and renders its lists."""
    counts, books = {}, {}
    for name, options in {
        "project": {},
        "plain": {"plain": True},
        "as_written": {"plain": True, "as_written": True},
    }.items():
        book = synthetic_book(1, **options)
        books[name] = book
        _plan(book, PLANNED)
        run = bench.build(book, tmp_path / f"site-{name}", strict=False, keep=True)
        assert run.returncode == 0, run.output
        counts[name] = _list_items(tmp_path / f"site-{name}")
    # A planned section's pages: the plain book keeps the outline's hook, by configuration.
    assert hooks_of(books["plain"].config) == ["hooks/outline.py"]
    pages = [f"{language}{PLANNED.removesuffix('.md')}/index.html" for language in ("", "en/")]
    built = {
        name: [p for p in pages if (tmp_path / f"site-{name}" / p).is_file()] for name in books
    }
    assert built == {name: pages for name in books}
    assert counts["plain"] == counts["project"]
    assert counts["project"]["chapitre-3/3.1-constat"] >= 60
    # As written, Python-Markdown reads many of the author's lists as lines of their paragraph.
    page = "chapitre-3/3.1-constat"
    assert counts["as_written"][page] < counts["project"][page] - 20, counts
    # Front matter is left as it is: only the page's body gets the blank lines.
    english = books["plain"].root / "docs" / "chapitre-3" / "3.1-constat.en.md"
    written = ROOT / "docs" / "chapitre-3" / "3.1-constat.en.md"
    front = written.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert english.read_text(encoding="utf-8").startswith(front + "\n---\n")


def test_speedups_change_no_byte_of_the_site(tmp_path: Path, synthetic_book: SyntheticBook) -> None:
    """The book without the hooks' speedups of Material builds the same site, search included."""
    sites, hooks = {}, {}
    for name, speedup in {"speedup": True, "none": False}.items():
        book = synthetic_book(1, speedups=speedup)
        run = bench.build(book, tmp_path / f"site-{name}", keep=True)
        assert run.returncode == 0, run.output
        sites[name] = tmp_path / f"site-{name}"
        hooks[name] = {Path(hook).name for hook in hooks_of(book.config)}
    assert hooks["speedup"] - hooks["none"] == SPEEDUP_HOOKS

    def files(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    speedup, none = files(sites["speedup"]), files(sites["none"])
    assert sorted(speedup) == sorted(none)
    assert [name for name in speedup if speedup[name] != none[name]] == []
    assert "search/search_index.json" in speedup


@pytest.mark.slow
def test_bench_tiny_run_writes_results(tmp_path: Path) -> None:
    """Run the whole benchmark on 2 sections, once each, and read its JSON."""
    results_file = tmp_path / "results.json"
    command = [
        str(BIN / "publishing-bench"),
        "--sections",
        "2",
        "--sizes",
        "1,2",
        "--runs",
        "1",
        "--edits",
        "1",
        "--skip-tests",
        "--marginal",
        "lists.py",
        "--json",
        str(results_file),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert set(results) == {
        "commit",
        "dirty",
        "date",
        "machine",
        "runs",
        "hooks",
        "hook_costs",
        "marginal",
        "instructions",
        "build",
        "scaling",
        "serve",
        "serve_real",
        "tests",
        "errors",
        "targets",
    }
    assert results["errors"] == []
    assert set(results["targets"]) == {
        "hooks_ratio",
        "build_100_s",
        "linearity",
        "make_test_s",
        "serve_real_s",
        "serve_100_s",
    }
    assert results["build"]["sections"] == 2
    assert results["build"]["project_s"] > 0 and results["build"]["plain_s"] > 0
    assert len(results["build"]["ratios"]) == 1
    assert results["build"]["own_work_s"] > 0 and len(results["build"]["own_work_ratios"]) == 1
    assert [row["sections"] for row in results["scaling"]["sizes"]] == [1, 2]
    assert results["serve"]["rebuild_s"] > 0
    assert results["serve_real"]["sections"] == 1 and results["serve_real"]["rebuild_s"] > 0
    timed = set(results["hook_costs"]["per_hook_s"])
    assert timed and timed <= {Path(hook).name for hook in results["hooks"]}
    assert list(results["marginal"]["saved_s"]) == ["lists.py"]
    assert "ratio, net of the hooks' speedups" in result.stdout


@pytest.mark.slow
def test_instructions_counts_each_build_under_valgrind(tmp_path: Path, monkeypatch) -> None:
    """Run both builds under valgrind's cachegrind and read its count (here a stand-in
    valgrind that runs the build and reports the length of the config as its count)."""
    stub = tmp_path / "bin" / "valgrind"
    stub.parent.mkdir()
    stub.write_text(
        "#!/bin/sh\n"
        'for a; do shift; case $a in --*) ;; *) set -- "$a" "$@"; break;; esac; done\n'
        '"$@" || exit $?\n'
        'echo "==1== I   refs:      $(wc -c < mkdocs.yml | tr -d " "),000" >&2\n'
    )
    stub.chmod(0o755)
    monkeypatch.setenv("PATH", f"{stub.parent}:{os.environ['PATH']}")
    errors: list[str] = []
    counted = bench.instructions(tmp_path / "books", 1, errors)
    assert errors == []
    books = tmp_path / "books"
    sizes = {
        name: len((books / f"instructions-{name}-1" / "mkdocs.yml").read_bytes()) * 1000
        for name in ("project", "plain", "own_work")
    }
    assert counted == {
        "sections": 1,
        **sizes,
        "ratio": round(sizes["project"] / sizes["plain"], 3),
        "own_work_ratio": round(sizes["own_work"] / sizes["plain"], 3),
    }


def test_instructions_without_valgrind_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    errors: list[str] = []
    assert bench.instructions(tmp_path, 1, errors) == {}
    assert errors == ["--instructions needs valgrind (Debian's valgrind package)"]


def test_render_lists_failed_tests() -> None:
    """Name the tests that failed under the table, from pytest's short summary."""
    output = (
        "FAILED tests/test_browser.py::test_axe[light] - FileNotFoundError: axe.min.js\n"
        "ERROR tests/test_site.py::test_build - AssertionError\n"
        "== 1 failed, 1 error, 15 passed in 56.0s ==\n"
    )
    failed = bench._failed(output)
    assert failed == ["tests/test_browser.py::test_axe[light]", "tests/test_site.py::test_build"]
    group = {"seconds": 56.0, "cpu_s": 26.0, "summary": "1 failed, 15 passed", "failed": failed}
    results = {
        "commit": "abc1234",
        "dirty": False,
        "machine": {"cpus": 2},
        "runs": 1,
        "tests": {"real": {"browser": group}},
    }
    results["targets"] = bench._targets(results)
    table = bench.render(results)
    assert table.endswith(
        "failed tests:\n  tests/test_browser.py::test_axe[light]\n  tests/test_site.py::test_build"
    )
