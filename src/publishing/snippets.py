"""The includes of a page (pymdownx.snippets' ``--8<--``) whose file does not exist.

With ``check_paths``, pymdownx.snippets stops the build on a missing file with
a traceback that names neither the page nor the line. ``missing_dropped``
finds every include first, with the same rules as pymdownx.snippets, and
returns the page without them and their lines, for hooks/snippets.py to warn.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pymdownx.snippets import SnippetPreprocessor

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def missing_dropped(markdown: str, bases: list[Path]) -> tuple[str, list[tuple[int, str]]]:
    """Return the page without its includes of missing files, and each one's line and path."""
    lines = markdown.split("\n")
    kept: list[str] = []
    missing = []
    for number, line, path in _includes(lines):
        if path is not None and not any((base / path).is_file() for base in bases):
            missing.append((number, path))
            continue
        kept.append(line)
    return "\n".join(kept), missing


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


def bases(config: MkDocsConfig) -> list[Path] | None:
    """Return the folders snippets are read from, or None without the extension."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return None
    base = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    return [Path(b).resolve() for b in ([base] if isinstance(base, str) else base)]
