"""The contributors' checks of .pre-commit-config.yaml, run on the repository by `make test`.

pre-commit installs each hook's tool from PyPI; here the same tools, pinned in
pyproject.toml, run from the virtualenv on every file git tracks or would track
(a new file too, before `git add`): ruff (check and format), codespell (English
and French), pymarkdown (tuned to the author's style in .pymarkdown.yml) and a
YAML syntax check that accepts mkdocs.yml's tags, like `check-yaml --unsafe`.
shellcheck and shfmt on the examples run in tests/test_examples_scripts.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

BIN = Path(sys.executable).parent
DATA = ROOT / "tests" / "data" / "lint"
AUTHOR_TEXT = "docs/chapitre-3/3.1-constat.md"
# Fixtures of defects (a page that is not UTF-8 too), this file (it quotes them), a lock file
# of hashes, a vendored schema (time zones such as America/Nome): not the project's text.
NOT_SPELLED = (
    "tests/data/lint/",
    "tests/data/site/not-utf8.md",
    "tests/test_lint.py",
    "package-lock.json",
    "tests/data/ci/dependabot-2.0.schema.json",
)


def tracked(*patterns: str) -> list[str]:
    """Return the files git tracks or would track (new, not ignored) that match the patterns.

    New files count: a contributor's new page or script is checked before `git add`.
    """
    result = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                             "--deduplicate", "--", *patterns], cwd=ROOT,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return sorted(name for name in result.stdout.split("\0") if name and (ROOT / name).exists())


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / tool), *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=300)  # fmt: skip


def test_lint_ruff_check() -> None:
    result = run("ruff", "check", "--force-exclude", "--output-format", "concise",
                 *tracked("*.py"))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_ruff_format() -> None:
    result = run("ruff", "format", "--force-exclude", "--check", *tracked("*.py"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_codespell() -> None:
    files = [name for name in tracked() if not name.startswith(NOT_SPELLED)]
    result = run("codespell", *files)
    assert result.stdout.splitlines() == [], "add correct French words to .codespell-words.txt"
    assert result.returncode == 0, result.stderr


def test_lint_codespell_reports_french_and_english_misspellings() -> None:
    result = run("codespell", "tests/data/lint/fautes.md")
    assert result.stdout.splitlines() == [
        "tests/data/lint/fautes.md:1: dévelopement ==> développement",
        "tests/data/lint/fautes.md:1: notament ==> notamment",
        "tests/data/lint/fautes.md:2: recieve ==> receive",
    ]


def test_lint_markdown() -> None:
    files = [name for name in tracked("*.md") if not name.startswith("tests/data/")]
    result = run("pymarkdown", "--config", ".pymarkdown.yml", "scan", *files)
    assert result.stdout.replace(f"{ROOT}/", "").splitlines() == [], result.stderr


def test_lint_markdown_accepts_the_author_text_as_it_is() -> None:
    result = run("pymarkdown", "--config", ".pymarkdown.yml", "scan", AUTHOR_TEXT)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_lint_markdown_still_reports_layout_defects() -> None:
    result = run("pymarkdown", "--config", ".pymarkdown.yml", "scan", "tests/data/lint/style.md")
    shown = "tests/data/lint/style.md"
    assert [line.split(" (")[0] for line in
            result.stdout.replace(f"{ROOT}/", "").splitlines()] == [
        f"{shown}:3:1: MD001: Heading levels should only increment by one level at a time. "
        "[Expected: h2; Actual: h3]",
        f"{shown}:5:35: MD009: Trailing spaces [Expected: 0 or 2; Actual: 1]",
        f"{shown}:7:1: MD012: Multiple consecutive blank lines [Expected: 1, Actual: 2]",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name", [name for name in tracked("*.yml", "*.yaml") if not name.startswith("tests/data/lint/")]
)
def test_lint_yaml_parses(name: str) -> None:
    assert yaml_problems(ROOT / name, name) == []


def test_lint_yaml_reports_syntax_error_with_line() -> None:
    shown = "tests/data/lint/broken.yml"
    assert yaml_problems(ROOT / shown, shown) == [f"{shown}:3: mapping values are not allowed here"]


def test_precommit_hooks_use_the_pinned_tools() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "check-yaml", "yamllint", "shellcheck",
                          "shfmt", "codespell", "pymarkdown"}  # fmt: skip
    assert "--unsafe" in hooks["check-yaml"]["entry"].split()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pinned = {re.split("==", pin)[0].lower(): pin
              for pin in pyproject["project"]["optional-dependencies"]["test"]}  # fmt: skip
    problems = []
    for name, hook in hooks.items():
        for pin in hook.get("additional_dependencies", []):
            package = pin.split("==")[0].lower()
            if package != "pre-commit-hooks" and pinned.get(package) != pin:
                problems.append(f"{name}: {pin}, pyproject.toml pins {pinned.get(package)}")
    assert problems == []


class _AnyTagLoader(yaml.SafeLoader):
    """Read YAML whatever its tags (!ENV, !relative, !!python/name:), as check-yaml --unsafe."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, s, node: None)


def yaml_problems(path: Path, shown: str) -> list[str]:
    """Parse every document of a YAML file; return `file:line: error`."""
    try:
        list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        return [f"{shown}:{mark.line + 1 if mark else '?'}: {error.problem}"]
    return []
