"""Python code blocks of the site and the contributor docs: linted with ruff and run."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    path for path in (ROOT / "docs", ROOT / "README.md", ROOT / "CONTRIBUTING.md") if path.exists()
]
EXAMPLES = list(find_examples(*SOURCES))


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{e.path.relative_to(ROOT)}:{e.start_line}" for e in EXAMPLES]
)
def test_python_block_lints_and_runs(example: CodeExample, eval_example: EvalExample) -> None:
    """Lint a Python block with the project's ruff settings, then run it."""
    eval_example.set_config(line_length=100, target_version="py311")
    eval_example.lint_ruff(example)
    eval_example.run(example)
