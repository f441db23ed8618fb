"""Python code blocks of the site and the contributor docs: linted with ruff and run.

The book has no Python block yet; tests/data/python-blocks/good.md stands in as
one more page, so the check runs (and is seen to run) before the first real block.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "python-blocks"
SOURCES = [
    path
    for path in (ROOT / "docs", ROOT / "README.md", ROOT / "CONTRIBUTING.md", DATA / "good.md")
    if path.exists()
]
EXAMPLES = list(find_examples(*SOURCES))


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{e.path.relative_to(ROOT)}:{e.start_line}" for e in EXAMPLES]
)
def test_python_block_lints_and_runs(example: CodeExample, eval_example: EvalExample) -> None:
    """Lint a Python block with the project's ruff settings, then run it."""
    check(example, eval_example)


def test_python_block_with_lint_error_fails(eval_example: EvalExample) -> None:
    (example,) = find_examples(DATA / "bad-lint.md")
    with pytest.raises(pytest.fail.Exception, match=r"F401 .*`os` imported but unused"):
        check(example, eval_example)


def test_python_block_that_fails_when_run_fails(eval_example: EvalExample) -> None:
    (example,) = find_examples(DATA / "bad-run.md")
    with pytest.raises(AssertionError, match="the job has 2 lines"):
        check(example, eval_example)


def check(example: CodeExample, eval_example: EvalExample) -> None:
    """Lint and run one block as the parametrized test does."""
    eval_example.set_config(line_length=100, target_version="py311")
    eval_example.lint_ruff(example)
    eval_example.run(example)
