"""Link each sentence that a claims file checks to its example on the examples page.

Handles ``on_config`` (read every ``examples/<chapter>/claims*.yml`` and the
texts in ``claims.yml`` beside this file), ``on_files`` (which examples the
examples pages of this language's build show) and ``on_page_markdown``:

- on an examples page (``exemples.md`` beside a page that claims files check),
  each code block titled with an example's path (``title="examples/..."``)
  gets an id made from that path, so that a link lands on the example; in a
  content tab (pymdownx.tabbed), which a link cannot open, the id is on the
  tabbed set, so the link lands on the pair of examples;
- on a page a claims file checks, each quoted sentence becomes a link to the
  example of the first claim that quotes it, so several claims sharing one
  sentence give one link; a quoted line of a code block cannot hold a link, so
  the block is followed by one line that links to the examples of its lines.

The author's files stay as written: the links are added at render time. They
are added to the Markdown, not to the HTML, so that MkDocs checks each link and
anchor like the author's own (the strict build fails on a broken one),
mkdocs-static-i18n points ``exemples.md`` at the English examples page in the
English build, hooks/typography.py spaces the linked text like the rest, and
hooks/print_book.py rebases the links on the print page. A sentence that is
not in the page, or an example that is not on the examples page, is a warning
that names the claim's line in its claims file.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from publishing.build import docs_name, read_texts
from publishing.languages import current_language, default_language

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

TEXTS = Path(__file__).with_name("claims.yml")
CLAIMS_FILES = "examples/*/claims*.yml"
# The checks a claim can name (tests/book_claims.py runs them).
CHECKS = ("lines", "has", "job", "test", "manifest")
EXAMPLES_PAGE = "exemples.md"
LINK_CLASS = "livre-claim"
NOTE_CLASS = "livre-claim-examples"
log = get_plugin_logger(__name__)

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_LANGUAGE = re.compile(r"[\w+-]*")
_TAB_LABEL = re.compile(r'^===[!+]{0,2} +"')
_TITLE = re.compile(r'(?<![\w-])title="(examples/[^"]+)"')
# What a link cannot hold or cross: links, images, autolinks and inline HTML.
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)|<[^>\n]+>")
_SUFFIX = re.compile(r"\.([a-z]{2})\.md$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Claim:
    """One claim as a page in one language needs it."""

    where: str  # "examples/chapitre-3/claims.yml:12: claim simple-job-20-lines"
    quote: str | None
    quote_key: str  # the field the quote comes from, for messages
    in_block: str | None
    file: str | None


@dataclass
class Plan:
    """The claims of one page, in the page's language, and where its examples are."""

    shown: str  # docs/chapitre-3/3.1-constat.md
    language: str
    examples: str  # the examples page, unsuffixed: chapitre-3/exemples.md
    claims: list[Claim]


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its opening and closing line indexes, indent and info."""

    start: int
    end: int
    indent: str
    language: str
    info: str


# Reset in on_config and on_files: `mkdocs serve` keeps this module across builds.
_plans: dict[str, Plan] = {}
_texts: dict[str, dict[str, str]] = {}
# This language build's examples pages (as built, e.g. exemples.en.md) and what they show.
_shown: dict[str, set[str]] = {}
_built: dict[str, str] = {}  # unsuffixed examples page -> the one this build renders


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the claims files and the texts of the added lines."""
    root = Path(config.config_file_path).parent
    default = default_language(config)
    _texts.clear()
    _texts.update(read_texts(__file__))
    _plans.clear()
    for path in sorted(root.glob(CLAIMS_FILES)):
        for src_uri, plan in _read_plans(path, root, Path(config.docs_dir), default).items():
            if src_uri in _plans:
                _plans[src_uri].claims += plan.claims
            else:
                _plans[src_uri] = plan


def on_files(files: Files, /, *, config: MkDocsConfig, **kwargs) -> None:
    """Note which examples each examples page of this build shows."""
    language = current_language(config)
    default = default_language(config)
    _shown.clear()
    _built.clear()
    for examples in {plan.examples for plan in _plans.values()}:
        built = examples
        if language != default:
            localized = _localized(examples, language)
            built = localized if files.get_file_from_path(localized) else examples
        _built[examples] = built
        file = files.get_file_from_path(built)
        text = file.content_string if file is not None else ""
        lines = text.split("\n")
        _shown[built] = {example for _, example in _titled(lines, _fences(lines))}


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Give the examples ids on an examples page; link the claimed sentences elsewhere."""
    src_uri = page.file.src_uri
    if src_uri in _shown:
        return anchor_examples(markdown)
    plan = _plans.get(src_uri)
    if plan is None:
        return None
    built = _built[plan.examples]
    linked, problems = link_claims(
        markdown,
        plan.claims,
        page=plan.shown,
        href=posixpath.relpath(plan.examples, posixpath.dirname(src_uri) or "."),
        examples=docs_name(config, built),
        shown=_shown[built],
        note=_text(plan.language, "in_block"),
        source=page.file.content_string,
    )
    for problem in problems:
        log.warning(problem)
    return linked if linked != markdown else None


def anchor_of(example: str) -> str:
    """Return the id of an example on the examples page, made from its path."""
    return _NOT_SLUG.sub("-", example.lower()).strip("-")


def anchor_examples(markdown: str) -> str:
    """Wrap each code block titled with an example's path in an element with its id."""
    lines = markdown.split("\n")
    titled = _titled(lines, _fences(lines))
    for fence, example in reversed(titled):
        if fence.indent:
            # In a content tab: a link cannot open a tab that is not shown (Material
            # opens one only for a link to the tab itself), so the id goes on an empty
            # element just above the tabbed set, and the link lands on the pair.
            start = _tabbed_set_start(lines, fence.start)
            lines[start:start] = [f'<div id="{anchor_of(example)}"></div>', ""]
            if start and lines[start - 1].strip():
                lines.insert(start, "")
            continue
        lines[fence.start : fence.end + 1] = [
            f'<div id="{anchor_of(example)}" markdown>',
            "",
            *lines[fence.start : fence.end + 1],
            "",
            "</div>",
            "",
        ]
        if fence.start and lines[fence.start - 1].strip():
            lines.insert(fence.start, "")
    return "\n".join(lines)


def link_claims(
    markdown: str,
    claims: list[Claim],
    *,
    page: str,
    href: str,
    examples: str,
    shown: set[str],
    note: str,
    source: str | None = None,
) -> tuple[str, list[str]]:
    """Link each claimed sentence of a page to its example; return the page and the problems.

    ``source`` is the page's file as written, front matter included: problems give
    its line numbers, not those of the Markdown other hooks have already changed.
    """
    lines = markdown.split("\n")
    fences = _fences(lines)
    in_fence = {i for fence in fences for i in range(fence.start, fence.end + 1)}
    bodies = {fence: _body(lines, fence) for fence in fences}
    problems: list[str] = []
    spans: dict[int, list[tuple[int, int, str]]] = {}
    notes: dict[Fence, list[str]] = {}
    for (quote, in_block), group in _groups(claims, page, problems).items():
        target = None
        for claim in group:
            if claim.file not in shown:
                problems.append(
                    f"{claim.where}: {claim.file} has no place on {examples}: show it there "
                    f'in a code block titled "{claim.file}"'
                )
            elif target is None:
                target = claim.file
        if in_block:
            fence = next((f for f in fences if f.language == in_block and quote in bodies[f]), None)
            if fence is None:
                problems += [_lost(claim, page) for claim in group]
            elif target is not None and target not in notes.setdefault(fence, []):
                notes[fence].append(target)
            continue
        found = next(
            (i for i, line in enumerate(lines) if i not in in_fence and quote in line), None
        )
        if found is None:
            problems += [_lost(claim, page) for claim in group]
            continue
        if target is None:
            continue
        start = lines[found].index(quote)
        span = _span(lines[found], start, start + len(quote))
        taken = spans.setdefault(found, [])
        if span is None or any(s < span[1] and span[0] < e for s, e, _ in taken):
            if not any(s <= start and start + len(quote) <= e for s, e, _ in taken):
                problems.append(
                    f"{group[0].where}: {page}:{_source_line(source, lines, found)}: its "
                    "sentence crosses a code span, "
                    "a link, emphasis or another claim's sentence, so it cannot become a link; "
                    "quote a part of it that does not"
                )
            continue
        taken.append((*span, f"{href}#{anchor_of(target)}"))
    for number, taken in spans.items():
        line = lines[number]
        for start, end, url in sorted(taken, reverse=True):
            line = f"{line[:start]}[{line[start:end]}]({url}){{ .{LINK_CLASS} }}{line[end:]}"
        lines[number] = line
    for fence, targets in sorted(notes.items(), key=lambda item: -item[0].start):
        links = ", ".join(
            f"[`{posixpath.basename(t)}`]({href}#{anchor_of(t)}){{ .{LINK_CLASS} }}"
            for t in targets
        )
        indent = fence.indent
        lines[fence.end + 1 : fence.end + 1] = [
            "",
            f"{indent}{note} {links}",
            f"{indent}{{ .{NOTE_CLASS} }}",
            "",
        ]
    return "\n".join(lines), problems


def _groups(
    claims: list[Claim], page: str, problems: list[str]
) -> dict[tuple[str, str | None], list[Claim]]:
    """Group the claims by the sentence (or the line of code) they quote, in order."""
    groups: dict[tuple[str, str | None], list[Claim]] = {}
    for claim in claims:
        if not claim.quote:
            problems.append(f"{claim.where}: no `{claim.quote_key}` to find in {page}")
        elif not claim.file:
            problems.append(f"{claim.where}: no `file`, the example to link to")
        else:
            groups.setdefault((claim.quote, claim.in_block), []).append(claim)
    return groups


def _source_line(source: str | None, lines: list[str], index: int) -> int:
    """Return the line of the page's file that holds ``lines[index]`` (1-based).

    Other hooks only add lines (blank lines before lists) and MkDocs takes the
    front matter off: the file has at most as many lines below it, so it is the
    first line with the same text from that distance from the file's end.
    """
    if source is None:
        return index + 1
    written = source.split("\n")
    below = len(lines) - index
    for number in range(max(len(written) - below, 0), len(written)):
        if written[number] == lines[index]:
            return number + 1
    return index + 1


def _lost(claim: Claim, page: str) -> str:
    return (
        f"{claim.where}: its sentence is not in {page}, so it links to no example: "
        f"{claim.quote!r} (copy `{claim.quote_key}` word for word from the page)"
    )


def _span(line: str, start: int, end: int) -> tuple[int, int] | None:
    """Return what to put in a link for a quote of a line, or None when it cannot be one."""
    if line.count("`", start, end) % 2:
        return None  # it crosses a code span
    if line.count("`", 0, start) % 2:
        # Inside a code span, whose text cannot hold a link: link the whole span.
        start, end = line.rfind("`", 0, start), line.find("`", end) + 1
        if end == 0:
            return None
        while start and line[start - 1] == "`":
            start -= 1
        while end < len(line) and line[end] == "`":
            end += 1
    quote = line[start:end]
    if quote.count("*") % 2 or quote.count("**") % 2 or quote.count("[") != quote.count("]"):
        return None  # emphasis or brackets that open in the quote and close outside
    if any(m.start() < end and start < m.end() for m in _LINK.finditer(line)):
        return None
    return start, end


def _fences(lines: list[str]) -> list[Fence]:
    """Return the fenced code blocks of a page (an unclosed one runs to the end)."""
    fences = []
    opened: tuple[int, str, str, str] | None = None
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if opened is None:
            if match:
                info = match["info"].strip()
                opened = (i, match["indent"], match["fence"], info)
        elif match and match["fence"].startswith(opened[2]) and not match["info"].strip():
            start, indent, _, info = opened
            fences.append(Fence(start, i, indent, _language(info), info))
            opened = None
    if opened is not None:
        start, indent, _, info = opened
        fences.append(Fence(start, len(lines) - 1, indent, _language(info), info))
    return fences


def _language(info: str) -> str:
    return _LANGUAGE.match(info.lstrip("{. ")).group().lower()  # type: ignore[union-attr]


def _body(lines: list[str], fence: Fence) -> list[str]:
    """Return the lines of a fenced block's code, without the block's indent."""
    return [line.removeprefix(fence.indent) for line in lines[fence.start + 1 : fence.end]]


def _tabbed_set_start(lines: list[str], index: int) -> int:
    """Return the index of the first tab label of the tabbed set holding line ``index``."""
    start = index
    for i in range(index - 1, -1, -1):
        if _TAB_LABEL.match(lines[i]):
            start = i
        elif lines[i].strip() and not lines[i].startswith("    "):
            break
    return start


def _titled(lines: list[str], fences: list[Fence]) -> list[tuple[Fence, str]]:
    """Return the blocks titled with an example's path, and that path.

    A block may be indented by four spaces, in a content tab (pymdownx.tabbed),
    not more: deeper, it would be in a list or a quote, where no link lands well.
    """
    titled = []
    for fence in fences:
        match = _TITLE.search(fence.info)
        if match and fence.indent in ("", "    "):
            titled.append((fence, match.group(1)))
    return titled


def _read_texts() -> dict[str, dict[str, str]]:
    """Read the added lines' texts, per language."""
    try:
        texts = yaml.load(TEXTS.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as error:
        raise PluginError(f"hooks/{TEXTS.name}: {error}") from error
    if not isinstance(texts, dict):
        raise PluginError(f"hooks/{TEXTS.name}: expected a mapping of languages")
    return texts


def _read_plans(path: Path, root: Path, docs: Path, default: str) -> dict[str, Plan]:
    """Read a claims file into the plan of its French page and of its English one."""
    shown = path.relative_to(root).as_posix()
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PluginError(f"{shown}: cannot read the claims file: {error}") from error
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise PluginError(f"{shown}: cannot read the claims file: {error}") from error
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise PluginError(f"{shown}: a claims file needs `page` and a list of `claims`")
    if not isinstance(data.get("page"), str):
        raise PluginError(f"{shown}: a claims file needs `page`, the French page it checks")
    items = next(value for key, value in node.value if key.value == "claims").value
    entries = [
        (item.start_mark.line + 1, entry)
        for item, entry in zip(items, data["claims"], strict=True)
        if isinstance(entry, dict)
        and not _entry_problem(shown, item.start_mark.line + 1, entry, root)
    ]
    plans = {}
    for key in ("page", "page_en"):
        if not isinstance(data.get(key), str):
            continue
        src_uri = _src_uri(root / data[key], docs, shown)
        plans[src_uri] = Plan(
            data[key],
            _language_of(src_uri) or default,
            posixpath.join(posixpath.dirname(src_uri), EXAMPLES_PAGE),
            [_claim(shown, line, entry, key) for line, entry in entries],
        )
    return plans


def _entry_problem(shown: str, line: int, entry: dict[str, Any], root: Path) -> bool:
    """Warn about a claim whose check is unknown or whose example does not exist; say if so.

    Such a claim links to nothing: telling to show a missing example on the
    examples page would only lead to the next error (a missing snippet).
    """
    where = f"{shown}:{line}: claim {entry.get('id') or f'#{line}'}"
    check, file = entry.get("check"), entry.get("file")
    if check not in CHECKS:
        log.warning(f"{where}: unknown check {check!r}: use one of {', '.join(CHECKS)}")
        return True
    if not isinstance(file, str) or not (root / file).is_file():
        log.warning(
            f"{where}: {file} does not exist: create the example, or fix `file` "
            "(a path from the project's top, as examples/chapitre-3/scripts/deploy.sh)"
        )
        return True
    return False


def _claim(shown: str, line: int, entry: dict[str, Any], page_key: str) -> Claim:
    """Return a claim as the page named by `page_key` needs it."""
    in_block = entry.get("in_block")
    # A line of code is the same in both languages: its claim has one quote.
    key = "quote_en" if page_key == "page_en" and not in_block else "quote"
    quote = entry.get(key)
    file = entry.get("file")
    return Claim(
        f"{shown}:{line}: claim {entry.get('id') or f'#{line}'}",
        str(quote) if quote is not None else None,
        key,
        str(in_block) if in_block else None,
        str(file) if file is not None else None,
    )


def _src_uri(path: Path, docs: Path, shown: str) -> str:
    """Return a page's path inside the docs folder, as MkDocs names its file."""
    try:
        return path.resolve().relative_to(docs.resolve()).as_posix()
    except ValueError as error:
        raise PluginError(f"{shown}: {path} is not a page of {docs}") from error


def _text(language: str, name: str) -> str:
    """Return one of the added texts in a language."""
    try:
        return _texts[language][name]
    except (KeyError, TypeError) as error:
        raise PluginError(f"hooks/{TEXTS.name}: no `{name}` text for '{language}'") from error


def _language_of(src_uri: str) -> str | None:
    """Return the language suffix of a page's file (a/b.en.md -> en), None without one."""
    match = _SUFFIX.search(src_uri)
    return match.group(1) if match else None


def _localized(src_uri: str, language: str) -> str:
    """Return the suffixed name of a page's translation: a/b.md -> a/b.en.md."""
    stem, extension = posixpath.splitext(src_uri)
    return f"{stem}.{language}{extension}"
