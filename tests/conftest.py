"""Shared fixtures: the project's paths and the site, built once per session.

Also the record of what the run verified of each example (pytest hooks at the
end): one result per file of examples/ in ``.cache/example-results.json``,
read by hooks/verification.py to mark each example of the site.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from publishing.synthetic import Book, generate

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = [sys.executable, "-m", "mkdocs"]
# The project's commands ([project.scripts] of pyproject.toml), beside this Python.
BIN = Path(sys.executable).parent


# Fixtures that build a variant of the book or a fixture site: their tests are about the
# hooks and tools, not the book's content, so tests/test_workflows.py's runs on a copy
# of the book leave them out (`-m "not variant"`); the suite runs them on the project.
VARIANT_FIXTURES = {"project", "fixture_site", "history", "synthetic_book"}


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


CONFIG = Path("mkdocs.yml")  # relative to ROOT, the working folder of build_site


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Build:
    """Build the real site once per test session, shared by pytest-xdist's workers.

    The workers of a session share the parent of their temporary folders: the
    first one to take the lock builds there, the others wait and read its log.
    The tests only read the site. It is built as make and CI build it, from the
    project's top with a relative `-f mkdocs.yml` (MkDocs then keeps the path
    relative, which a hook must not take for the project's folder).
    """
    if worker_id == "master":  # one process, no workers
        build = build_site(CONFIG, tmp_path_factory.mktemp("site") / "site")
    else:
        shared = tmp_path_factory.getbasetemp().parent
        record = shared / "site.json"
        with (shared / "site.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if record.is_file():
                saved = json.loads(record.read_text(encoding="utf-8"))
                build = Build(Path(saved["site"]), saved["returncode"], saved["output"])
            else:
                build = build_site(CONFIG, shared / "site")
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


@pytest.fixture
def synthetic_book(
    tmp_path_factory: pytest.TempPathFactory, site_build: Build
) -> Callable[..., Book]:
    """Write synthetic books of N sections (publishing.synthetic), with generate's options.

    Made of the real book: skipped, saying why, when that does not build.
    """
    skip_unless_built(site_build)

    def make(sections: int, **options: bool) -> Book:
        return generate(tmp_path_factory.mktemp("synthetic") / "book", sections, **options)

    return make


# What each test verified of the examples ------------------------------------
#
# A test checks an example when it is parametrized with its path (or its file
# name), or, in tests/test_examples_*.py, when its name starts with the script's
# (test_deploy_... checks deploy.sh). Each report carries the examples and what
# they were checked against; pytest-xdist sends the reports to the controller,
# which alone writes the results, merged, once every worker is done.

EXAMPLES = ROOT / "examples"
RESULTS = ROOT / ".cache" / "example-results.json"
# From the weakest check to the strongest: the one shown is the strongest that passed.
AGAINST = ("lint", "schema", "kubernetes", "standin", "nomad")
_tests: dict[str, dict] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """Tell the report which examples the test checks, and against what."""
    report = yield
    examples = examples_of(item)
    if examples:
        # A new list: the report shares the item's, and every phase would add to it.
        report.user_properties = [
            *report.user_properties,
            ("examples", examples),
            ("against", _against(item, examples)),
        ]
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep each test's outcome over its phases: failed if one failed, skipped if one skipped."""
    properties = dict(report.user_properties)
    if "examples" not in properties:
        return
    test = _tests.setdefault(
        report.nodeid,
        {
            "name": report.nodeid,
            "file": report.location[0],
            "line": (report.location[1] or 0) + 1,
            "examples": properties["examples"],
            "against": properties["against"],
            "outcome": "passed",
        },
    )
    if report.failed:
        test["outcome"] = "failed"
    elif report.skipped and test["outcome"] != "failed":
        test["outcome"] = "skipped"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the examples' results, from the controller only, when the run checked any."""
    if hasattr(session.config, "workerinput") or not _tests:
        return
    commit = _git_output("rev-parse", "HEAD")
    results = example_results(list(_tests.values()), commit, dt.date.today().isoformat())
    # EXAMPLE_RESULTS elsewhere: a test's own run must not replace the project's results.
    target = Path(os.environ.get("EXAMPLE_RESULTS", RESULTS))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".tmp")
    partial.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(target)


def example_results(tests: list[dict], commit: str | None, date: str, root: Path = ROOT) -> dict:
    """Return one result per example: passed, failed or skipped, against what, by which test."""
    examples: dict[str, dict] = {}
    for path in sorted({example for test in tests for example in test["examples"]}):
        checks = [test for test in tests if path in test["examples"]]
        failed = [test for test in checks if test["outcome"] == "failed"]
        passed = [test for test in checks if test["outcome"] == "passed"]
        status = "failed" if failed else "passed" if passed else "skipped"
        shown = failed or sorted(
            passed or checks, key=lambda t: -AGAINST.index(t["against"]["kind"])
        )
        file = root / path
        examples[path] = {
            "status": status,
            "against": shown[0]["against"],
            "test": {key: shown[0][key] for key in ("name", "file", "line")},
            "tests": len(checks),
            "sha256": hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None,
        }
    return {"commit": commit, "date": date, "examples": examples}


def examples_of(item: pytest.Item) -> list[str]:
    """Return the example files (paths from the project's top) a test checks."""
    found = set()
    names = _example_names()
    for value in getattr(getattr(item, "callspec", None), "params", {}).values():
        if isinstance(value, Path) and value.resolve().is_relative_to(EXAMPLES):
            found.add(value.resolve().relative_to(ROOT).as_posix())
        elif isinstance(value, str) and value in names:
            found.add(names[value])
    if item.path.name.startswith("test_examples_"):
        name = getattr(item, "originalname", item.name)
        for file_name, path in names.items():
            stem = file_name.split(".")[0]
            if file_name.endswith(".sh") and name.startswith(f"test_{stem}_"):
                found.add(path)
    return sorted(found)


@functools.cache
def _example_names() -> dict[str, str]:
    """Map each example's file name to its path (the book's names are unique)."""
    return {
        path.name: path.relative_to(ROOT).as_posix()
        for path in sorted(EXAMPLES.rglob("*"))
        if path.is_file() and path.suffix in (".sh", ".hcl")
    }


def _against(item: pytest.Item, examples: list[str]) -> dict[str, str]:
    """Say what a test checks its examples against: Nomad, its stand-in, rules, linters."""
    if "nomad" in getattr(item, "fixturenames", ()):
        address = os.environ.get("NOMAD_ADDR")
        if address:
            return {"kind": "nomad", "version": _agent_version(address)}
        return {"kind": "standin"}
    if item.get_closest_marker("nomad_cli") is not None:
        return {"kind": "nomad", "version": _binary_version()}
    if item.path.name == "test_examples_kubernetes.py":
        return {"kind": "kubernetes"}
    if all(example.endswith(".hcl") for example in examples):
        return {"kind": "schema"}
    return {"kind": "lint"}


@functools.cache
def _agent_version(address: str) -> str:
    """Return the version of the Nomad agent at `address` ("" when it does not say)."""
    try:
        with urllib.request.urlopen(f"{address.rstrip('/')}/v1/agent/self", timeout=5) as answer:
            return json.load(answer)["config"]["Version"]["Version"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""


@functools.cache
def _binary_version() -> str:
    """Return the version of the nomad binary on PATH ("" without one)."""
    nomad = shutil.which("nomad")
    if nomad is None:
        return ""
    result = subprocess.run([nomad, "version"], capture_output=True, text=True, check=False)
    match = re.search(r"v(\d+\.\d+\.\d+)", result.stdout)
    return match.group(1) if match else ""


def _git_output(*args: str) -> str | None:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return result.stdout.strip() or None if result.returncode == 0 else None
