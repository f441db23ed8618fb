"""Report a missing snippet as a content problem, with its page and line.

Handles ``on_page_markdown``, before pymdownx.snippets reads the includes. With
``check_paths``, pymdownx.snippets stops the build on a missing file with a
traceback that names neither the page nor the line. This hook checks every
``--8<--`` include first, warns ``docs/page.md:12: ...`` (so the strict build
fails and lists every missing file at once) and drops the include line so the
build can go on to report the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger
from pymdownx.snippets import SnippetPreprocessor

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
    bases = _bases(config)
    if bases is None:
        return None
    lines = markdown.split("\n")
    kept: list[str] = []
    for number, line, path in _includes(lines):
        if path is not None and not any((base / path).is_file() for base in bases):
            offset = front_matter_lines(page, markdown)
            where = docs_name(config, page.file.src_uri)
            log.warning(
                f"{where}:{number + offset}: snippet '{path}' not found; "
                f"paths are relative to {', '.join(str(base) for base in bases)}"
            )
            continue
        kept.append(line)
    return "\n".join(kept) if len(kept) != len(lines) else None


def _includes(lines: list[str]):
    """Yield (line number, line, included path or None) for each line."""
    block = False
    for number, line in enumerate(lines, start=1):
        match = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line) if "8<" in line else None
        path = None
        if match and not match.group("escape"):
            if match.group("inline_marker") and not block:
                path = match.group("snippet")[1:-1].strip()
            elif match.group("block_marker"):
                block = not block
        elif block and line.strip():
            path = line.strip()
        if path is not None and not path.startswith(("http://", "https://")):
            # Same split as pymdownx: "file.sh:3:5" or "file.sh:section" name file.sh.
            path = SnippetPreprocessor.split_path(SnippetPreprocessor, path)[0]
        yield number, line, path


def _bases(config: MkDocsConfig) -> list[Path] | None:
    """Return the folders snippets are read from, or None without the extension."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return None
    base = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    return [Path(b).resolve() for b in ([base] if isinstance(base, str) else base)]
