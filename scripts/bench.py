"""Measure how the book's build and checks scale: `make bench`.

Generates a synthetic book from the real one in a temporary folder (the real
docs/ plus copies of chapter 3's written section, French and English, in
chapters of ten sections, each chapter with its examples page and its planned
sections), and the real mkdocs.yml with its nav regenerated: same theme,
plugins, markdown extensions, and the hooks it lists at run time (copied with
hooks/, the outline planning each chapter's sections); the rest of the
repository is linked in, so snippets and data files resolve. The book is a git
repository of one commit, for the hooks that read history. It then measures,
median of several runs:

- the strict build with the project's hooks against the same content without
  them (plain mkdocs-material + mkdocs-static-i18n): the ratio is their cost,
  the median of the ratios of builds made back to back in each round.
  The same content: the plain book's pages have the blank line above each list
  that hooks/lists.py adds at render time, so both builds render the same
  lists; the plain build of the pages as written (lists read as paragraph
  lines) is shown beside it;
- the time of each hook's handlers inside in-process builds, and with
  --marginal, how much faster the build is without each hook (its handlers
  plus what the rest of the build does with their result);
- the build time per page at 1, 10 and 100 sections;
- the rebuild after editing one page under `mkdocs serve`;
- the test suite on the real book, group by group, `make test` as a whole, and
  the build tests on the synthetic book;
- the peak memory of a build.

It prints a table and writes the results as JSON (.cache/bench-<commit>.json
unless --json says otherwise), so results compare across commits.

`python scripts/bench.py generate DEST --sections N [--plain [--as-written]]` only writes a
synthetic book, for a look at it or for a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import posixpath
import queue
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from publishing.markdown import separate_lists, split_front_matter

ROOT = Path(__file__).resolve().parent.parent
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
# Test groups of `make test`, by file name; a file in none of them counts as "other".
TEST_GROUPS = {
    "build": ["test_site*.py", "test_build*.py"],
    "examples": ["test_examples*.py", "test_claims*.py"],
    "translations": ["test_translation*.py"],
    "browser": ["test_browser*.py"],
}
TARGETS = {
    "hooks_ratio": 1.10,  # project build / plain build
    "build_100_s": 6.0,  # synthetic 100-section book, both languages
    "linearity": 1.20,  # marginal time per page at 100 sections / at 10
    "make_test_s": 180.0,  # make test on the real book, 2 cores
    "serve_real_s": 0.5,  # mkdocs serve: one page of the real book edited, until reload
    "serve_100_s": 1.5,  # the same on the synthetic 100-section book
}
# The hooks that make Material's own work faster, for the same site: without
# them, the hooks' own work (Material indexes pages as they are and compiles its
# templates). Left out of the configuration, not patched out of their source.
SPEEDUP_HOOKS = {"template_cache.py", "search_speedup.py"}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
_BUILT_IN = re.compile(r"Documentation built in ([\d.]+) seconds")
_SUMMARY = re.compile(r"=+ (.*\d+ (?:passed|failed|error|errors|skipped).*) in [\d.]+s")


@dataclass
class Book:
    """A synthetic book on disk: its root (the build's cwd) and its config."""

    root: Path
    config: Path
    sections: int


@dataclass
class Run:
    """One strict build in a child process: its times, memory and log."""

    seconds: float
    built_in: float | None
    maxrss_mb: float
    returncode: int
    output: str
    pages: int


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, or write one synthetic book (`generate`)."""
    args = _parse(argv)
    if args.command == "generate":
        book = generate(
            Path(args.dest), args.sections, plain=args.plain, as_written=args.as_written
        )
        print(book.config)
        return 0
    if args.command == "hook-costs":
        print(json.dumps(_hook_costs_here(Path(args.config), args.runs)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        results = bench(Path(tmp), args)
        if args.keep:
            kept = Path(tempfile.mkdtemp(prefix="bench-kept-"))
            shutil.copytree(tmp, kept, symlinks=True, dirs_exist_ok=True)
            print(f"synthetic books kept in {kept}")
    path = Path(args.json) if args.json else ROOT / ".cache" / f"bench-{results['commit']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(render(results))
    print(f"\nresults written to {path}")
    failed = [name for name, target in results["targets"].items() if target["ok"] is False]
    if results["errors"]:
        print("errors:\n  " + "\n  ".join(results["errors"]), file=sys.stderr)
        return 1
    return 1 if args.check and failed else 0


# --- the synthetic book ----------------------------------------------------


def generate(
    dest: Path,
    sections: int,
    *,
    plain: bool = False,
    as_written: bool = False,
    speedups: bool = True,
) -> Book:
    """Write a synthetic book of `sections` written sections into `dest`.

    With `plain`, the book has no hooks: the pages the outline hook would add
    are written as files with the same text, so both books have the same pages,
    and each page is written as hooks/lists.py hands it to Markdown (a blank
    line above each list), so both books render the same lists. The author
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
    config = _read_config()
    chapters = _layout(sections)
    _write_pages(dest / "docs", chapters)
    _write_pages(dest / "translations", chapters)  # the French text each translation records
    planned = _write_outline(dest / "hooks", len(chapters))
    nav = _nav(config.get("nav") or [], chapters)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if plain:
        _write_planned(dest / "docs", planned, config)
        if not as_written:
            _separate_lists(dest / "docs")
        text = _replace_block(text, "hooks", [])
        # Pages the hooks generate (a print page...) are the hooks' own work.
        nav = _existing(nav, dest / "docs")
    elif not speedups:
        hooks = [h for h in config.get("hooks") or [] if Path(h).name not in SPEEDUP_HOOKS]
        text = _replace_block(text, "hooks", hooks)
    # The real mkdocs.yml, tags and comments kept, with the book's nav: relative
    # paths (hooks, snippets, overrides) resolve in the synthetic book.
    path = dest / "mkdocs.yml"
    path.write_text(_replace_block(text, "nav", nav), encoding="utf-8")
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


def _replace_block(text: str, key: str, value: Any) -> str:
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


def _layout(sections: int) -> list[list[str]]:
    """Name the section files of each chapter: ten to a chapter, chapter 3 first."""
    chapters = []
    for start in range(0, sections, PER_CHAPTER):
        count = min(PER_CHAPTER, sections - start)
        chapters.append([SECTION] + [f"section-{i:02}.md" for i in range(2, count + 1)])
    return chapters


def _chapter(number: int) -> str:
    return f"chapitre-{number + 3}"


def _write_pages(docs: Path, chapters: list[list[str]]) -> None:
    """Copy chapter 3 as every chapter, and its written section as every section.

    In docs/, or in translations/ (the French text of each recorded translation).
    """
    source = ROOT / docs.name / CHAPTER
    for number, sections in enumerate(chapters):
        folder = docs / _chapter(number)
        if number:
            shutil.copytree(source, folder)
        for name in sections[1:]:
            for language_suffix in ("", ".en"):
                original = source / SECTION.replace(".md", f"{language_suffix}.md")
                if original.exists():
                    shutil.copyfile(original, folder / name.replace(".md", f"{language_suffix}.md"))


def _write_outline(hooks: Path, chapters: int) -> dict[str, dict[str, str]]:
    """Plan chapter 3's planned sections in every chapter; return the planned pages."""
    outline_file = hooks / "outline.yml"
    if not outline_file.exists():
        return {}
    outline = yaml.safe_load(outline_file.read_text(encoding="utf-8"))
    planned = {}
    for src_uri, titles in (outline.get("planned") or {}).items():
        if not src_uri.startswith(f"{CHAPTER}/"):
            planned[src_uri] = titles
            continue
        for number in range(chapters):
            planned[src_uri.replace(CHAPTER, _chapter(number), 1)] = titles
    outline["planned"] = planned
    outline_file.write_text(
        yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    # A planned page's text, per language (hooks/outline.py reads it there too).
    texts = yaml.safe_load((hooks / "texts.yml").read_text(encoding="utf-8"))["outline"]
    placeholders = {language: text["placeholder"] for language, text in texts.items()}
    return {"planned": planned, "placeholder": placeholders}


def _write_planned(docs: Path, outline: dict[str, Any], config: dict[str, Any]) -> None:
    """Write the planned pages as files, with the text hooks/outline.py gives them."""
    default = config.get("theme", {}).get("language", "fr")
    for src_uri, titles in outline.get("planned", {}).items():
        folder = posixpath.dirname(src_uri)
        readme = posixpath.join(folder, "README.md")
        target = readme if (docs / readme).exists() else "index.md"
        overview = posixpath.relpath(target, folder or ".")
        for language, template in outline["placeholder"].items():
            stem, extension = posixpath.splitext(src_uri)
            uri = src_uri if language == default else f"{stem}.{language}{extension}"
            text = template.format(title=titles[language], overview=overview)
            (docs / uri).write_text(text, encoding="utf-8")


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
    chapter = _chapter(number)
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


def _existing(nav: Any, docs: Path) -> Any:
    """Keep the nav entries whose page is a file in `docs` (or an address)."""
    if isinstance(nav, list):
        kept = [_existing(item, docs) for item in nav]
        return [item for item in kept if item not in (None, [], {})]
    if isinstance(nav, dict):
        kept = {key: _existing(value, docs) for key, value in nav.items()}
        return {key: value for key, value in kept.items() if value not in (None, [], {})}
    if isinstance(nav, str) and nav.endswith(".md") and "://" not in nav:
        return nav if (docs / nav).is_file() else None
    return nav


def _mentions(item: Any, text: str) -> bool:
    if isinstance(item, str):
        return text in item
    if isinstance(item, dict):
        return any(_mentions(value, text) for value in item.values())
    if isinstance(item, list):
        return any(_mentions(value, text) for value in item)
    return False


class _Loader(yaml.SafeLoader):
    """Read mkdocs.yml for its nav, hooks and language: every tag (!ENV...) reads as None."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _read_config() -> dict[str, Any]:
    """Read the real mkdocs.yml; the synthetic book inherits it, tags and all."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


# --- measurements ------------------------------------------------------------


def build(book: Book, site: Path, *, strict: bool = True, keep: bool = False) -> Run:
    """Run `mkdocs build --strict` of the book in a child process, as `make build` does.

    The site is removed once counted, unless `keep`.
    """
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict" if strict else "--no-strict",
        "-f",
        str(book.config),
        "-d",
        str(site),
    ]
    start = time.perf_counter()
    with subprocess.Popen(
        command, cwd=book.root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        output = process.stdout.read() if process.stdout else ""
        # wait4, not wait: the child's own peak memory comes with its exit status.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    match = _BUILT_IN.search(output)
    pages = sum(1 for _ in site.rglob("index.html")) if site.exists() else 0
    if not keep:
        shutil.rmtree(site, ignore_errors=True)
    return Run(
        seconds,
        float(match.group(1)) if match else None,
        usage.ru_maxrss / 1024,
        process.returncode,
        output,
        pages,
    )


def hook_costs(book: Book, runs: int, errors: list[str]) -> dict[str, Any]:
    """Time each hook's handlers inside builds of the book (a child process, in-process builds)."""
    command = [sys.executable, __file__, "hook-costs", str(book.config), "--runs", str(runs)]
    result = subprocess.run(command, cwd=book.root, env=ENV, capture_output=True, text=True)
    if result.returncode:
        errors.append(f"in-process build failed:\n{result.stderr[-3000:]}")
        return {}
    return json.loads(result.stdout.splitlines()[-1])


def _hook_costs_here(config_file: Path, runs: int) -> dict[str, Any]:
    """Build `runs` times in this process, timing every event handler of every hook."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    hooks_dir = config_file.parent / "hooks"
    builds, per_hook = [], {}
    for _ in range(runs):
        totals: dict[str, float] = {}
        with tempfile.TemporaryDirectory(prefix="bench-site-") as site:
            config = load_config(str(config_file), strict=True, site_dir=site)
            for event, methods in config.plugins.events.items():
                config.plugins.events[event] = [
                    _timed(method, totals, hooks_dir) for method in methods
                ]
            config.plugins.on_startup(command="build", dirty=False)
            start = time.perf_counter()
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
            builds.append(time.perf_counter() - start)
        for name, seconds in totals.items():
            per_hook.setdefault(name, []).append(seconds)
    hooks = {name: round(statistics.median(values), 3) for name, values in per_hook.items()}
    return {
        "build_s": round(statistics.median(builds), 3),
        "hooks_s": round(sum(hooks.values()), 3),
        "per_hook_s": dict(sorted(hooks.items(), key=lambda item: -item[1])),
    }


def _timed(method: Any, totals: dict[str, float], hooks_dir: Path) -> Any:
    """Wrap an event handler of a hook so that its time adds to its hook's total."""
    code = getattr(method, "__code__", None)
    if code is None or not Path(code.co_filename).is_relative_to(hooks_dir):
        return method
    name = Path(code.co_filename).name

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start

    return timed


def marginal_costs(book: Book, runs: int, hooks: list[str], errors: list[str]) -> dict[str, Any]:
    """Build the book without each hook in turn: how much faster, median of `runs`.

    What a hook costs is more than its handlers: lists.py's make lists that
    Material renders and indexes, print_book.py's a page it renders. Every
    variant is its own mkdocs.yml beside the book's, built in a child process
    and not strict (a page the hook writes is missing then), in turns with the
    whole book built the same way.
    """
    text = book.config.read_text(encoding="utf-8")
    listed = yaml.load(text, Loader=_Loader).get("hooks") or []
    configs: dict[str | None, Path] = {None: book.config}
    for name in hooks:
        kept = [hook for hook in listed if Path(hook).name != name]
        if len(kept) == len(listed):
            errors.append(f"--marginal: no hook {name} in mkdocs.yml")
            return {}
        configs[name] = book.root / f"mkdocs-without-{Path(name).stem}.yml"
        configs[name].write_text(_replace_block(text, "hooks", kept), encoding="utf-8")
    times: dict[str | None, list[float]] = {name: [] for name in configs}
    for _ in range(runs):
        for name, config in configs.items():
            run = build(Book(book.root, config, book.sections), book.root / "site", strict=False)
            if run.returncode:
                errors.append(f"build without {name or 'nothing'} failed:\n{run.output[-3000:]}")
                return {}
            times[name].append(run.seconds)
    whole = statistics.median(times[None])
    saved = {name: round(whole - statistics.median(times[name]), 3) for name in hooks}
    return {
        "sections": book.sections,
        "whole_s": round(whole, 3),
        "saved_s": dict(sorted(saved.items(), key=lambda item: -item[1])),
    }


def compare(tmp: Path, sections: int, runs: int, errors: list[str]) -> dict[str, Any]:
    """Build the same book with and without the project's hooks, in turns.

    Also without the hooks' speedups of Material's work (search indexing,
    template compiling): what the hooks' own work costs, apart from what they save.
    """
    project = generate(tmp / f"project-{sections}", sections)
    plain = generate(tmp / f"plain-{sections}", sections, plain=True)
    written = generate(tmp / f"written-{sections}", sections, plain=True, as_written=True)
    own = generate(tmp / f"own-work-{sections}", sections, speedups=False)
    books = {"project": project, "plain": plain, "as_written": written, "own_work": own}
    measured: dict[str, list[Run]] = {name: [] for name in books}
    # The plain book lacks what the hooks do; should a page rely on it (a link to
    # a page a hook writes), the plain build goes on without --strict, and says so.
    plain_strict = True
    names = list(books)
    for turn in range(runs):
        # Each round builds every book once, starting with a different one each time.
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            book = books[name]
            hooked = name in ("project", "own_work")
            run = build(book, tmp / "site", strict=plain_strict or hooked)
            if run.returncode and not hooked and plain_strict:
                plain_strict = False
                run = build(book, tmp / "site", strict=False)
            if run.returncode:
                errors.append(f"{name} build of {sections} sections failed:\n{run.output[-3000:]}")
                return {}
            measured[name].append(run)
    project_s = statistics.median(r.seconds for r in measured["project"])
    plain_s = statistics.median(r.seconds for r in measured["plain"])
    written_s = statistics.median(r.seconds for r in measured["as_written"])
    # The ratio of each round's builds, made back to back: the machine's speed drifts
    # (plain builds from 7.0 to 7.9 s in one run, seen here), and a ratio of medians
    # taken at different moments carries that drift; the ratio within a round does not.
    ratios = {
        name: [
            p.seconds / r.seconds for p, r in zip(measured["project"], measured[name], strict=True)
        ]
        for name in ("plain", "as_written")
    }
    own_ratios = [
        o.seconds / r.seconds for o, r in zip(measured["own_work"], measured["plain"], strict=True)
    ]
    return {
        "sections": sections,
        "pages": measured["project"][0].pages,
        "plain_pages": measured["plain"][0].pages,
        "plain_strict": plain_strict,
        "project_s": round(project_s, 3),
        "plain_s": round(plain_s, 3),
        "ratio": round(statistics.median(ratios["plain"]), 3),
        "ratios": [round(r, 3) for r in ratios["plain"]],
        "ratio_of_medians": round(project_s / plain_s, 3),
        # The same plain build of the pages as written, lists unrendered: not the same content.
        "plain_as_written_s": round(written_s, 3),
        "ratio_as_written": round(statistics.median(ratios["as_written"]), 3),
        # The hooks without their speedups of Material's work.
        "own_work_s": round(statistics.median(r.seconds for r in measured["own_work"]), 3),
        "own_work_ratio": round(statistics.median(own_ratios), 3),
        "own_work_ratios": [round(r, 3) for r in own_ratios],
        "project_built_in_s": _median_built_in(measured["project"]),
        "plain_built_in_s": _median_built_in(measured["plain"]),
        "project_runs_s": [round(r.seconds, 3) for r in measured["project"]],
        "plain_runs_s": [round(r.seconds, 3) for r in measured["plain"]],
        "project_peak_rss_mb": round(max(r.maxrss_mb for r in measured["project"]), 1),
        "plain_peak_rss_mb": round(max(r.maxrss_mb for r in measured["plain"]), 1),
    }


def instructions(tmp: Path, sections: int, errors: list[str]) -> dict[str, Any]:
    """Count the instructions of one build with and without the hooks (valgrind's cachegrind).

    Wall times on a shared machine drift by 10 % or more within a run; the number
    of instructions a build executes does not (a few in a million between runs).
    It weighs every instruction alike, a cache miss or a large copy no more
    than an addition: a measure of work beside the times, not instead of them.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        errors.append("--instructions needs valgrind (Debian's valgrind package)")
        return {}
    counts = {}
    variants = {"project": {}, "plain": {"plain": True}, "own_work": {"speedups": False}}
    for name, options in variants.items():
        book = generate(tmp / f"instructions-{name}-{sections}", sections, **options)
        command = [
            valgrind,
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--no-strict" if name == "plain" else "--strict",
            "-f",
            str(book.config),
            "-d",
            str(tmp / "site"),
        ]
        result = subprocess.run(command, cwd=book.root, env=ENV, capture_output=True, text=True)
        shutil.rmtree(tmp / "site", ignore_errors=True)
        found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
        if result.returncode or found is None:
            errors.append(f"{name} build under valgrind failed:\n{result.stderr[-3000:]}")
            return {}
        counts[name] = int(found.group(1).replace(",", ""))
    return {
        "sections": sections,
        "project": counts["project"],
        "plain": counts["plain"],
        "ratio": round(counts["project"] / counts["plain"], 3),
        "own_work": counts["own_work"],
        "own_work_ratio": round(counts["own_work"] / counts["plain"], 3),
    }


def scaling(tmp: Path, sizes: list[int], runs: int, errors: list[str]) -> dict[str, Any]:
    """Time the project build at each size; per page, and per page added."""
    rows = []
    for sections in sizes:
        book = generate(tmp / f"scale-{sections}", sections)
        measured = []
        for _ in range(runs):
            run = build(book, tmp / "site")
            if run.returncode:
                errors.append(f"build of {sections} sections failed:\n{run.output[-3000:]}")
                return {"sizes": rows}
            measured.append(run)
        seconds = statistics.median(r.seconds for r in measured)
        rows.append(
            {
                "sections": sections,
                "pages": measured[0].pages,
                "seconds": round(seconds, 3),
                "per_page_ms": round(1000 * seconds / measured[0].pages, 2),
            }
        )
        shutil.rmtree(book.root)
    base = rows[0]
    for row in rows[1:]:
        added = row["pages"] - base["pages"]
        row["marginal_per_page_ms"] = round(1000 * (row["seconds"] - base["seconds"]) / added, 2)
    # The measure: time per page at the largest size against the size before
    # it; at most 1.2 means no worse than linear (a fixed start-up cost makes it < 1).
    linearity = None
    if len(rows) >= 2:
        linearity = round(rows[-1]["per_page_ms"] / rows[-2]["per_page_ms"], 3)
    return {"sizes": rows, "linearity": linearity}


def serve_rebuild(tmp: Path, sections: int, edits: int, errors: list[str]) -> dict[str, Any]:
    """Edit one page under `mkdocs serve --strict` and time until it reloads the browsers."""
    book = generate(tmp / f"serve-{sections}", sections)
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--strict",
        "-f",
        str(book.config),
        "-a",
        f"127.0.0.1:{port}",
    ]
    process = subprocess.Popen(
        command,
        cwd=book.root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
    chapters = _layout(sections)
    page = book.root / "docs" / _chapter(len(chapters) - 1) / chapters[-1][-1]
    original = page.read_text(encoding="utf-8")
    times, detected = [], []
    try:
        started = _wait_for(lines, "Serving on", 120)
        if started is None:
            errors.append("mkdocs serve did not start within 120 s")
            return {}
        for edit in range(edits):
            time.sleep(0.5)  # the watcher reports nothing of the build's own writes
            start = time.perf_counter()
            page.write_text(f"{original}\nModification {edit}.\n", encoding="utf-8")
            change = _wait_for(lines, "Detected file changes", 60)
            done = _wait_for(lines, "Reloading browsers", 60)
            if done is None:
                errors.append(f"mkdocs serve did not reload after editing {page.name}")
                return {}
            times.append(done - start)
            if change is not None:
                detected.append(change - start)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        page.write_text(original, encoding="utf-8")
    return {
        "sections": sections,
        "edited": str(page.relative_to(book.root)),
        "rebuild_s": round(statistics.median(times), 3),
        "detect_s": round(statistics.median(detected), 3) if detected else None,
        "runs_s": [round(t, 3) for t in times],
    }


def tests_real() -> dict[str, Any]:
    """Time each group of the real book's tests, `make test` whole, and the suite in one process.

    A failing test is the suite's news, not the benchmark's: its summary says so.
    """
    out: dict[str, Any] = {}
    for name, files in _groups(ROOT / "tests").items():
        out[name] = _pytest(ROOT, files)
    out["make_test"] = _timed_command(["make", "test"], ROOT)
    # What `make test` gains from its 2 workers: the same suite in one process.
    out["pytest_serial"] = _timed_command([sys.executable, "-m", "pytest", "-n", "0"], ROOT)
    return out


def tests_synthetic(tmp: Path, sections: int) -> dict[str, Any]:
    """Run the build tests on the synthetic book, on 2 workers as `make test` does.

    They build the book once for both workers, as on the real one.
    """
    book = generate(tmp / f"tests-{sections}", sections)
    files = _groups(book.root / "tests").get("build", [])
    if not files:
        return {}
    return {"sections": sections, "build": _pytest(book.root, ["-n", "2", *files])}


def _groups(tests: Path) -> dict[str, list[str]]:
    """Sort the test files into the groups of TEST_GROUPS, the rest into "other"."""
    grouped: dict[str, list[str]] = {}
    seen = set()
    for name, patterns in TEST_GROUPS.items():
        files = sorted({str(p) for pattern in patterns for p in tests.glob(pattern)})
        if files:
            grouped[name] = files
            seen.update(files)
    other = sorted(
        str(p) for p in tests.glob("test_*.py") if str(p) not in seen and p.name != "test_bench.py"
    )
    if other:
        grouped["other"] = other
    return grouped


def _pytest(cwd: Path, files: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--durations=3", *files]
    names = [Path(f).name for f in files if f.endswith(".py")]
    return {"files": names, **_timed_command(command, cwd)}


def _timed_command(command: list[str], cwd: Path) -> dict[str, Any]:
    """Run a test command; its wall time, its CPU time (children included) and its summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "command": " ".join(Path(command[0]).name if i == 0 else c for i, c in enumerate(command)),
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
        "summary": _summary(result.stdout),
        "returncode": result.returncode,
        "slowest": _slowest(result.stdout),
        "failed": _failed(result.stdout),
    }


def _summary(output: str) -> str:
    matches = _SUMMARY.findall(output)
    return matches[-1] if matches else ""


def _failed(output: str) -> list[str]:
    """Return the ids of the tests that failed or errored, from pytest's short summary (-ra)."""
    return re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)


def _slowest(output: str) -> list[str]:
    return [
        line.strip()
        for line in output.splitlines()
        if re.match(r"^\d+\.\d+s (call|setup|teardown) ", line)
    ][:3]


def _median_built_in(runs: list[Run]) -> float | None:
    values = [r.built_in for r in runs if r.built_in is not None]
    return round(statistics.median(values), 3) if values else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[tuple[float, str]]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        lines.put((time.perf_counter(), line))


def _wait_for(lines: queue.Queue[tuple[float, str]], text: str, timeout: float) -> float | None:
    """Return when the log line containing `text` came, or None after `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    while (left := deadline - time.perf_counter()) > 0:
        try:
            when, line = lines.get(timeout=left)
        except queue.Empty:
            return None
        if text in line:
            return when
    return None


# --- the whole run -------------------------------------------------------------


def bench(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Take every measurement; return the results with the targets checked."""
    errors: list[str] = []
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    results: dict[str, Any] = {
        "commit": _git("rev-parse", "--short", "HEAD") or "unknown",
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": args.runs,
        "hooks": _read_config().get("hooks") or [],
    }
    print(f"hooks: {', '.join(results['hooks']) or 'none'}", flush=True)
    print(
        f"building {args.sections} sections with and without hooks, {args.runs} runs...", flush=True
    )
    results["build"] = compare(tmp, args.sections, args.runs, errors)
    results["instructions"] = None
    if args.instructions:
        print("counting instructions under valgrind...", flush=True)
        results["instructions"] = instructions(tmp, args.sections, errors)
    print("timing each hook inside in-process builds...", flush=True)
    costs_book = generate(tmp / f"costs-{args.sections}", args.sections)
    results["hook_costs"] = hook_costs(costs_book, min(args.runs, 3), errors)
    results["marginal"] = None
    if args.marginal:
        print("building without each hook in turn...", flush=True)
        names = (
            [Path(hook).name for hook in results["hooks"]]
            if args.marginal == "all"
            else args.marginal.split(",")
        )
        results["marginal"] = marginal_costs(costs_book, args.runs, names, errors)
    print(f"building {', '.join(map(str, sizes))} sections...", flush=True)
    results["scaling"] = scaling(tmp, sizes, args.runs, errors)
    if args.skip_serve:
        results["serve"] = None
    else:
        print("editing a page under mkdocs serve...", flush=True)
        results["serve"] = serve_rebuild(tmp, args.sections, args.edits, errors)
        # One section: chapter 3 as it is, the real book.
        results["serve_real"] = serve_rebuild(tmp, 1, args.edits, errors)
    if args.skip_tests:
        results["tests"] = None
    else:
        print("running the tests of the real book, group by group, then make test...", flush=True)
        results["tests"] = {
            "real": tests_real(),
            "synthetic": tests_synthetic(tmp, args.sections),
        }
    results["errors"] = errors
    results["targets"] = _targets(results)
    return results


def _targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    build = results.get("build") or {}
    sizes = (results.get("scaling") or {}).get("sizes") or []
    at_100 = next((row["seconds"] for row in sizes if row["sections"] == 100), None)
    tests = results.get("tests") or {}
    make_test = ((tests.get("real") or {}).get("make_test") or {}).get("seconds")
    values = {
        "hooks_ratio": build.get("ratio"),
        "build_100_s": at_100,
        "linearity": (results.get("scaling") or {}).get("linearity"),
        "make_test_s": make_test,
        "serve_real_s": (results.get("serve_real") or {}).get("rebuild_s"),
        "serve_100_s": (results.get("serve") or {}).get("rebuild_s")
        if (results.get("serve") or {}).get("sections") == 100
        else None,
    }
    return {
        name: {
            "value": value,
            "limit": TARGETS[name],
            "ok": None if value is None else value <= TARGETS[name],
        }
        for name, value in values.items()
    }


def render(results: dict[str, Any]) -> str:
    """Format the results as a small plain-text table."""
    rows = [("measure", "value", "target")]
    build = results.get("build") or {}
    targets = results["targets"]

    def mark(name: str) -> str:
        ok = targets[name]["ok"]
        return f"<= {targets[name]['limit']} " + {True: "ok", False: "MISSED", None: "-"}[ok]

    if build:
        rows += [
            (
                f"build {build['sections']} sections ({build['pages']} pages), project hooks",
                f"{build['project_s']:.2f} s",
                "",
            ),
            ("same content, plain material + static-i18n", f"{build['plain_s']:.2f} s", ""),
            ("ratio, net of the hooks' speedups", f"{build['ratio']:.3f}", mark("hooks_ratio")),
            (
                "  per round (min-max), ratio of medians",
                f"{min(build['ratios']):.3f}-{max(build['ratios']):.3f}, "
                f"{build['ratio_of_medians']:.3f}",
                "",
            ),
            (
                "  hooks' own work: without their speedups of Material",
                f"{build['own_work_s']:.2f} s, ratio {build['own_work_ratio']:.3f} "
                f"({min(build['own_work_ratios']):.3f}-{max(build['own_work_ratios']):.3f})",
                "",
            ),
            (
                "  plain, pages as written (lists unrendered)",
                f"{build['plain_as_written_s']:.2f} s, ratio {build['ratio_as_written']:.3f}",
                "",
            ),
            (
                "peak memory of the build (project / plain)",
                f"{build['project_peak_rss_mb']:.0f} / {build['plain_peak_rss_mb']:.0f} MB",
                "",
            ),
        ]
    counted = results.get("instructions") or {}
    if counted:
        rows.append(
            (
                "  instructions, project / plain (valgrind, one build each)",
                f"{counted['project'] / 1e9:.1f} / {counted['plain'] / 1e9:.1f} G, "
                f"ratio {counted['ratio']:.3f}",
                "",
            )
        )
        rows.append(
            (
                "  instructions, hooks' own work (without their speedups)",
                f"{counted['own_work'] / 1e9:.1f} G, ratio {counted['own_work_ratio']:.3f}",
                "",
            )
        )
    costs = results.get("hook_costs") or {}
    if costs:
        rows.append(
            (
                f"in-process build {build.get('sections', '')} sections: all hooks' handlers",
                f"{costs['hooks_s']:.2f} s of {costs['build_s']:.2f} s",
                "",
            )
        )
        marginal = (results.get("marginal") or {}).get("saved_s") or {}
        rows += [
            (
                f"  {name}",
                f"{seconds:.3f} s"
                + (f" (build without it: {-marginal[name]:+.2f} s)" if name in marginal else ""),
                "",
            )
            for name, seconds in costs["per_hook_s"].items()
            if seconds >= 0.01 or name in marginal
        ]
    for row in (results.get("scaling") or {}).get("sizes", []):
        marginal = row.get("marginal_per_page_ms")
        rows.append(
            (
                f"build {row['sections']} sections ({row['pages']} pages)",
                f"{row['seconds']:.2f} s, {row['per_page_ms']:.1f} ms/page"
                + (f", +{marginal:.1f} ms/added page" if marginal is not None else ""),
                mark("build_100_s") if row["sections"] == 100 else "",
            )
        )
    if targets["linearity"]["value"] is not None:
        rows.append(
            (
                "linearity: ms/page at the largest size / at the one before",
                f"{targets['linearity']['value']:.3f}",
                mark("linearity"),
            )
        )
    for key, label, target in (
        ("serve", "{sections} sections", "serve_100_s"),
        ("serve_real", "the real book", "serve_real_s"),
    ):
        serve = results.get(key)
        if serve:
            rows.append(
                (
                    f"mkdocs serve: edit one page of {label.format(**serve)}, until reload",
                    f"{serve['rebuild_s']:.2f} s (change seen after {serve['detect_s']} s)",
                    mark(target) if targets[target]["value"] is not None else "",
                )
            )
    tests = results.get("tests") or {}
    labels = {
        "make_test": "make test, real book",
        "pytest_serial": "pytest -n 0 (one process), real book",
    }
    for name, group in (tests.get("real") or {}).items():
        rows.append(
            (
                labels.get(name, f"tests: {name} (real book)"),
                f"{group['seconds']:.1f} s (cpu {group['cpu_s']:.0f} s)  {group['summary']}",
                mark("make_test_s") if name == "make_test" else "",
            )
        )
    synthetic = (tests.get("synthetic") or {}).get("build")
    if synthetic:
        rows.append(
            (
                f"tests: build ({tests['synthetic']['sections']}-section synthetic book)",
                f"{synthetic['seconds']:.1f} s (cpu {synthetic['cpu_s']:.0f} s)  "
                f"{synthetic['summary']}",
                "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    # A failing test is the suite's news: which ones, under the table.
    groups = [*(tests.get("real") or {}).values(), synthetic or {}]
    failed = sorted({test for group in groups for test in group.get("failed") or []})
    if failed:
        lines += ["", "failed tests:", *(f"  {test}" for test in failed)]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    header = (
        f"commit {results['commit']}{' (uncommitted changes)' if results['dirty'] else ''}"
        f", {results['machine']['cpus']} cpus, median of {results['runs']} runs"
    )
    return header + "\n" + "\n".join(lines)


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser("generate", help="only write a synthetic book")
    gen.add_argument("dest")
    gen.add_argument("--sections", type=int, default=10)
    gen.add_argument("--plain", action="store_true", help="without the project's hooks")
    gen.add_argument(
        "--as-written", action="store_true", help="plain, and lists not separated as lists.py does"
    )
    costs = sub.add_parser("hook-costs", help="time each hook inside in-process builds")
    costs.add_argument("config")
    costs.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5, help="builds per measure (median)")
    parser.add_argument(
        "--sections",
        type=int,
        default=100,
        help="size of the book for the hooks' cost, serve and tests",
    )
    parser.add_argument("--sizes", default="1,10,100", help="sizes for the time per page")
    parser.add_argument("--edits", type=int, default=3, help="page edits under mkdocs serve")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--skip-tests", action="store_true")
    parser.add_argument(
        "--marginal",
        nargs="?",
        const="all",
        metavar="HOOKS",
        help="also build without each hook in turn, or those named (lists.py,...): what each"
        " costs the build; minutes, and on a loaded machine noisy (+-0.3 s at 3 runs)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of one build with and without the hooks, under"
        " valgrind: the same count on every run, however loaded the machine (30 times slower)",
    )
    parser.add_argument("--json", help="where to write the results")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic books")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
