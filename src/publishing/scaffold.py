"""The scaffolds of CONTRIBUTING: start or remove a section, add an example to one.

Usage (from the project's top, or through make):

    .venv/bin/publishing-new-section --chapter 3 --section 3.2 --slug analyse \\
        [--title "3.2 Analyse post-mortem"] [--root DIR] [--remove]
    .venv/bin/publishing-new-example --page ... --file ... [--quote ...] [--root DIR]
    make new-section CHAPTER=3 SECTION=3.2 SLUG=analyse TITLE="3.2 Analyse post-mortem"
    make remove-section CHAPTER=3 SECTION=3.2 SLUG=analyse
    make new-example PAGE=docs/chapitre-3/3.3-remedes.md \\
        FILE=examples/chapitre-3/scripts/healthcheck.sh [QUOTE="..."]

(``python -m publishing.scaffold section|example ...`` runs the same from a copy of
the project.)

A new section
-------------

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

A new example
-------------

The section's page must already say something about the example: the claim
quotes it. Without ``--quote``, that is the first sentence of the page that
names the file (``healthcheck.sh``); a number of lines in it ("20 lignes")
becomes a line-count claim. The plumbing is done, the content is left to you:

- the example file, if it does not exist yet: a script that passes bash -n,
  shellcheck and shfmt, or a Nomad job that passes the job checks, to fill in;
- its claims, appended to ``examples/<chapter>/claims-<section>.yml`` (created
  with its ``page`` and, once the English page exists, ``page_en``): ``lines``
  when the quote gives a count, ``test`` for a script, ``job`` for a job;
- its include, under a heading named after the file, at the end of the
  chapter's examples page, in French and in English, in a Nomad tab beside a
  Kubernetes tab where its twin is to be written (the English page is then
  recorded again if it was up to date: the include is code, never translated);
- for a script, a behaviour check in ``tests/test_examples_scripts.py`` (in
  ``BEHAVIOUR``, so that it runs against the Nomad stand-in and the exit-0
  test) and the test the claim names; it fails, saying what to write, until
  you write what Nomad's state must be after the script.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from publishing import i18n
from publishing.project import ROOT

# After a page's title in the English contents while it is shown in French (hooks/translations.py).
UNTRANSLATED_MARK = " (FR)"
SECTION = re.compile(r"^\d+(\.\d+)+$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    """The section or example cannot be made as asked; the message says why and what to do."""


def section_main(argv: list[str] | None = None) -> int:
    """Create or remove the section; print what changed, or why nothing did."""
    parser = argparse.ArgumentParser(
        prog="publishing-new-section", description="Start a section of the book, or remove one."
    )
    parser.add_argument("--chapter", required=True, help="chapter number: 3")
    parser.add_argument("--section", required=True, help="section number: 3.2")
    parser.add_argument("--slug", required=True, help="lowercase words with hyphens: analyse")
    parser.add_argument("--title", help="French heading (default: the outline's title)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this one)")
    parser.add_argument("--remove", action="store_true", help="remove the written section instead")
    args = parser.parse_args(argv)
    section = (args.root, args.chapter, args.section, args.slug)
    if args.remove:
        return _report("new-section", remove_section, *section)
    return _report("new-section", new_section, *section, args.title)


def new_section(root: Path, chapter: str, section: str, slug: str, title: str | None) -> list[str]:
    """Create the page, update outline and nav; return one line per change."""
    if not SECTION.match(section) or section.split(".")[0] != chapter:
        raise ScaffoldError(
            f"section {section!r} must be numbered in chapter {chapter}, e.g. {chapter}.2"
        )
    if not SLUG.match(slug):
        raise ScaffoldError(
            f"slug {slug!r} must be lowercase words joined by hyphens, e.g. analyse"
        )
    src_uri = f"chapitre-{chapter}/{section}-{slug}.md"
    page = root / "docs" / src_uri
    if page.exists():
        raise ScaffoldError(f"docs/{src_uri} exists already")
    outline_path = root / "hooks" / "outline.yml"
    planned = (yaml.safe_load(outline_path.read_text(encoding="utf-8")) or {}).get("planned") or {}
    titles = planned.get(src_uri, {})
    title = title or titles.get("fr")
    if not title:
        raise ScaffoldError(
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
        raise ScaffoldError(f"docs/{src_uri} does not exist: nothing to remove")
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
        raise ScaffoldError(
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


# --- an example ----------------------------------------------------------------

# The Kubernetes tab beside a new example, until its twin is written there (the
# examples page's test fails on a tab without files, saying so).
TWIN = {
    "fr": "Le jumeau Kubernetes de `{name}` reste à écrire, dans `{folder}`.",
    "en": "The Kubernetes twin of `{name}` is still to be written, in `{folder}`.",
}
PAGE = re.compile(r"^docs/(?P<chapter>[\w-]+)/(?P<section>\d+(?:\.\d+)+)-[\w-]+\.md$")
EXAMPLE = re.compile(
    r"^examples/(?P<chapter>[\w-]+)/(?:scripts/[\w-]+\.sh|jobs/[\w-]+\.nomad\.hcl)$"
)
COUNT = re.compile(r"\b(\d+) lignes\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TESTS = Path("tests") / "test_examples_scripts.py"
SCRIPT = """#!/usr/bin/env bash
# {name}: what the book says it does, in one line.
# Usage: {name} JOB
set -euo pipefail

job="${{1:?usage: {name} JOB}}"
: "${{NOMAD_ADDR:?set NOMAD_ADDR to the address of the Nomad HTTP API}}"
curl -fsS ${{NOMAD_TOKEN:+-H "X-Nomad-Token: $NOMAD_TOKEN"}} "$NOMAD_ADDR/v1/job/$job" >/dev/null
echo "{stem}: $job is known to Nomad"
"""
JOB = """job "{stem}" {{
  datacenters = ["dc1"]
  type        = "service"

  group "{stem}" {{
    count = 1

    task "{stem}" {{
      driver = "docker"
      config {{
        image = "registry.example.com/{stem}:1.0.0"
      }}
    }}
  }}
}}
"""
CHECK = '''
def check_{ident}(api: Nomad, scripts: Path, tmp: Path) -> None:
    """{name}: what the book says it does, checked on Nomad's state after it runs."""
    api.deploy("1")  # the test job "app" (tests/data/examples/app.nomad.hcl), running
    result = api.run(scripts, "{name}", "app")
    assert result.returncode == 0, result.stderr
    pytest.fail(
        "{file}: "
        "write what Nomad's state (api.live(), api.call(...)) or the script's output "
        "must be after it, then remove this line"
    )
'''
TEST = '''
# The check the claims of {claims} name.
@pytest.mark.nomad
def test_{ident}(nomad: Nomad, tmp_path: Path) -> None:
    """{name} does what section {section} says."""
    run_check(check_{ident}, nomad, tmp_path)
'''


def example_main(argv: list[str] | None = None) -> int:
    """Add the example; print what changed, or why nothing did."""
    parser = argparse.ArgumentParser(
        prog="publishing-new-example", description="Add an example to a section of the book."
    )
    parser.add_argument("--page", required=True, help="the section: docs/chapitre-3/3.3-x.md")
    parser.add_argument("--file", required=True, help="examples/chapitre-3/scripts/x.sh")
    parser.add_argument("--quote", help="the sentence of the page the claim quotes")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this one)")
    args = parser.parse_args(argv)
    return _report("new-example", new_example, args.root, args.page, args.file, args.quote)


def _report(command: str, scaffold: Callable[..., list[str]], *args: Any) -> int:
    """Run a scaffold; print each change, or why nothing changed (exit 1)."""
    try:
        changes = scaffold(*args)
    except ScaffoldError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return 1
    for line in changes:
        print(line)
    return 0


def new_example(root: Path, page: str, file: str, quote: str | None) -> list[str]:
    """Add the example's file, claims, include and test; return one line per change."""
    where, what = PAGE.match(page), EXAMPLE.match(file)
    if not where:
        raise ScaffoldError(f"{page} is not a section's French page (docs/chapitre-3/3.3-slug.md)")
    if not what:
        raise ScaffoldError(
            f"{file} is not an example's path: examples/<chapter>/scripts/<name>.sh or "
            "examples/<chapter>/jobs/<name>.nomad.hcl"
        )
    if what["chapter"] != where["chapter"]:
        raise ScaffoldError(f"{file} is not in the chapter of {page} ({where['chapter']})")
    if not (root / page).is_file():
        raise ScaffoldError(f"{page} does not exist: start it with make new-section")
    name = Path(file).name
    quote = _quote(root / page, page, name, quote)
    claims = root / "examples" / where["chapter"] / f"claims-{where['section']}.yml"
    script = file.endswith(".sh")
    if _claimed(claims, file):
        raise ScaffoldError(f"{_rel(root, claims)} has claims on {file} already")

    changes = []
    path = root / file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        stem = name.split(".")[0]
        path.write_text((SCRIPT if script else JOB).format(name=name, stem=stem), encoding="utf-8")
        if script:
            path.chmod(0o755)
        changes.append(f"created {file}: write the example there")
    ident = re.sub(r"\W+", "_", name.split(".")[0]).lower() + "_does_what_the_book_says"
    changes += _add_claims(root, claims, page, file, quote, ident if script else None)
    changes += _add_include(root, where["chapter"], file, name)
    if script:
        changes += _add_test(root, file, name, ident, _rel(root, claims), where["section"])
    changes.append("then: make test (git add the new files first for pre-commit)")
    return changes


def _quote(page: Path, shown: str, name: str, given: str | None) -> str:
    """Return the sentence the claim quotes: the one given, else the first naming the file."""
    lines = page.read_text(encoding="utf-8").split("\n")
    if given:
        if not any(given in line for line in lines):
            raise ScaffoldError(f"{shown} has no line holding {given!r}: copy it word for word")
        return given
    fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence or name not in line or line.lstrip().startswith("#"):
            continue
        text = line.strip().lstrip("-*>0123456789. ").strip()
        return next(s for s in SENTENCE_END.split(text) if name in s)
    raise ScaffoldError(
        f"{shown} never names {name}: write the sentence about it first, or give QUOTE=..."
    )


def _claimed(claims: Path, file: str) -> bool:
    return claims.is_file() and f"file: {file}\n" in claims.read_text(encoding="utf-8")


def _add_claims(
    root: Path, claims: Path, page: str, file: str, quote: str, test: str | None
) -> list[str]:
    """Append the example's claims to the section's claims file, creating it if needed."""
    changes = []
    if not claims.is_file():
        english = i18n.english_of(root / page)
        header = (
            f"# The checkable sentences of {page}, each tied to its example and its check\n"
            "# (the checks are described at the top of examples/chapitre-3/claims.yml).\n"
            f"page: {page}\n"
        )
        if english.is_file():
            header += f"page_en: {_rel(root, english)}\n"
        claims.write_text(header + "claims:\n", encoding="utf-8")
        changes.append(f"created {_rel(root, claims)}")
    stem = Path(file).name.split(".")[0]
    entries = []
    count = COUNT.search(quote)
    if count:
        entries.append(("lines", f"{stem}-{count[1]}-lines", [f"says: {count[0]}"]))
    if test:
        entries.append(("test", f"{stem}-behaviour", [f"test: {TESTS.as_posix()}::test_{test}"]))
    else:
        kind = re.search(r'^\s*type\s*=\s*"(\w+)"', (root / file).read_text(encoding="utf-8"), re.M)
        entries.append(("job", f"{stem}-job", [f"type: {kind[1] if kind else 'service'}"]))
    text = claims.read_text(encoding="utf-8")
    for check, claim_id, extra in entries:
        text += (
            f"  - id: {claim_id}\n    quote: {_yaml_string(quote)}\n    file: {file}\n"
            f"    check: {check}\n" + "".join(f"    {line}\n" for line in extra)
        )
    claims.write_text(text, encoding="utf-8")
    changes.append(
        f"{_rel(root, claims)}: {', '.join(c for c, _, _ in entries)} claim(s) quoting {quote!r}"
        " (add quote_en once the page is translated)"
    )
    return changes


def _add_include(root: Path, chapter: str, file: str, name: str) -> list[str]:
    """Show the example at the end of the chapter's examples page, in both languages."""
    french = root / "docs" / chapter / "exemples.md"
    if not french.is_file():
        raise ScaffoldError(
            f"docs/{chapter}/exemples.md does not exist: the chapter has no examples page"
        )
    english = i18n.english_of(french)
    docs, store = root / "docs", root / "translations"
    in_step = english.is_file() and i18n.page_status(french, docs, store).state == "up to date"
    language = "bash" if file.endswith(".sh") else "hcl"
    changes = []
    for page, twin in ((french, TWIN["fr"]), (english, TWIN["en"])):
        if not page.is_file():
            continue
        twin = twin.format(name=name, folder=f"examples/{chapter}/kubernetes/")
        block = (
            f'\n## `{name}`\n\n=== "Nomad"\n\n    ```{language} title="{file}"\n'
            f'    --8<-- "{file}"\n    ```\n\n=== "Kubernetes"\n\n    {twin}\n'
        )
        text = page.read_text(encoding="utf-8")
        page.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")
        changes.append(f"{_rel(root, page)}: {file} included at the end")
    if in_step:
        i18n.update(english, docs, store)
        changes.append(f"{_rel(root, english)}: recorded again (the include is not translated)")
    elif english.is_file():
        changes.append(
            f"{_rel(root, english)}: behind its French page already: make i18n-status, then "
            "make i18n-update once the translator has caught up"
        )
    return changes


def _add_test(root: Path, file: str, name: str, ident: str, claims: str, section: str) -> list[str]:
    """Add a behaviour check to BEHAVIOUR and the test the claim names."""
    tests = root / TESTS
    text = tests.read_text(encoding="utf-8")
    start = text.find("\nBEHAVIOUR: dict[")
    end = text.find("\n}\n", start)
    if start == -1 or end == -1:
        raise ScaffoldError(f"{TESTS} has no BEHAVIOUR dictionary to add the check to")
    check = CHECK.format(ident=ident, name=name, file=file).strip("\n")
    entry = f'    "{name}": [check_{ident}],\n'
    text = (
        text[:start].rstrip("\n")
        + f"\n\n\n{check}\n\n\n"
        + text[start + 1 : end + 1]
        + entry
        + text[end + 1 :]
    )
    test = TEST.format(ident=ident, name=name, claims=claims, section=section).strip("\n")
    text = text.rstrip("\n") + f"\n\n\n{test}\n"
    tests.write_text(text, encoding="utf-8")
    return [
        f"{TESTS}: check_{ident} in BEHAVIOUR and test_{ident}: write what the script must "
        "leave in Nomad (it fails until you do)"
    ]


def _yaml_string(text: str) -> str:
    """Quote a sentence for YAML, as the claims files do when needed."""
    if re.search(r"^[\w«À-ÿ]", text) and not re.search(r": |#|^[-?:,\[\]{}&*!|>'\"%@`]", text):
        return text
    return "'" + text.replace("'", "''") + "'"


def main(argv: list[str] | None = None) -> int:
    """Run `section ...` or `example ...` (python -m publishing.scaffold, on a copy)."""
    argv = sys.argv[1:] if argv is None else argv
    commands = {"section": section_main, "example": example_main}
    if not argv or argv[0] not in commands:
        print("usage: python -m publishing.scaffold {section,example} ...", file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
