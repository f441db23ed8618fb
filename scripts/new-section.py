"""Start a new section of the book: its French page, its place in the outline, nav and contents.

Usage (from the project's top, or through make):

    .venv/bin/python scripts/new-section.py --chapter 3 --section 3.2 --slug analyse \\
        [--title "3.2 Analyse post-mortem"] [--root DIR] [--remove]
    make new-section CHAPTER=3 SECTION=3.2 SLUG=analyse TITLE="3.2 Analyse post-mortem"
    make remove-section CHAPTER=3 SECTION=3.2 SLUG=analyse

It creates ``docs/chapitre-<chapter>/<section>-<slug>.md`` with the title as its
heading, removes the section from ``planned`` in ``hooks/outline.yml`` (a written
section is no longer planned: the build warns until it leaves), adds the page
to the chapter's ``nav`` in ``mkdocs.yml`` when it is not there yet, and lists
it in the book's contents: the home page (``docs/index.md``) and the chapter's
overview (its ``README.md``), in English too while those are up to date with
the French (they are then recorded again). The title defaults to the French
title the outline plans for it.

It writes no English file on purpose: until someone translates the page,
mkdocs-static-i18n shows the French text under /en/ with a notice
(hooks/translations.py) and ``make i18n-status`` lists the page as missing. The
English title the outline planned is printed, for the translator.
Edits are line-based, so the comments of both YAML files stay as they are.
``--remove`` undoes a written section: its pages, nav entry and contents lines.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from publishing import i18n

ROOT = Path(__file__).resolve().parent.parent
# After a page's title in the English contents while it is shown in French (hooks/translations.py).
UNTRANSLATED_MARK = " (FR)"
SECTION = re.compile(r"^\d+(\.\d+)+$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class SectionError(Exception):
    """The section cannot be created as asked; the message says why and what to do."""


def main(argv: list[str] | None = None) -> int:
    """Create the section; print what changed, or why nothing did."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", required=True, help="chapter number: 3")
    parser.add_argument("--section", required=True, help="section number: 3.2")
    parser.add_argument("--slug", required=True, help="lowercase words with hyphens: analyse")
    parser.add_argument("--title", help="French heading (default: the outline's title)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this one)")
    parser.add_argument("--remove", action="store_true", help="remove the written section instead")
    args = parser.parse_args(argv)
    try:
        if args.remove:
            changes = remove_section(args.root, args.chapter, args.section, args.slug)
        else:
            changes = new_section(args.root, args.chapter, args.section, args.slug, args.title)
        for line in changes:
            print(line)
    except SectionError as error:
        print(f"new-section: {error}", file=sys.stderr)
        return 1
    return 0


def new_section(root: Path, chapter: str, section: str, slug: str, title: str | None) -> list[str]:
    """Create the page, update outline and nav; return one line per change."""
    if not SECTION.match(section) or section.split(".")[0] != chapter:
        raise SectionError(
            f"section {section!r} must be numbered in chapter {chapter}, e.g. {chapter}.2"
        )
    if not SLUG.match(slug):
        raise SectionError(f"slug {slug!r} must be lowercase words joined by hyphens, e.g. analyse")
    src_uri = f"chapitre-{chapter}/{section}-{slug}.md"
    page = root / "docs" / src_uri
    if page.exists():
        raise SectionError(f"docs/{src_uri} exists already")
    outline_path = root / "hooks" / "outline.yml"
    planned = (yaml.safe_load(outline_path.read_text(encoding="utf-8")) or {}).get("planned") or {}
    titles = planned.get(src_uri, {})
    title = title or titles.get("fr")
    if not title:
        raise SectionError(
            f"{src_uri} is not planned in hooks/outline.yml: give its title, "
            f'e.g. TITLE="{section} Titre de la section"'
        )
    mkdocs_path = root / "mkdocs.yml"
    nav = _add_to_nav(mkdocs_path.read_text(encoding="utf-8"), chapter, section, src_uri)

    changes = []
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"# {title}\n\n", encoding="utf-8")
    changes.append(f"created docs/{src_uri}: write the section there")
    if src_uri in planned:
        outline_path.write_text(
            _remove_planned(outline_path.read_text(encoding="utf-8"), src_uri), encoding="utf-8"
        )
        changes.append(f"hooks/outline.yml: {src_uri} is written now, no longer planned")
    if nav is not None:
        mkdocs_path.write_text(nav, encoding="utf-8")
        changes.append(f"mkdocs.yml: {src_uri} added to the nav of chapter {chapter}")
    changes += _update_contents(root, chapter, src_uri, title)
    english = f" (planned English title: {titles['en']!r})" if titles.get("en") else ""
    changes.append(
        f"English: none yet, shown in French under /en/ until translated{english}; "
        "see make i18n-status"
    )
    return changes


def remove_section(root: Path, chapter: str, section: str, slug: str) -> list[str]:
    """Remove a written section: its pages, its nav entry, its lines in the contents."""
    src_uri = f"chapitre-{chapter}/{section}-{slug}.md"
    page = root / "docs" / src_uri
    if not page.is_file():
        raise SectionError(f"docs/{src_uri} does not exist: nothing to remove")
    docs, store = root / "docs", root / "translations"
    name = src_uri.split("/", 1)[1]
    contents = [docs / "index.md", docs / f"chapitre-{chapter}" / "README.md"]
    in_step = {
        french: i18n.english_of(french).is_file()
        and i18n.page_status(french, docs, store).state == "up to date"
        for french in contents
        if french.is_file()
    }
    changes = []
    for removed in (page, i18n.english_of(page), store / src_uri):
        if removed.is_file():
            removed.unlink()
            changes.append(f"removed {_rel(root, removed)}")
    mkdocs_path = root / "mkdocs.yml"
    nav = mkdocs_path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in nav if line.strip() != f"- {src_uri}"]
    if len(kept) != len(nav):
        mkdocs_path.write_text("\n".join(kept), encoding="utf-8")
        changes.append(f"mkdocs.yml: {src_uri} taken out of the nav")
    for french, english_in_step in in_step.items():
        pages = [french, i18n.english_of(french)] if english_in_step else [french]
        for listed in pages:
            lines = listed.read_text(encoding="utf-8").split("\n")
            kept = [line for line in lines if f"]({name})" not in line and f"/{name})" not in line]
            if len(kept) != len(lines):
                listed.write_text("\n".join(kept), encoding="utf-8")
                changes.append(f"{_rel(root, listed)}: {name} no longer listed")
        if english_in_step:
            i18n.update(i18n.english_of(french), docs, store)
    claims = root / "examples" / f"chapitre-{chapter}" / f"claims-{section}.yml"
    if claims.is_file():
        changes.append(f"{_rel(root, claims)}: its claims check this section: remove it too")
    changes.append("links to it from other pages fail the build, each with its file and line")
    return changes


def _update_contents(root: Path, chapter: str, src_uri: str, title: str) -> list[str]:
    """List the section in the book's contents (home page) and its chapter's overview.

    In French always; in English only where the page is up to date with the
    French, and then recorded again (both changed in step), with the French
    title and "(FR)", as the English navigation shows a page not translated
    yet. A translation already behind is the translator's: make i18n-status.
    """
    docs = root / "docs"
    name = src_uri.split("/", 1)[1]
    pages = [
        (docs / "index.md", src_uri, rf"- \[[^\]]+\]\(chapitre-{chapter}/README\.md\)"),
        (docs / f"chapitre-{chapter}" / "README.md", name, r"\| --- \| --- \|"),
    ]
    changes = []
    for french, target, after in pages:
        if not french.is_file():
            continue
        english = i18n.english_of(french)
        store = root / "translations"
        in_step = english.is_file() and (
            i18n.page_status(french, docs, store).state == "up to date"
        )
        edited = {}
        for page, mark in ((french, ""), (english, UNTRANSLATED_MARK)):
            if page == english and not in_step:
                continue
            text = page.read_text(encoding="utf-8")
            edited[page] = _contents_entry(text, target, f"[{title}]({target}){mark}", after)
            if edited[page] is None:
                changes.append(
                    f"{_rel(root, page)}: no place for {name} (no line matching {after!r}): "
                    "list it there by hand"
                )
        for page, text in edited.items():
            if text is not None:
                page.write_text(text, encoding="utf-8")
                changes.append(f"{_rel(root, page)}: {name} listed")
        if in_step and None not in edited.values():
            i18n.update(english, docs, store)
            changes.append(f"{_rel(root, english)}: recorded again, in step with its French page")
    return changes


def _contents_entry(text: str, target: str, link: str, after: str) -> str | None:
    """Return the page with the section's entry (in place of a planned one); None if no place."""
    lines = text.split("\n")
    table = after.startswith(r"\|")
    entry = f"| {link} | |" if table else f"- {link}"
    for index, line in enumerate(lines):
        if f"]({target})" in line:  # listed already, as planned: written now
            lines[index] = line[: len(line) - len(line.lstrip())] + entry
            return "\n".join(lines)
    start = next((i for i, line in enumerate(lines) if re.fullmatch(after, line.strip())), None)
    if start is None:
        return None
    key = _number(re.match(r"\d+(?:\.\d+)+", target.rsplit("/", 1)[-1]).group(0))
    position, indent = start, "" if table else "    "
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.strip() or (not table and not line.startswith(" ")):
            break
        number = re.search(r"\]\((?:[\w-]+/)?(\d+(?:\.\d+)+)-[^)]*\)", line)
        if number and _number(number.group(1)) < key:
            position, indent = index, line[: len(line) - len(line.lstrip())]
    lines.insert(position + 1, indent + entry)
    return "\n".join(lines)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _remove_planned(text: str, src_uri: str) -> str:
    """Drop the entry `src_uri:` and its indented lines from the 'planned' block."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    indent = 0
    for line in lines:
        stripped = line.lstrip(" ")
        if skipping:
            if line.strip() and len(line) - len(stripped) <= indent:
                skipping = False
            else:
                continue
        if stripped.rstrip("\n") == f"{src_uri}:":
            skipping, indent = True, len(line) - len(stripped)
            continue
        out.append(line)
    # Nothing left under `planned:`: say so ({}), rather than leave an empty key.
    for index, line in enumerate(out):
        following = out[index + 1] if index + 1 < len(out) else ""
        if line.rstrip("\n") == "planned:" and not following.startswith(" "):
            out[index] = "planned: {}\n"
    return "".join(out)


def _add_to_nav(text: str, chapter: str, section: str, src_uri: str) -> str | None:
    """Return mkdocs.yml with the page in its chapter's nav, or None when it is there."""
    lines = text.splitlines(keepends=True)
    if any(line.strip() == f"- {src_uri}" for line in lines):
        return None
    folder = f"chapitre-{chapter}/"
    items = [i for i, line in enumerate(lines) if line.strip().startswith(f"- {folder}")]
    if not items:
        raise SectionError(
            f"mkdocs.yml: no nav entry under {folder} for chapter {chapter}: add "
            f"the chapter first (its {folder}README.md)"
        )
    # After the last section numbered before this one, else after the chapter's first page.
    key = _number(section)
    after = items[0]
    for i in items:
        found = re.match(rf"- {re.escape(folder)}(\d+(?:\.\d+)+)-", lines[i].strip())
        if found and _number(found.group(1)) < key:
            after = i
    indent = lines[after][: len(lines[after]) - len(lines[after].lstrip(" "))]
    lines.insert(after + 1, f"{indent}- {src_uri}\n")
    return "".join(lines)


def _number(section: str) -> tuple[int, ...]:
    """Order 3.10 after 3.9."""
    return tuple(int(part) for part in section.split("."))


if __name__ == "__main__":
    sys.exit(main())
