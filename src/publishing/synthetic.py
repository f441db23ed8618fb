"""A synthetic book made of the real one, N written sections: for the bench and the tests.

The real docs/ plus copies of chapter 3's written section, French and English,
in chapters of ten sections, each chapter with its examples page and its planned
sections (the outline, hooks/outline.yml, plans chapter 3's planned sections in
every chapter), and the real mkdocs.yml with its nav regenerated: same theme,
plugins, markdown extensions and hooks (copied with hooks/); the rest of the
repository is linked in, so snippets and data files resolve. The book is a git
repository of one commit, for the hooks that read history.

Variants differ by configuration only, the hooks list of their mkdocs.yml: the
plain book (no project hooks but the outline's, whose pages are the book's
content), and the book without the hooks that speed Material up.

`python -m publishing.bench generate DEST --sections N [--plain [--as-written]]` writes one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from publishing.markdown import separate_lists, split_front_matter
from publishing.project import ROOT

CHAPTER = "chapitre-3"  # the real chapter the synthetic book is made of
SECTION = "3.1-constat.md"  # its written section, copied as every further section
PER_CHAPTER = 10
# What the synthetic book does not take from the repository as it is: its own
# docs/, hooks/ (with its own outline) and mkdocs.yml; build output and tools.
NOT_LINKED = {
    "docs",
    "translations",
    "hooks",
    "mkdocs.yml",
    "site",
    ".git",
    ".venv",
    ".cache",
    ".pytest_cache",
    ".ruff_cache",
    "tests",
}
# The hooks that make Material's own work faster, for the same site: without
# them, the hooks' own work (Material indexes pages as they are and compiles its
# templates). Left out of the configuration, not patched out of their source.
SPEEDUP_HOOKS = {"template_cache.py", "search_speedup.py"}
# The hooks whose work is the book's content, not a cost of the hooks: the outline
# gives each planned section its page, which the plain book keeps (by configuration,
# as its only hook) rather than writing those pages itself.
CONTENT_HOOKS = {"outline.py"}


@dataclass
class Book:
    """A synthetic book on disk: its root (the build's cwd) and its config."""

    root: Path
    config: Path
    sections: int


def generate(
    dest: Path,
    sections: int,
    *,
    plain: bool = False,
    as_written: bool = False,
    speedups: bool = True,
) -> Book:
    """Write a synthetic book of `sections` written sections into `dest`.

    With `plain`, the book has no hooks but the outline's (CONTENT_HOOKS), so
    both books have the same pages, planned ones included, and each page is
    written as hooks/lists.py hands it to Markdown (a blank line above each
    list), so both books render the same lists. The author
    writes a list right under its paragraph, which Python-Markdown reads as
    more lines of that paragraph: built as written, a page renders none of its
    lists, and the plain build would skip work that is the book's, not the
    hooks'. With `as_written` too, the pages stay as written, for comparison.
    Without `speedups`, the hooks that speed Material up (SPEEDUP_HOOKS) are left
    out of the configuration: the hooks' own work, without what they save.
    """
    if sections < 1:
        raise ValueError("a synthetic book has at least one section")
    dest.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name not in NOT_LINKED and not (dest / entry.name).exists():
            (dest / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "translations", dest / "translations")
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    config = read_config()
    chapters = layout(sections)
    _write_pages(dest / "docs", chapters)
    _write_pages(dest / "translations", chapters)  # the French text each translation records
    planned = _write_outline(dest / "hooks", len(chapters))
    listed = config.get("hooks") or []
    nav = _nav(config.get("nav") or [], chapters)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if plain:
        if not as_written:
            _separate_lists(dest / "docs")
        hooks = [h for h in listed if Path(h).name in CONTENT_HOOKS]
        text = replace_block(text, "hooks", hooks)
        # Pages the other hooks generate (a print page...) are the hooks' own work.
        nav = _existing(nav, dest / "docs", planned)
    elif not speedups:
        hooks = [h for h in listed if Path(h).name not in SPEEDUP_HOOKS]
        text = replace_block(text, "hooks", hooks)
    # The real mkdocs.yml, tags and comments kept, with the book's nav: relative
    # paths (hooks, snippets, overrides) resolve in the synthetic book.
    path = dest / "mkdocs.yml"
    path.write_text(replace_block(text, "nav", nav), encoding="utf-8")
    _commit(dest)
    return Book(dest, path, sections)


def _separate_lists(docs: Path) -> None:
    """Write every page's body as hooks/lists.py gives it to Markdown; front matter as it is."""
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        _, body, _ = split_front_matter(text)
        separated = separate_lists(body)
        if separated != body:
            page.write_text(text[: len(text) - len(body)] + separated, encoding="utf-8")


def _commit(dest: Path) -> None:
    """Commit the book in a repository of its own, for the hooks that read history."""
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "book"]):
        subprocess.run(["git", *args], cwd=dest, check=True, capture_output=True)


class _Dumper(yaml.SafeDumper):
    """Write lists indented under their key, as mkdocs.yml has them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def replace_block(text: str, key: str, value: Any) -> str:
    """Replace the top-level `key:` of a YAML text, up to the next top-level line."""
    lines = text.split("\n")
    block = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False).rstrip(
        "\n"
    )
    start = next((i for i, line in enumerate(lines) if re.match(rf"{key}:(\s|$)", line)), None)
    if start is None:
        return text.rstrip("\n") + "\n" + block + "\n"
    end = start + 1
    while end < len(lines) and not re.match(r"[^\s]", lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep the blank lines before the next key
    return "\n".join([*lines[:start], block, *lines[end:]])


def layout(sections: int) -> list[list[str]]:
    """Name the section files of each chapter: ten to a chapter, chapter 3 first."""
    chapters = []
    for start in range(0, sections, PER_CHAPTER):
        count = min(PER_CHAPTER, sections - start)
        chapters.append([SECTION] + [f"section-{i:02}.md" for i in range(2, count + 1)])
    return chapters


def chapter_folder(number: int) -> str:
    return f"chapitre-{number + 3}"


def _write_pages(docs: Path, chapters: list[list[str]]) -> None:
    """Copy chapter 3 as every chapter, and its written section as every section.

    In docs/, or in translations/ (the French text of each recorded translation).
    """
    source = ROOT / docs.name / CHAPTER
    for number, sections in enumerate(chapters):
        folder = docs / chapter_folder(number)
        if number:
            shutil.copytree(source, folder)
        for name in sections[1:]:
            for language_suffix in ("", ".en"):
                original = source / SECTION.replace(".md", f"{language_suffix}.md")
                if original.exists():
                    shutil.copyfile(original, folder / name.replace(".md", f"{language_suffix}.md"))


def _write_outline(hooks: Path, chapters: int) -> set[str]:
    """Plan chapter 3's planned sections in every chapter; return the planned pages."""
    outline_file = hooks / "outline.yml"
    if not outline_file.exists():
        return set()
    outline = yaml.safe_load(outline_file.read_text(encoding="utf-8"))
    planned = {}
    for src_uri, titles in (outline.get("planned") or {}).items():
        if not src_uri.startswith(f"{CHAPTER}/"):
            planned[src_uri] = titles
            continue
        for number in range(chapters):
            planned[src_uri.replace(CHAPTER, chapter_folder(number), 1)] = titles
    outline["planned"] = planned
    outline_file.write_text(
        yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return set(planned)


def _nav(nav: list[Any], chapters: list[list[str]]) -> list[Any]:
    """Add the further sections after 3.1 and the further chapters after chapter 3."""
    out = []
    for item in nav:
        if _mentions(item, f"{CHAPTER}/"):
            for number, sections in enumerate(chapters):
                out.append(_chapter_nav(item, number, sections))
        else:
            out.append(item)
    return out


def _chapter_nav(item: Any, number: int, sections: list[str]) -> Any:
    """Return chapter 3's nav entry for chapter `number`, with its sections."""
    chapter = chapter_folder(number)
    if isinstance(item, str):
        return item.replace(f"{CHAPTER}/", f"{chapter}/", 1)
    if isinstance(item, dict):
        title = f"Chapitre {number + 3}"
        return {
            key.replace("Chapitre 3", title): _chapter_nav(value, number, sections)
            for key, value in item.items()
        }
    if isinstance(item, list):
        out = []
        for entry in item:
            out.append(_chapter_nav(entry, number, sections))
            if _mentions(entry, f"{CHAPTER}/{SECTION}"):
                out.extend(f"{chapter}/{name}" for name in sections[1:])
        return out
    return item


def _existing(nav: Any, docs: Path, planned: set[str]) -> Any:
    """Keep the nav entries whose page is a file in `docs`, planned, or an address."""
    if isinstance(nav, list):
        kept = [_existing(item, docs, planned) for item in nav]
        return [item for item in kept if item not in (None, [], {})]
    if isinstance(nav, dict):
        kept = {key: _existing(value, docs, planned) for key, value in nav.items()}
        return {key: value for key, value in kept.items() if value not in (None, [], {})}
    if isinstance(nav, str) and nav.endswith(".md") and "://" not in nav:
        return nav if (docs / nav).is_file() or nav in planned else None
    return nav


def _mentions(item: Any, text: str) -> bool:
    if isinstance(item, str):
        return text in item
    if isinstance(item, dict):
        return any(_mentions(value, text) for value in item.values())
    if isinstance(item, list):
        return any(_mentions(value, text) for value in item)
    return False


class ConfigLoader(yaml.SafeLoader):
    """Read mkdocs.yml for its nav, hooks and language: every tag (!ENV...) reads as None."""


ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config() -> dict[str, Any]:
    """Read the real mkdocs.yml; the synthetic book inherits it, tags and all."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)
