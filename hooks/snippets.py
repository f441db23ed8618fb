"""Report a missing snippet as a content problem, with its page and line.

Handles ``on_page_markdown``, before pymdownx.snippets reads the includes. With
``check_paths``, pymdownx.snippets stops the build on a missing file with a
traceback that names neither the page nor the line. This hook checks every
``--8<--`` include first, warns ``docs/page.md:12: ...`` (so the strict build
fails and lists every missing file at once) and drops the include line so the
build can go on to report the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from publishing import snippets
from publishing.build import docs_name, front_matter_lines
from publishing.order import BEFORE_LINES_MOVE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)


@event_priority(BEFORE_LINES_MOVE)
def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Warn about each include whose file does not exist, and drop it."""
    if "8<" not in markdown:
        return None  # every marker, inline or block, has it: no include here
    bases = snippets.bases(config)
    if bases is None:
        return None
    kept, missing = snippets.missing_dropped(markdown, bases)
    where = docs_name(config, page.file.src_uri)
    for number, path in missing:
        offset = front_matter_lines(page, markdown)
        log.warning(
            f"{where}:{number + offset}: snippet '{path}' not found; "
            f"paths are relative to {', '.join(str(base) for base in bases)}"
        )
    return kept if missing else None
