"""Keep the English edition in step with the French text it translates.

Usage (from the project's top, or through make):

    .venv/bin/publishing-i18n status [--strict] [PAGE...]   # make i18n-status
    .venv/bin/publishing-i18n update PAGE...                # make i18n-update PAGE=...

An English page ``x.en.md`` translates a given state of its French page
``x.md``. ``update`` records that state in two places:

- in the English page's front matter, a fingerprint per section of the French
  text (``translation: {source: x.md, commit: sha, sections: {anchor: hash}}``),
  so that a change to one French section marks exactly that section stale;
  ``commit`` is the last commit of the French page (left out when the page has
  changes not committed yet, or no history): readers of a stale page get a link
  to what changed in the repository since. Records written before it was added
  have no ``commit`` and stay valid;
- in ``translations/x.md``, a copy of the French page as translated, so that
  ``status`` can show the diff of the French text since (a hash alone cannot).

``status`` prints every page and section as ``up to date``, ``stale`` or
``missing``; it exits non-zero only with ``--strict``, so changing the French
text never blocks anyone while the report always shows the debt.
``parity`` (used by tests/test_translations.py) compares the structure of both
languages: headings and their anchors, list items, quotes, code, links, snippets.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import functools
import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import yaml
from markdown.extensions.toc import slugify, unique

from publishing.build import git
from publishing.markdown import (
    FENCE,
    closes,
    front_matter_problem,
    separate_lists,
    split_front_matter,
)
from publishing.project import ROOT

DOCS = ROOT / "docs"
# The French text of each translated state lives at the top of the repository,
# not in docs/: everything under docs/ is published, and a hidden folder there
# would still be copied to the site. One plain copy per page, at the French
# page's own path, keeps it cheap (a few kB) and reviewable: a pull request that
# re-records a translation shows, in this folder, the French change it covers.
STORE = ROOT / "translations"
LANGUAGE = "en"
FRONT_MATTER_KEY = "_front-matter"  # the section made of the page's YAML front matter
TOP_KEY = "_top"  # text above the first heading
HASH_LENGTH = 12

_HEADING = re.compile(r"^(#{1,6})[ \t]+\S")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^\s{0,3}>")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_INLINE_CODE = re.compile(r"(`+).+?\1")
_SNIPPET = "--8<--"
_ID = re.compile(r'<h[1-6][^>]*\bid="([^"]*)"')
# A heading of plain text: nothing Markdown renders (emphasis, code, links,
# HTML, entities, escapes, attr_list's braces, closing hashes), so its text is
# what toc slugifies.
_PLAIN_HEADING = re.compile(r"#{1,6}[ \t]+([^\\`*_\[\]<>&!{}#\n]*?)[ \t]*")


# Sections and fingerprints.


@dataclass(frozen=True)
class Section:
    """A heading and the text down to the next heading, fence-aware."""

    anchor: str
    line: int  # 1-based line of the section's first line in its file
    text: str

    @functools.cached_property
    def fingerprint(self) -> str:
        """Hash the section's text with its whitespace normalized."""
        normalized = " ".join(self.text.split())
        return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def sections(text: str) -> list[Section]:
    """Split a page at its headings; its front matter is a section of its own."""
    return list(_sections(text))


# The same texts are split many times in a build (each page's French, its recorded
# state, in each language's build, by the notices, the status page and the record's
# check): once is enough.
@functools.lru_cache(maxsize=4096)
def _sections(text: str) -> tuple[Section, ...]:
    front, body, offset = split_front_matter(text)
    found: list[Section] = []
    if front is not None and front.strip():
        found.append(Section(FRONT_MATTER_KEY, 2, front))
    lines = body.split("\n")
    starts = [number for number, _ in _headings(lines)]
    anchors = heading_ids([lines[number] for number in starts])
    bounds = [0, *starts, len(lines)]
    keys = [TOP_KEY, *anchors]
    for key, start, end in zip(keys, bounds, bounds[1:], strict=False):
        chunk = "\n".join(lines[start:end])
        if key == TOP_KEY and not chunk.strip():
            continue
        found.append(Section(key, start + 1 + offset, chunk))
    return tuple(found)


def heading_ids(headings: list[str]) -> list[str]:
    """Return the anchor ids toc gives these heading lines, in one page.

    Python-Markdown renders them, so the ids are exactly the site's: the
    default slugify of the rendered heading text, or an attr_list ``{ #id }``,
    made unique within the page as toc does.
    """
    if not headings:
        return []
    texts = [_PLAIN_HEADING.fullmatch(line) for line in headings]
    if all(texts):
        # Plain text only, as most headings are: toc's own slugify and unique
        # give the ids without rendering (the same ids, ten times faster).
        used: set[str] = set()
        return [unique(slugify(text.group(1), "-"), used) for text in texts]
    return rendered_heading_ids(headings)


def rendered_heading_ids(headings: list[str]) -> list[str]:
    """Return the ids of heading_ids, always rendering the headings with Python-Markdown."""
    if not headings:
        return []
    return _ID.findall(_heading_renderer().reset().convert("\n\n".join(headings)))


@functools.cache
def _heading_renderer() -> markdown.Markdown:
    """Return one Markdown with toc and attr_list: making one costs more than a page's headings."""
    return markdown.Markdown(extensions=["toc", "attr_list"])


def _headings(lines: list[str]):
    """Yield (0-based index, level) of each ATX heading outside code fences."""
    fence = ""
    for number, line in enumerate(lines):
        if fence:
            if closes(line, fence):
                fence = ""
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
        elif _HEADING.match(line):
            yield number, len(line) - len(line.lstrip("#"))


# Pages.


def english_of(french: Path) -> Path:
    """Return the English translation's path of a French page: a/b.md -> a/b.en.md."""
    return french.with_name(f"{french.stem}.{LANGUAGE}{french.suffix}")


def french_of(english: Path) -> Path:
    """Return the French page an English page translates: a/b.en.md -> a/b.md."""
    return english.with_name(english.name.removesuffix(f".{LANGUAGE}.md") + ".md")


def french_pages(docs: Path) -> list[Path]:
    """Return the French pages of docs/ (every .md without a language suffix)."""
    return sorted(
        p for p in docs.rglob("*.md") if not re.search(r"\.[a-z]{2}(?:_[A-Z]{2})?\.md$", p.name)
    )


def read_record(english: Path) -> dict | None:
    """Return the ``translation`` record of an English page's front matter, if any."""
    record = _record(english, english.read_text(encoding="utf-8"))
    return copy.deepcopy(record) if record is not None else None


@functools.lru_cache(maxsize=1024)  # the same page, in each language's build: parsed once
def _record(english: Path, text: str) -> dict | None:
    front, _, _ = split_front_matter(text)
    if not front:
        return None
    problem = front_matter_problem(text)
    if problem:
        raise ValueError(f"{_shown(english)}:{problem}")
    meta = yaml.safe_load(front)
    record = meta.get("translation") if isinstance(meta, dict) else None
    return record if isinstance(record, dict) else None


def record_problems(english: Path, docs: Path = DOCS, store: Path = STORE) -> list[str]:
    """Return ``file:line: problem`` for each fingerprint the recorded French text does not back.

    ``update`` writes both at once; a fingerprint that is not that of the French
    text kept in ``translations/`` was edited by hand, and says nothing about
    whether the French changed since.
    """
    record = read_record(english)
    if record is None:
        return []
    shown = _shown(english)
    lines = english.read_text(encoding="utf-8").split("\n")
    fix = f"run make i18n-update PAGE={shown} once the English matches the French"
    snapshot = store / french_of(english).relative_to(docs)
    if not snapshot.is_file():
        line = next((n for n, t in enumerate(lines, 1) if t.startswith("translation:")), 1)
        return [f"{shown}:{line}: no French text of this translation in {_shown(snapshot)}: {fix}"]
    kept = {s.anchor: s.fingerprint for s in sections(snapshot.read_text(encoding="utf-8"))}
    recorded = record.get("sections") or {}
    problems = []
    for anchor, digest in recorded.items():
        if kept.get(anchor) != digest:
            line = next(
                (n for n, t in enumerate(lines, 1) if t.strip().startswith(f"{anchor}:")), 1
            )
            problems.append(
                f"{shown}:{line}: the fingerprint of #{anchor} was edited by hand: it is not "
                f"that of the French text kept in {_shown(snapshot)} (never edit it); {fix}"
            )
    for anchor in kept.keys() - recorded.keys():
        problems.append(
            f"{shown}:1: #{anchor} of {_shown(snapshot)} has no fingerprint: the record was "
            f"edited by hand; {fix}"
        )
    return problems


@dataclass
class SectionStatus:
    """The state of one section of the French page, for its translation."""

    anchor: str
    line: int  # in the French page; 0 when the section was removed from it
    state: str  # "up to date", "stale" or "missing"
    note: str = ""
    diff: list[str] = field(default_factory=list)


@dataclass
class PageStatus:
    """The state of one page's translation."""

    french: Path
    english: Path
    state: str  # "up to date", "stale" or "missing"
    note: str = ""
    sections: list[SectionStatus] = field(default_factory=list)


def page_status(french: Path, docs: Path = DOCS, store: Path = STORE) -> PageStatus:
    """Compare the French page with the state its English page records."""
    english = english_of(french)
    if not english.exists():
        return PageStatus(french, english, "missing", "no English translation")
    record = read_record(english)
    current = sections(french.read_text(encoding="utf-8"))
    if record is None:
        return PageStatus(
            french,
            english,
            "stale",
            "no fingerprint recorded; once the English matches the French, run "
            f"make i18n-update PAGE={_shown(english)}",
            [SectionStatus(s.anchor, s.line, "stale") for s in current],
        )
    edited = record_problems(english, docs, store)
    if edited:
        return PageStatus(
            french,
            english,
            "stale",
            "translation record edited by hand: " + "; ".join(edited),
            [SectionStatus(s.anchor, s.line, "stale") for s in current],
        )
    recorded: dict[str, str] = record.get("sections") or {}
    snapshot_path = store / french.relative_to(docs)
    snapshot = (
        {s.anchor: s for s in sections(snapshot_path.read_text(encoding="utf-8"))}
        if snapshot_path.exists()
        else {}
    )
    states = []
    for section in current:
        if section.anchor not in recorded:
            states.append(
                SectionStatus(section.anchor, section.line, "missing", "new in the French")
            )
        elif recorded[section.anchor] == section.fingerprint:
            states.append(SectionStatus(section.anchor, section.line, "up to date"))
        else:
            states.append(
                SectionStatus(
                    section.anchor,
                    section.line,
                    "stale",
                    diff=_diff(
                        snapshot.get(section.anchor),
                        recorded[section.anchor],
                        section,
                        snapshot_path,
                        french,
                    ),
                )
            )
    anchors = {s.anchor for s in current}
    for anchor, digest in recorded.items():
        if anchor not in anchors:
            states.append(
                SectionStatus(
                    anchor,
                    0,
                    "stale",
                    "removed from the French",
                    _diff(snapshot.get(anchor), digest, None, snapshot_path, french),
                )
            )
    behind = [s for s in states if s.state != "up to date"]
    if not behind:
        return PageStatus(french, english, "up to date", sections=states)
    note = f"{len(behind)} of {len(states)} sections: " + ", ".join(f"#{s.anchor}" for s in behind)
    return PageStatus(french, english, "stale", note, states)


def _diff(
    old: Section | None, digest: str, new: Section | None, old_path: Path, new_path: Path
) -> list[str]:
    """Return the unified diff of a French section since its translated state."""
    if old is None or old.fingerprint != digest:
        return [f"(no French text of the translated state in {_shown(old_path)}: no diff)"]
    return list(
        difflib.unified_diff(
            old.text.split("\n"),
            new.text.split("\n") if new else [],
            f"{_shown(old_path)} (translated)",
            f"{_shown(new_path)} (now)",
            lineterm="",
        )
    )


def update(english: Path, docs: Path = DOCS, store: Path = STORE) -> None:
    """Record that an English page translates its French page as it is now."""
    french = french_of(english)
    if not french.exists():
        raise FileNotFoundError(f"{_shown(english)}: no French page {_shown(french)}")
    french_text = french.read_text(encoding="utf-8")
    translation = {"source": french.relative_to(docs).as_posix()}
    commit = last_commit(french)
    if commit:
        translation["commit"] = commit
    translation["sections"] = {s.anchor: s.fingerprint for s in sections(french_text)}
    record = {"translation": translation}
    block = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=1000)
    text = english.read_text(encoding="utf-8")
    front, body, _ = split_front_matter(text)
    kept = _without_key(front or "", "translation")
    english.write_text(
        f"---\n{kept}{block}---\n{body if front is not None else text}", encoding="utf-8"
    )
    snapshot = store / french.relative_to(docs)
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    snapshot.write_text(french_text, encoding="utf-8")


def last_commit(path: Path) -> str | None:
    """Return the last commit of a file, None when it changed since or has no history."""
    folder = str(path.parent)
    changed = git(folder, "status", "--porcelain", "--", path.name)
    if changed is None or changed.strip():
        return None  # not in a repository, or the text is not the committed one
    return git(folder, "log", "-1", "--format=%H", "--", path.name) or None


def changes_url(repo_url: str, edit_uri: str, commit: str, path: str) -> str:
    """Return the address of what changed in `path` since `commit`, on the repository's host.

    A comparison of the recorded commit with the published branch (the one
    ``edit_uri`` edits, ``edit/main/docs/``), opened at the French page's diff:
    it shows the text that changed, where a list of commits would only name them
    (and include older ones). GitHub names a file's diff ``diff-`` and the
    SHA-256 of its path.
    """
    parts = [part for part in edit_uri.split("/") if part]
    branch = parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob", "tree") else "main"
    anchor = hashlib.sha256(path.encode("utf-8")).hexdigest()
    return f"{repo_url.rstrip('/')}/compare/{commit}...{branch}#diff-{anchor}"


def _without_key(front: str, key: str) -> str:
    """Drop a top-level key and its indented lines from YAML text, keep the rest as written."""
    kept, dropping = [], False
    for line in front.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            dropping = True
        elif dropping and line[:1] not in (" ", "\t", "\n", ""):
            dropping = False
        if not dropping:
            kept.append(line)
    return "".join(kept)


def format_status(statuses: list[PageStatus]) -> str:
    """Render the report: one line per page, one per section, diffs under stale ones."""
    out = []
    for page in statuses:
        head = f"{_shown(page.english)}: {page.state}"
        out.append(f"{head} ({page.note})" if page.note else head)
        for s in page.sections:
            where = f"{_shown(page.french)}:{s.line}" if s.line else _shown(page.french)
            line = f"    #{s.anchor} ({where}): {s.state}"
            out.append(f"{line} ({s.note})" if s.note else line)
            out += [f"        {d}" for d in s.diff]
    counts = {
        state: sum(p.state == state for p in statuses)
        for state in ("up to date", "stale", "missing", "unreadable")
        if state != "unreadable" or any(p.state == state for p in statuses)
    }
    pages = f"{len(statuses)} page" + ("s" if len(statuses) != 1 else "")
    out.append(f"{pages}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(out)


def _shown(path: Path) -> str:
    """Name a path relative to the project's top when it is inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


# Parity of structure between the two languages.


@dataclass(frozen=True)
class Element:
    """A structural element of a page: its kind, line, section index and value."""

    kind: str
    line: int
    section: int
    value: object = None


# Plural names for messages, in the order they are compared.
KINDS = {
    "list item": "list items",
    "quote": "quotes",
    "code block": "code blocks",
    "link": "links",
    "snippet": "snippet includes",
}


def elements(text: str) -> list[Element]:
    """List a page's headings, list items, quotes, code blocks, links and snippets."""
    _, body, offset = split_front_matter(text)
    original = body.split("\n")
    lines = separate_lists(body).split("\n")
    # separate_lists only inserts blank lines: map each line back to the author's.
    numbers, j = [], 0
    for line in lines:
        if j < len(original) and line == original[j]:
            j += 1
        numbers.append(j + offset)
    found: list[Element] = []
    fence, code, code_line = "", [], 0
    section, previous_quote = 0, False
    heading_lines = []
    for index, line in enumerate(lines):
        number = numbers[index]
        if _SNIPPET in line:
            found.append(Element("snippet", number, section, line.strip()))
        if fence:
            if closes(line, fence):
                found.append(Element("code block", code_line, section, "\n".join(code)))
                fence = ""
            elif _SNIPPET not in line:  # includes are compared as snippets, not as code
                code.append(line)
            continue
        opening = FENCE.match(line)
        if opening:
            fence, code, code_line = opening.group(1), [], number
            previous_quote = False
            continue
        if _HEADING.match(line):
            section += 1
            level = len(line) - len(line.lstrip("#"))
            found.append(Element("heading", number, section, level))
            heading_lines.append(line)
        elif _ITEM.match(line) and not _RULE.match(line):
            found.append(Element("list item", number, section))
        quote = bool(_QUOTE.match(line))
        if quote and not previous_quote:
            found.append(Element("quote", number, section))
        previous_quote = quote
        prose = _INLINE_CODE.sub("", line)
        for target in _LINK.findall(prose):
            found.append(Element("link", number, section, target))
        reference = _REFERENCE.match(prose)
        if reference:
            found.append(Element("link", number, section, reference.group(1)))
    if fence:  # an unclosed fence runs to the end of the page, as in Markdown
        found.append(Element("code block", code_line, section, "\n".join(code)))
    ids = iter(heading_ids(heading_lines))
    return [
        Element(e.kind, e.line, e.section, (e.value, next(ids))) if e.kind == "heading" else e
        for e in found
    ]


def parity(french_text: str, english_text: str, english_name: str) -> list[str]:
    """Compare both languages' structure; return ``file:line: what differs (...)``."""
    fr, en = elements(french_text), elements(english_text)
    problems = []
    fr_headings = [e for e in fr if e.kind == "heading"]
    en_headings = [e for e in en if e.kind == "heading"]
    aligned = len(fr_headings) == len(en_headings)
    if not aligned:
        at = _first_difference(fr_headings, en_headings, english_text)
        problems.append(
            f"{english_name}:{at}: headings differ "
            f"(French has {len(fr_headings)}, English has {len(en_headings)})"
            + _missing("heading", fr_headings, en_headings)
        )
    else:
        for f, e in zip(fr_headings, en_headings, strict=True):
            (f_level, f_id), (e_level, e_id) = f.value, e.value
            if f_level != e_level:
                problems.append(
                    f"{english_name}:{e.line}: heading level differs "
                    f"(French has {f_level}, English has {e_level})"
                )
            if f_id != e_id:
                problems.append(
                    f"{english_name}:{e.line}: heading anchor differs "
                    f"(French has #{f_id}, English has #{e_id}); "
                    f"end the English heading with {{ #{f_id} }}"
                )
    # With the same headings, compare section by section; otherwise the whole page.
    groups = range(len(en_headings) + 1) if aligned else [None]
    for group in groups:
        heading_line = en_headings[group - 1].line if aligned and group else 1
        for kind, plural in KINDS.items():
            f_items = [e for e in fr if e.kind == kind and group in (None, e.section)]
            e_items = [e for e in en if e.kind == kind and group in (None, e.section)]
            if len(f_items) != len(e_items):
                problems.append(
                    f"{english_name}:{_count_line(f_items, e_items, heading_line)}: {plural} "
                    f"differ (French has {len(f_items)}, English has {len(e_items)})"
                    + _missing(kind, f_items, e_items)
                )
                continue
            for f, e in zip(f_items, e_items, strict=True):
                if f.value != e.value:
                    problems.append(f"{english_name}:{e.line}: {_value_difference(kind, f, e)}")
    return sorted(problems, key=_line_of)


def _count_line(french: list[Element], english: list[Element], heading_line: int) -> int:
    """Return the English line where a section's count of elements goes wrong.

    The last element when the English has fewer (the missing one is near it),
    the first extra one when it has more, the section's heading when it has none.
    """
    if not english:
        return heading_line
    if len(english) < len(french):
        return english[-1].line
    return english[len(french)].line


def _missing(kind: str, french: list[Element], english: list[Element]) -> str:
    """Name the anchors, link targets or snippets one language has and the other lacks."""
    if kind not in ("heading", "link", "snippet"):
        return ""
    shown = (lambda e: f"#{e.value[1]}") if kind == "heading" else (lambda e: repr(e.value))
    f_values, e_values = Counter(map(shown, french)), Counter(map(shown, english))
    parts = [
        f"{label}: " + ", ".join(values.elements())
        for label, values in (
            ("missing in English", f_values - e_values),
            ("only in English", e_values - f_values),
        )
        if values
    ]
    return "; " + "; ".join(parts) if parts else ""


def _first_difference(fr: list[Element], en: list[Element], english_text: str) -> int:
    """Return the English line where two heading lists stop matching."""
    for f, e in zip(fr, en, strict=False):
        if f.value != e.value:
            return e.line
    if len(en) > len(fr):
        return en[len(fr)].line
    return english_text.count("\n") + 1 if not en else en[-1].line


def _value_difference(kind: str, french: Element, english: Element) -> str:
    """Describe how two elements of the same kind differ."""
    if kind == "code block":
        f_lines, e_lines = str(french.value).split("\n"), str(english.value).split("\n")
        for number, (f, e) in enumerate(zip(f_lines, e_lines, strict=False), start=1):
            if f != e:
                return (
                    f"code block differs from the French at its line {number} "
                    f"(French has {f.strip()!r}, English has {e.strip()!r}); "
                    "code is never translated"
                )
        return (
            f"code block differs from the French "
            f"(French has {len(f_lines)} lines, English has {len(e_lines)})"
        )
    what = "link target" if kind == "link" else "snippet include"
    return f"{what} differs (French has {french.value!r}, English has {english.value!r})"


def _line_of(problem: str) -> tuple[int, str]:
    """Sort key: the line number of a ``file:line: message``."""
    match = re.search(r":(\d+): ", problem)
    return (int(match.group(1)) if match else 0, problem)


def parity_problems(english: Path, docs: Path = DOCS, store: Path = STORE) -> list[str]:
    """Compare an English page with the French text it translates.

    That is the recorded French state when there is one, so that a change to the
    French text marks the page stale without failing the tests.
    """
    french = french_of(english)
    if not french.is_file():
        return [f"{_shown(english)}:1: no French page {_shown(french)} to translate"]
    source = translated_french(english, docs, store)
    return parity(
        source.read_text(encoding="utf-8"), english.read_text(encoding="utf-8"), _shown(english)
    )


def translated_french(english: Path, docs: Path = DOCS, store: Path = STORE) -> Path:
    """Return the French text an English page translates: its recorded state, else today's."""
    french = french_of(english)
    snapshot = store / french.relative_to(docs)
    return snapshot if read_record(english) and snapshot.exists() else french


# Command line.


def main(argv: list[str] | None = None) -> int:
    """Run ``status`` or ``update``; return the exit status."""
    parser = argparse.ArgumentParser(prog="publishing-i18n", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="report each translation's state")
    status.add_argument("--strict", action="store_true", help="exit 1 unless all up to date")
    status.add_argument("pages", nargs="*", type=Path, help="French or English pages")
    record = commands.add_parser("update", help="record that English pages are up to date")
    record.add_argument("pages", nargs="+", type=Path, help="English pages (x.en.md)")
    for command in (status, record):
        command.add_argument("--docs", type=Path, default=DOCS, help="the docs folder (docs/)")
        command.add_argument(
            "--store", type=Path, default=STORE, help="French text as translated (translations/)"
        )
    args = parser.parse_args(argv)
    docs, store = args.docs.resolve(), args.store.resolve()

    if args.command == "update":
        refused = [problem for page in args.pages for problem in _update_refusal(page, docs)]
        if refused:
            print("\n".join(refused), file=sys.stderr)
            example = f"{_shown(docs)}/chapitre-3/3.1-constat.en.md"
            usage = f"usage: make i18n-update PAGE={example} (an English page, once it matches)"
            print(usage, file=sys.stderr)
            return 2
        for english in args.pages:
            try:
                update(english.resolve(), docs, store)
            except FileNotFoundError as error:
                print(error, file=sys.stderr)
                return 2
            print(f"{_shown(english)}: recorded as up to date with {_shown(french_of(english))}")
        return 0
    pages = [
        french_of(p) if p.name.endswith(f".{LANGUAGE}.md") else p
        for p in (p.resolve() for p in args.pages)
    ] or french_pages(docs)
    statuses = [_status_or_error(p, docs, store) for p in pages]
    print(format_status(statuses))
    if any(s.state == "unreadable" for s in statuses):
        return 1  # a page that cannot be read is a mistake, not a translation behind
    return 1 if args.strict and any(s.state != "up to date" for s in statuses) else 0


def _update_refusal(page: Path, docs: Path) -> list[str]:
    """Say why a path given to ``update`` is not an English page of docs/ (nothing if it is)."""
    shown = _shown(page.resolve())
    if page.is_dir():
        return [f"i18n-update: {shown} is a folder: give one English page (x.{LANGUAGE}.md)"]
    if not page.resolve().is_relative_to(docs):
        return [f"i18n-update: {shown} is not a page of {_shown(docs)}/"]
    if not page.name.endswith(f".{LANGUAGE}.md"):
        english = _shown(english_of(page.resolve()))
        return [
            f"i18n-update: {shown} is the French page: give its English translation, PAGE={english}"
        ]
    if not page.is_file():
        return [f"i18n-update: {shown} does not exist"]
    return []


def statuses(docs: Path = DOCS, store: Path = STORE) -> list[PageStatus]:
    """Return the status of every French page of docs/, a page that cannot be read included."""
    return [_status_or_error(p, docs, store) for p in french_pages(docs)]


def _status_or_error(french: Path, docs: Path, store: Path) -> PageStatus:
    """Return a page's status; a page that cannot be read is reported, not a traceback."""
    try:
        return page_status(french, docs, store)
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        return PageStatus(french, english_of(french), "unreadable", str(error))


if __name__ == "__main__":
    sys.exit(main())
