"""Start a new section of the book: its French page, its place in the outline and the nav.

Usage (from the project's top, or through make):

    .venv/bin/python scripts/new-section.py --chapter 3 --section 3.2 --slug analyse \\
        [--title "3.2 Analyse post-mortem"] [--root DIR]
    make new-section CHAPTER=3 SECTION=3.2 SLUG=analyse TITLE="3.2 Analyse post-mortem"

It creates ``docs/chapitre-<chapter>/<section>-<slug>.md`` with the title as its
heading, removes the section from ``planned`` in ``hooks/outline.yml`` (a written
section is no longer planned: the build warns until it leaves), and adds the page
to the chapter's ``nav`` in ``mkdocs.yml`` when it is not there yet. The title
defaults to the French title the outline plans for it.

It writes no English file on purpose: until someone translates the page,
mkdocs-static-i18n shows the French text under /en/ with a notice
(hooks/translations.py) and ``make i18n-status`` lists the page as missing. The
English title the outline planned is printed, for the translator.
Edits are line-based, so the comments of both YAML files stay as they are.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
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
    args = parser.parse_args(argv)
    try:
        for line in new_section(args.root, args.chapter, args.section, args.slug, args.title):
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
    english = f" (planned English title: {titles['en']!r})" if titles.get("en") else ""
    changes.append(
        f"English: none yet, shown in French under /en/ until translated{english}; "
        "see make i18n-status"
    )
    return changes


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
