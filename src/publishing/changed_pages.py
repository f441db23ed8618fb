"""List the site's pages that changed files touch, in each language, as Markdown.

Usage (from the project's top):

    git diff --name-only origin/main...HEAD | .venv/bin/publishing-changed-pages
    .venv/bin/publishing-changed-pages docs/chapitre-3/3.1-constat.md ...

CI writes the output to the pull request's job summary, so a reviewer opens the
pages to read in the built site (the "site" artifact) or, once merged, online.
A French page ``docs/x.md`` is read at ``x/``, and ``en/x/`` changes too: it shows
the French text while there is no translation, else a notice that the translation
is stale; ``docs/x.en.md`` is read at ``en/x/``. A file
of ``examples/`` changes every page that includes it (``--8<-- "examples/..."``).
The site's address is SITE_URL, as for the build (mkdocs.yml's default otherwise).
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from publishing.project import ROOT

DEFAULT_SITE_URL = "https://example.org/livre/"
LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"
SNIPPET = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"', re.MULTILINE)
# Files whose change may alter every page: reviewers should look at the whole site.
SITE_WIDE = ("mkdocs.yml", "hooks/", "overrides/", "docs/assets/")


@dataclass
class Report:
    """What a set of changed files means for the site's readers."""

    pages: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {language: {} for language in LANGUAGES}
    )
    removed: set[str] = field(default_factory=set)
    site_wide: set[str] = field(default_factory=set)


def main(argv: list[str] | None = None) -> int:
    """Read changed paths from the arguments or stdin; print the Markdown summary."""
    paths = argv if argv else sys.stdin.read().split()
    site_url = os.environ.get("SITE_URL") or DEFAULT_SITE_URL
    print(render(changed_pages(ROOT, paths), site_url), end="")
    return 0


def changed_pages(root: Path, paths: list[str]) -> Report:
    """Map each changed path to the pages it changes, per language."""
    report = Report()
    docs = root / "docs"
    includes = _includes(docs)
    for path in sorted(set(paths)):
        if path.startswith(SITE_WIDE):
            report.site_wide.add(path)
        if path.startswith("docs/") and path.endswith(".md"):
            if not (root / path).exists():
                report.removed.add(path)
                continue
            _add_page(report, docs, path.removeprefix("docs/"), path)
        elif path.startswith("examples/"):
            for page in includes.get(path, []):
                _add_page(report, docs, page, path)
    return report


def render(report: Report, site_url: str) -> str:
    """Write the report as the Markdown of a job summary."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    lines = ["## Pages changed by this pull request", ""]
    if not any(report.pages.values()) and not report.removed and not report.site_wide:
        lines.append("No page of the site changes.")
    for language, name in LANGUAGES.items():
        pages = report.pages[language]
        if not pages:
            continue
        lines += [f"### {name}", ""]
        for url in sorted(pages):
            sources = ", ".join(sorted(pages[url]))
            lines.append(f"- [{url or '/'}]({base}{url}) ({sources})")
        lines.append("")
    if report.removed:
        lines += ["### Removed", ""]
        lines += [f"- `{path}`" for path in sorted(report.removed)]
        lines.append("")
    if report.site_wide:
        lines += ["### Every page may change", ""]
        lines += [f"- `{path}`" for path in sorted(report.site_wide)]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def page_url(src_uri: str) -> tuple[str, str]:
    """Return (language, URL relative to the site) of a page: a/b.en.md -> (en, en/a/b/)."""
    stem, _ = posixpath.splitext(src_uri)
    language = DEFAULT_LANGUAGE
    base, _, suffix = stem.rpartition(".")
    if base and suffix in LANGUAGES:
        stem, language = base, suffix
    folder, name = posixpath.split(stem)
    path = f"{folder}/" if name in ("index", "README") else f"{stem}/"
    path = path.lstrip("/")
    prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
    return language, prefix + path


def _add_page(report: Report, docs: Path, src_uri: str, source: str) -> None:
    """Record a page and, for a French page, the English page that shows or translates it."""
    language, url = page_url(src_uri)
    report.pages[language].setdefault(url, set()).add(f"`{source}`")
    if language != DEFAULT_LANGUAGE:
        return
    stem, extension = posixpath.splitext(src_uri)
    for other in LANGUAGES:
        if other == DEFAULT_LANGUAGE:
            continue
        # Untranslated: the French text itself is shown there. Translated: the
        # translation may be stale now (hooks/translations.py shows a notice).
        translated = (docs / f"{stem}.{other}{extension}").exists()
        if translated and not source.startswith("docs/"):
            continue  # an example: the translation includes it itself, or not at all
        stale = " (French text changed: `make i18n-status`)" if translated else ""
        report.pages[other].setdefault(f"{other}/{url}", set()).add(f"`{source}`{stale}")


def _includes(docs: Path) -> dict[str, list[str]]:
    """Map each included file (relative to the project) to the pages that include it."""
    found: dict[str, list[str]] = {}
    for page in sorted(docs.rglob("*.md")):
        for included in SNIPPET.findall(page.read_text(encoding="utf-8")):
            found.setdefault(included, []).append(page.relative_to(docs).as_posix())
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
