"""Mark each example a page includes with what the tests verified of it.

Handles ``on_config`` (read its texts in ``texts.yml`` beside this file and the
test run's results, ``.cache/example-results.json``, written by
tests/conftest.py) and ``on_page_markdown`` (after each code block that
includes a file of examples/, a line in the page's language: "vérifié le 30
novembre 2026 sur Nomad 1.9.7", "failed on ...", linking to the test that
checks it). The mark carries ``data-example`` (the file's path) and
``data-status`` (passed, failed, skipped or unchecked). A build without
results, or an example changed since they were written, says it was not
checked rather than claim anything. The author's Markdown stays as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from publishing import verification
from publishing.build import project_top, read_texts
from publishing.languages import page_language
from publishing.order import AFTER_INCLUDES_CHECKED

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

RESULTS = Path(".cache") / "example-results.json"  # from the project's top

# Read in on_config: `mkdocs serve` keeps this module across rebuilds.
_texts: dict[str, dict[str, Any]] = {}
_results: dict[str, Any] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the marks' texts and the last test run's results, when there are some."""
    top = project_top(config)
    _texts.clear()
    _results.clear()
    _texts.update(read_texts(__file__))
    results = top / RESULTS
    if results.is_file():
        try:
            _results.update(json.loads(results.read_text(encoding="utf-8")))
        except ValueError as error:
            raise PluginError(f"{RESULTS}: cannot read the test results: {error}") from error


@event_priority(AFTER_INCLUDES_CHECKED)
def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Add a mark after each code block that includes an example."""
    if "examples/" not in markdown:
        return None
    texts = _texts.get(page_language(page, config)) or _texts["en"]
    top = project_top(config)
    return verification.marked(markdown, texts, top, config.repo_url, _results)
