"""Read the book's Markdown as MkDocs and Python-Markdown do: front matter, fences, lists.

Plain functions, for the hooks (hooks/lists.py, hooks/messages.py), the
translation record (publishing.i18n), the claims (publishing.claims) and the
scripts alike: one reader of front matter, one scanner of code fences, one
rule for the lists the author writes under their paragraph, one way back from
the Markdown a hook is handed to the lines of the page's file.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

import yaml

# MkDocs' own pattern for YAML front matter (mkdocs.utils.meta), with its end line.
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.DOTALL)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")  # a code fence opening (or closing) line
_LANGUAGE = re.compile(r"[\w+-]*")
# At most three spaces: four would make an indented code block, not a list.
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its opening and closing line indexes, indent, info and code."""

    start: int
    end: int  # the closing line; the last line of the text for an unclosed block
    indent: str
    info: str  # what follows the opening backticks or tildes: language, attributes
    lines: tuple[str, ...]  # the code, without the block's indent

    @property
    def language(self) -> str:
        """Return the block's language as Pygments names it (```bash, ``` { .bash }: bash)."""
        return _LANGUAGE.match(self.info.lstrip("{. ")).group().lower()  # type: ignore[union-attr]


def fences(lines: list[str]) -> list[Fence]:
    """Return the fenced code blocks of a text's lines (an unclosed one runs to the end)."""
    found = []
    opened: tuple[int, str] | None = None  # the opening line's index and its fence
    for index, line in enumerate(lines):
        if opened is None:
            opening = FENCE.match(line)
            if opening:
                opened = (index, opening.group(1))
        elif closes(line, opened[1]):
            found.append(_fence(lines, *opened, index))
            opened = None
    if opened is not None:
        found.append(_fence(lines, *opened, len(lines)))
    return found


def source_line(source: str, markdown: str, index: int) -> int:
    """Return the line of a page's file (1-based) that holds line ``index`` of its Markdown.

    MkDocs hands the hooks the page without its front matter (and the blank
    lines after it), and hooks that ran before may have added or changed lines
    (hooks/lists.py adds a blank line above a list): the two texts are aligned
    line by line, so an unchanged line is found where the author wrote it.
    """
    _, body, offset = split_front_matter(source)
    matcher = difflib.SequenceMatcher(None, body.split("\n"), markdown.split("\n"), autojunk=False)
    below = 0  # a line a hook added or changed: counted on from the unchanged run above it
    for written, given, size in matcher.get_matching_blocks():  # the last one: (end, end, 0)
        if index < given:
            return offset + min(below, written) + 1
        if index < given + size:
            return offset + written + index - given + 1
        below = written + size + index - (given + size)
    return offset + below + 1


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, number of lines above the body)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 0
    return match.group(1) or "", text[match.end() :], match.group(0).count("\n")


@functools.lru_cache(maxsize=4096)  # each page, in each language's build: parsed once
def front_matter_problem(text: str) -> str | None:
    """Return ``line: what is wrong`` with a page's front matter (lines of the file), or None."""
    match = FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return None
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2  # below the opening ---
        what = getattr(error, "problem", None) or str(error)
        return (
            f"{line}: front matter is not valid YAML ({what}); write `key: value` lines "
            "between the two --- lines, quoting a value that holds ': ' or starts with [ { * &"
        )
    if data is not None and not isinstance(data, dict):
        return "2: front matter must be `key: value` lines, not a single value or a list"
    return None


def separate_lists(markdown: str) -> str:
    """Insert a blank line between a paragraph line and a list that follows it."""
    out: list[str] = []
    fence = ""
    in_list = False
    previous = ""
    for line in markdown.split("\n"):
        if fence:
            if closes(line, fence):
                fence = ""
            out.append(line)
            previous = line
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            in_list = False
        elif not line.strip():
            in_list = False
        elif _ITEM.match(line):
            if previous.strip() and not in_list:
                out.append("")
            in_list = True
        out.append(line)
        previous = line
    return "\n".join(out)


def closes(line: str, fence: str) -> bool:
    """Tell whether the line closes a code fence opened with ``fence``."""
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])


def _fence(lines: list[str], start: int, fence: str, end: int) -> Fence:
    """Return the block opened with ``fence`` on line ``start`` and closed on line ``end``."""
    opening = lines[start]
    indent = opening[: len(opening) - len(opening.lstrip())]
    code = tuple(line.removeprefix(indent) for line in lines[start + 1 : end])
    info = opening.strip()[len(fence) :].strip()
    return Fence(start, min(end, len(lines) - 1), indent, info, code)
