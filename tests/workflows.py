"""What authors and contributors do to the book, done by code on a copy of the project.

tests/test_workflows.py runs these steps on a copy and then the project's own
content tests inside it: ordinary work must keep them green. Each step finds
what it edits in the book as it is (a sentence no claim quotes, a heading no
link points to, the first planned section...), so the steps hold whatever the
book says today; each returns what it did, for the expectations that follow.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from publishing.claims import load

PROSE = re.compile(r"^[A-ZÀ-Ý][^`*_\[\]<>|#{}\"«»]{30,}[.:]$")
HEADING = re.compile(r"^(##) ([^{}#`*\[\]<>]+)$")
PYTHON = sys.executable
# The scaffolds' commands (publishing-new-section, publishing-new-example), run in the copy:
# the package finds the project from the working folder.
SCAFFOLD = [PYTHON, "-m", "publishing.scaffold"]


@dataclass(frozen=True)
class Edit:
    """One change made to the copy: the file and line it touched, and how."""

    path: str
    line: int
    what: str


def claimed_quotes(book: Path) -> list[str]:
    """Return every quote of every claims file of the copy."""
    return [
        claim.quote
        for path in sorted(book.glob("examples/*/claims*.yml"))
        for claim in load(path, book).claims
    ]


def translated_pages(book: Path) -> list[Path]:
    """Return the French pages whose English page records a translation."""
    pages = []
    for english in sorted((book / "docs").rglob("*.en.md")):
        if "\ntranslation:" in english.read_text(encoding="utf-8").split("\n---\n", 1)[0]:
            pages.append(english.with_name(english.name.removesuffix(".en.md") + ".md"))
    return pages


def rewrite_sentence(book: Path) -> Edit:
    """Reword one French sentence that no claim quotes, in a translated page."""
    quotes = claimed_quotes(book)
    for page in translated_pages(book):
        lines = page.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines):
            if PROSE.match(line) and not any(q in line or line in q for q in quotes):
                words = line.split(" ")
                lines[number] = " ".join([words[0], "vraiment", *words[1:]])
                page.write_text("\n".join(lines), encoding="utf-8")
                return Edit(_rel(book, page), number + 1, "sentence reworded")
    raise LookupError("no sentence to reword: no translated page has a plain sentence")


def rename_heading(book: Path) -> Edit:
    """Rename a level-2 heading of a translated page that no link or claim points to."""
    texts = "\n".join(p.read_text(encoding="utf-8") for p in (book / "docs").rglob("*.md"))
    texts += "\n".join(p.read_text(encoding="utf-8") for p in book.glob("examples/*/*.yml"))
    for page in translated_pages(book):
        lines = page.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines):
            found = HEADING.match(line)
            if not found:
                continue
            anchor = _slug(found.group(2))
            if f"#{anchor})" in texts:  # a Markdown link to it
                continue
            lines[number] = f"## {found.group(2)} revu"
            page.write_text("\n".join(lines), encoding="utf-8")
            return Edit(_rel(book, page), number + 1, f"heading #{anchor} renamed")
    raise LookupError("no heading to rename: every level-2 heading is linked to")


def new_section(book: Path, number: str, slug: str, title: str | None = None) -> list[str]:
    """Start a section the documented way: publishing-new-section, as make new-section."""
    chapter = number.split(".")[0]
    command = [*SCAFFOLD, "section", "--chapter", chapter, "--section", number]
    command += ["--slug", slug, *(["--title", title] if title else [])]
    result = subprocess.run(command, cwd=book, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def write_section(book: Path, src_uri: str, link: str) -> None:
    """Write a page of text under the new section's heading: lists, quotes, punctuation, a link."""
    page = book / "docs" / src_uri
    heading = page.read_text(encoding="utf-8").split("\n", 1)[0]
    page.write_text(
        f"{heading}\n\n"
        "Ce que l'équipe a appris, en trois points :\n"
        "- la simplicité a un coût ; il se paie plus tard !\n"
        "- les scripts « maison » vieillissent mal ?\n"
        "- un outil standard se documente tout seul.\n"
        "\n"
        '> "Nous pensions gagner du temps." Tout le monde, un jour.\n'
        "\n"
        "## Ce qu'il en reste\n\n"
        f"Voir [le constat]({link}) pour le point de départ : il tient toujours.\n"
        "\n"
        "1. relire le plan ;\n"
        "2. écrire la suite.\n",
        encoding="utf-8",
    )


def first_planned(book: Path) -> str | None:
    """Return the first section the outline plans, if any (chapitre-3/3.2-analyse.md)."""
    outline = yaml.safe_load((book / "hooks" / "outline.yml").read_text(encoding="utf-8"))
    return next(iter(outline.get("planned") or {}), None)


def remove_section(book: Path, src_uri: str) -> list[str]:
    """Remove a written section the documented way: make remove-section."""
    chapter = src_uri.split("/")[0].removeprefix("chapitre-")
    number, slug = src_uri.split("/")[-1].removesuffix(".md").split("-", 1)
    command = [*SCAFFOLD, "section", "--remove", "--chapter", chapter]
    command += ["--section", number, "--slug", slug]
    result = subprocess.run(command, cwd=book, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def copy_project(source: Path, dest: Path) -> Path:
    """Copy what git has or would add of the project into a repository of its own."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        if (source / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, dest / name)
    # The tools make builds (HashiCorp's HCL tools), already built: not again in each copy.
    tools = source / ".cache" / "bin"
    if tools.is_dir():
        shutil.copytree(tools, dest / ".cache" / "bin")
    git = ["git", "-c", "user.name=Auteur", "-c", "user.email=auteur@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run([*git, *command], cwd=dest, check=True, capture_output=True)
    return dest


def run_tests(book: Path, tests: list[str], basetemp: Path) -> subprocess.CompletedProcess[str]:
    """Run some of the copy's own tests, in one process, in a temporary folder of their own.

    Not the tests that build variants of the book (marked `variant`): they check the
    hooks, which the project's own run covers, not the copy's content.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NOMAD_"))}
    return subprocess.run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "--basetemp",
         str(basetemp), "-m", "not variant", *tests],
        cwd=book,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=600,
    )  # fmt: skip


def _slug(text: str) -> str:
    from markdown.extensions.toc import slugify

    return slugify(text, "-")


def _rel(book: Path, path: Path) -> str:
    return path.relative_to(book).as_posix()


HEALTHCHECK = """#!/usr/bin/env bash
# healthcheck.sh: name the allocations of a job that should run and do not.
# Usage: healthcheck.sh JOB
set -euo pipefail

job="${1:?usage: healthcheck.sh JOB}"
: "${NOMAD_ADDR:?set NOMAD_ADDR to the address of the Nomad HTTP API}"
auth=(${NOMAD_TOKEN:+-H "X-Nomad-Token: $NOMAD_TOKEN"})
allocs=$(curl -fsS "${auth[@]}" "$NOMAD_ADDR/v1/job/$job/allocations")
running='.[] | select(.DesiredStatus == "run" and .ClientStatus != "running") | .Name'
down=$(jq -r "$running" <<<"$allocs")
if [ -n "$down" ]; then
	echo "healthcheck: not running: $down" >&2
	exit 1
fi
echo "healthcheck: every allocation of $job runs"
"""
REPORT = """job "report" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    crons            = ["0 6 * * *"]
    prohibit_overlap = true
  }

  group "report" {
    task "report" {
      driver = "docker"
      config {
        image = "registry.example.com/shop/report:1.0.0"
      }
    }
  }
}
"""
# Their Kubernetes twins, which the examples page shows in the tab beside them.
HEALTHCHECK_TWIN = """# healthcheck.sh on Kubernetes: the pods of a Deployment that are not running.
kubectl get pods --selector=app=web --field-selector=status.phase!=Running
"""
REPORT_TWIN = """# The twin of report.nomad.hcl: a CronJob.
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 6 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: registry.example.com/shop/report:1.0.0
"""
# What the contributor writes in the behaviour check the scaffold leaves to fill in.
HEALTHCHECK_CHECK = '    assert result.stdout == "healthcheck: every allocation of app runs\\n"'


def contribute(book: Path, number: str) -> dict[str, str]:
    """Add a section with a script and a Nomad job, as CONTRIBUTING.en.md says; return paths.

    Their Kubernetes twins too, in the tabs the scaffold leaves beside them.
    """
    chapter = number.split(".")[0]
    new_section(book, number, "sante", f"{number} Santé")
    page = f"docs/chapitre-{chapter}/{number}-sante.md"
    script = f"examples/chapitre-{chapter}/scripts/healthcheck.sh"
    job = f"examples/chapitre-{chapter}/jobs/report.nomad.hcl"
    lines = HEALTHCHECK.count("\n")
    with (book / page).open("a", encoding="utf-8") as text:
        text.write(
            "Après l'incident, l'équipe écrit un script :\n"
            f"- `healthcheck.sh` dit en {lines} lignes quelles allocations ne tournent plus ;\n"
            "- le rapport du matin tourne avec `report.nomad.hcl`, un job périodique.\n"
        )
    (book / script).write_text(HEALTHCHECK, encoding="utf-8")
    (book / script).chmod(0o755)
    (book / job).write_text(REPORT, encoding="utf-8")
    for example in (script, job):
        command = [*SCAFFOLD, "example", "--page", page, "--file", example]
        done = subprocess.run(command, cwd=book, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    twins = {
        script: (f"examples/chapitre-{chapter}/kubernetes/healthcheck.kubectl", "bash"),
        job: (f"examples/chapitre-{chapter}/kubernetes/report.yaml", "yaml"),
    }
    for (twin, _), text in zip(twins.values(), (HEALTHCHECK_TWIN, REPORT_TWIN), strict=True):
        (book / twin).write_text(text, encoding="utf-8")
    for examples in book.glob(f"docs/chapitre-{chapter}/exemples*.md"):
        lines = examples.read_text(encoding="utf-8").split("\n")
        for example, (twin, language) in twins.items():
            name = Path(example).name
            # The scaffold's sentence in the Kubernetes tab: the twin's include instead.
            at = next(
                i for i, line in enumerate(lines) if f"`{name}`" in line and "kubernetes/" in line
            )
            lines[at : at + 1] = [
                f'    ```{language} title="{twin}"',
                f'    --8<-- "{twin}"',
                "    ```",
            ]
        examples.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(
        [PYTHON, "-m", "publishing.i18n", "update", f"docs/chapitre-{chapter}/exemples.en.md"],
        cwd=book,
        check=True,
        capture_output=True,
    )
    tests = book / "tests" / "test_examples_scripts.py"
    text = tests.read_text(encoding="utf-8")
    start = text.index('    pytest.fail(\n        "' + script)
    end = text.index("    )\n", start) + len("    )\n")
    tests.write_text(text[:start] + HEALTHCHECK_CHECK + "\n" + text[end:], encoding="utf-8")
    return {"page": page, "script": script, "job": job}
