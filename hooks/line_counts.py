"""Give each content tab that shows examples the number of lines of its files.

Handles ``on_config`` (read the labels' texts in ``texts.yml`` beside
this file) and ``on_page_markdown``: in a tabbed set (pymdownx.tabbed,
``=== "Nomad"``), a tab whose content includes files (``--8<-- "examples/..."``)
gets, after its label, the number of lines of those files, counted as
``wc -l`` counts them, in the page's language: ``=== "Nomad · 212 lignes"``.
So the counts that the examples page compares (a Nomad job and its Kubernetes
twin) are never typed by hand and follow the files. A tab that includes only
part of a file (``file:3:10``, ``file:section``) or a file that does not exist
is a warning with the page's line (hooks/snippets.py names the missing file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from publishing import line_counts
from publishing.build import docs_name, front_matter_lines, project_top, read_texts

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

# Reset in on_config: `mkdocs serve` keeps this module across builds.
_texts: dict[str, dict[str, str]] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the labels' texts, per language."""
    texts = line_counts.checked_labels(read_texts(__file__))
    _texts.clear()
    _texts.update(texts)


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Add the line count of its included files to each tab label that has some."""
    if "===" not in markdown or "8<" not in markdown:
        return None
    language = line_counts.language_of(page.file.src_uri, config)
    texts = _texts.get(language) or next(iter(_texts.values()))
    root = project_top(config)
    text, problems = line_counts.counted(markdown, root, texts)
    offset = front_matter_lines(page, markdown)
    for line, problem in problems:
        log.warning(f"{docs_name(config, page.file.src_uri)}:{line + offset}: {problem}")
    return text if text != markdown else None
