"""Add an example to a section: the file, its claim, its place on the examples page, its test.

Usage (from the project's top, or through make):

    make new-example PAGE=docs/chapitre-3/3.3-remedes.md \\
        FILE=examples/chapitre-3/scripts/healthcheck.sh [QUOTE="..."]
    .venv/bin/python scripts/new-example.py --page ... --file ... [--quote ...] [--root DIR]

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
from pathlib import Path

from publishing import i18n

ROOT = Path(__file__).resolve().parent.parent
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


class ExampleError(Exception):
    """The example cannot be added as asked; the message says why and what to do."""


def main(argv: list[str] | None = None) -> int:
    """Add the example; print what changed, or why nothing did."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", required=True, help="the section: docs/chapitre-3/3.3-x.md")
    parser.add_argument("--file", required=True, help="examples/chapitre-3/scripts/x.sh")
    parser.add_argument("--quote", help="the sentence of the page the claim quotes")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this one)")
    args = parser.parse_args(argv)
    try:
        for line in new_example(args.root, args.page, args.file, args.quote):
            print(line)
    except ExampleError as error:
        print(f"new-example: {error}", file=sys.stderr)
        return 1
    return 0


def new_example(root: Path, page: str, file: str, quote: str | None) -> list[str]:
    """Add the example's file, claims, include and test; return one line per change."""
    where, what = PAGE.match(page), EXAMPLE.match(file)
    if not where:
        raise ExampleError(f"{page} is not a section's French page (docs/chapitre-3/3.3-slug.md)")
    if not what:
        raise ExampleError(
            f"{file} is not an example's path: examples/<chapter>/scripts/<name>.sh or "
            "examples/<chapter>/jobs/<name>.nomad.hcl"
        )
    if what["chapter"] != where["chapter"]:
        raise ExampleError(f"{file} is not in the chapter of {page} ({where['chapter']})")
    if not (root / page).is_file():
        raise ExampleError(f"{page} does not exist: start it with make new-section")
    name = Path(file).name
    quote = _quote(root / page, page, name, quote)
    claims = root / "examples" / where["chapter"] / f"claims-{where['section']}.yml"
    script = file.endswith(".sh")
    if _claimed(claims, file):
        raise ExampleError(f"{_rel(root, claims)} has claims on {file} already")

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
            raise ExampleError(f"{shown} has no line holding {given!r}: copy it word for word")
        return given
    fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence or name not in line or line.lstrip().startswith("#"):
            continue
        text = line.strip().lstrip("-*>0123456789. ").strip()
        return next(s for s in SENTENCE_END.split(text) if name in s)
    raise ExampleError(
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
        raise ExampleError(
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
        raise ExampleError(f"{TESTS} has no BEHAVIOUR dictionary to add the check to")
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


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


if __name__ == "__main__":
    sys.exit(main())
