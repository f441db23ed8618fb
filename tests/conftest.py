"""Shared fixtures: the project's paths and the site, built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = [sys.executable, "-m", "mkdocs"]


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
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the real site once per test session (once per xdist worker)."""
    build = build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site") / "site")
    assert build.returncode == 0, build.output
    return build


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Copy the project's book (config, docs, hooks, examples) to build a variant of it."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "site", "node_modules", ".cache", "*_cache", "__pycache__"
    )
    shutil.copytree(ROOT, tmp_path / "book", ignore=ignore)
    return tmp_path / "book"
