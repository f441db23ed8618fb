"""Shared fixtures: the project's paths and the site, built once per session."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = [sys.executable, "-m", "mkdocs"]


# Fixtures that build a variant of the book or a fixture site: their tests are about the
# hooks and tools, not the book's content, so tests/test_workflows.py's runs on a copy
# of the book leave them out (`-m "not variant"`); the suite runs them on the project.
VARIANT_FIXTURES = {"project", "fixture_site", "history"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that build a variant of the book or a fixture site."""
    for item in items:
        if VARIANT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.variant)


@dataclass(frozen=True)
class Build:
    """A finished `mkdocs build --strict`: where it went and what it said."""

    site: Path
    returncode: int
    output: str


def build_site(config: Path, site_dir: Path, cwd: Path = ROOT) -> Build:
    """Run the strict build of `config` into `site_dir` and capture its log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Build(site_dir, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def built_site(site_build: Build) -> Build:
    """The real site, for the tests that read it: skipped, saying why, when it did not build.

    A broken page fails one test, tests/test_site.py::test_build_strict_passes,
    with the build's warnings; the tests that read the site would only repeat it.
    """
    skip_unless_built(site_build)
    return site_build


def skip_unless_built(site_build: Build) -> None:
    """Skip a test that builds a variant of the book when the book itself does not build."""
    if site_build.returncode != 0:
        pytest.skip("the strict build failed: see tests/test_site.py::test_build_strict_passes")


def build_problems(build: Build) -> list[str]:
    """Return what a build said was wrong: its warnings and errors, without the rest of its log."""
    said = [line for line in build.output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    return said or ([build.output.strip().splitlines()[-1]] if build.returncode else [])


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Build:
    """Build the real site once per test session, shared by pytest-xdist's workers.

    The workers of a session share the parent of their temporary folders: the
    first one to take the lock builds there, the others wait and read its log.
    The tests only read the site.
    """
    if worker_id == "master":  # one process, no workers
        build = build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site") / "site")
    else:
        shared = tmp_path_factory.getbasetemp().parent
        record = shared / "site.json"
        with (shared / "site.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if record.is_file():
                saved = json.loads(record.read_text(encoding="utf-8"))
                build = Build(Path(saved["site"]), saved["returncode"], saved["output"])
            else:
                build = build_site(ROOT / "mkdocs.yml", shared / "site")
                saved = {
                    "site": str(build.site),
                    "returncode": build.returncode,
                    "output": build.output,
                }
                record.write_text(json.dumps(saved), encoding="utf-8")
    return build


def soup_of(page: Path) -> BeautifulSoup:
    """Parse a built page once per process: the tests only read the tree.

    Every check walks every page, some several pages per page (its other
    language): parsing each time made the build tests' time grow with the
    book's size times the number of checks (3.5 minutes on the 100-section book).
    """
    stat = page.stat()  # a page written again (another build, same path) is parsed again
    return _parsed(page, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _parsed(page: Path, mtime_ns: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def project(tmp_path: Path, site_build: Build) -> Path:
    """Copy the project's book (config, docs, hooks, examples) to build a variant of it.

    Skipped, saying why, when the book itself does not build: each variant would
    fail the same way.
    """
    skip_unless_built(site_build)
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "site", "node_modules", ".cache", "*_cache", "__pycache__"
    )
    shutil.copytree(ROOT, tmp_path / "book", ignore=ignore)
    # The compiled templates (hooks/template_cache.py), checked against their sources.
    # File by file, not its .tmp files: another worker's build may be writing there,
    # and Jinja renames each one in place when written.
    cache = tmp_path / "book" / ".cache" / "jinja"
    cache.mkdir(parents=True)
    for compiled in (ROOT / ".cache" / "jinja").glob("*.cache"):
        shutil.copyfile(compiled, cache / compiled.name)
    return tmp_path / "book"
