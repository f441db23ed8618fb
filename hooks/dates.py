"""Show when each page last changed, from the history of its own source file.

Handles ``on_config`` (reset the cache and the build date) and
``on_page_markdown`` (set ``page.meta.revision_date``, which Material shows
under the page, and ``page.update_date``, the sitemap's ``lastmod``). The date
is that of the last commit touching the page's file. When the history cannot
tell (a file never committed, changed since its last commit, or whose last
commit is the cut of a shallow clone, as on CI), the page shows the build date
with a note saying so, never a wrong date.

A generated page has no file of its own: its front matter's ``revision_from``
names where its text comes from, files of the project (a planned section:
``[hooks/outline.yml]``, the newest of them counts) or ``build`` (a page made
by the build from the book as it is, such as the translation status: its date
is the build's, and that is no guess). Such a page gets no note unless those
files' history cannot tell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publishing.build import git

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NOTE = {
    "fr": "date de la construction : historique indisponible",
    "en": "date of the build: history not available",
}


@dataclass(frozen=True)
class Revision:
    """The date to show for a page, and whether the history vouches for it."""

    date: dt.date
    from_history: bool


@dataclass(frozen=True)
class _History:
    """What one `git log` and one `git diff` tell of every file of a repository."""

    top: Path
    last: dict[str, tuple[str, str]]  # file -> (commit, date) of its last commit
    changed: frozenset[str]  # files changed since the last commit
    cuts: frozenset[str]  # commits where a shallow clone stops


# Reset in on_config: `mkdocs serve` keeps this module across rebuilds.
_cache: dict[str, Revision] = {}
_build_date: list[dt.date] = []
# Read once per build, not once per page: three git commands per page made this
# hook most of the build's own time on a 100-section book (make bench).
_histories: list[_History] = []


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Forget the dates of a previous build."""
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language in (None, i18n.default_language):
        _cache.clear()
        _histories.clear()
        _build_date[:] = [dt.date.today()]


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> None:
    """Attach the page's last update date, or the build date with a note."""
    sources = page.meta.get("revision_from")
    if sources == "build":
        revision = Revision(_build_date[0], from_history=True)
    elif sources:
        top = Path(config.config_file_path).parent
        revision = _newest([_revision_of(top / source) for source in sources])
    else:
        revision = _revision_of(Path(page.file.abs_src_path or ""))
    language = config.theme["language"] if config.theme["language"] in NOTE else "en"
    page.meta["revision_date"] = render_date(revision, language)
    page.update_date = revision.date.isoformat()
    return None


def _revision_of(path: Path) -> Revision:
    """Return the revision of a file, read once per build."""
    revision = _cache.get(str(path))
    if revision is None:
        revision = _cache[str(path)] = last_revision(path, _build_date[0])
    return revision


def _newest(revisions: list[Revision]) -> Revision:
    """Return the newest of revisions the history vouches for; the build date if one it cannot."""
    if not revisions or not all(r.from_history for r in revisions):
        return Revision(_build_date[0], from_history=False)
    return max(revisions, key=lambda r: r.date)


def last_revision(path: Path, build_date: dt.date) -> Revision:
    """Return the date of the last commit of `path`, or `build_date` if history cannot tell."""
    if not path.is_file():
        return Revision(build_date, from_history=False)
    path = path.resolve()
    history = _history(path.parent)
    if history is None:
        return Revision(build_date, from_history=False)
    name = path.relative_to(history.top).as_posix()
    last = history.last.get(name)
    if last is None or name in history.changed:
        return Revision(build_date, from_history=False)
    commit, date = last
    if commit in history.cuts:
        # The clone stops at this commit: every file seems changed there.
        return Revision(build_date, from_history=False)
    return Revision(dt.date.fromisoformat(date), from_history=True)


def render_date(revision: Revision, language: str) -> str:
    """Write the date in the page's language, with the note when it is the build date."""
    day = revision.date
    if language == "fr":
        text = f"{'1er' if day.day == 1 else day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    else:
        text = f"{day:%B} {day.day}, {day.year}"
    html = f'<time datetime="{day.isoformat()}">{text}</time>'
    if not revision.from_history:
        html += f' <span class="livre-date-note">({NOTE[language]})</span>'
    return html


def _history(folder: Path) -> _History | None:
    """Return the history of the repository holding `folder`, read on first use."""
    for history in _histories:
        if folder.is_relative_to(history.top):
            return history
    top = git(str(folder), "rev-parse", "--show-toplevel")
    if not top:
        return None
    root = str(Path(top).resolve())
    last: dict[str, tuple[str, str]] = {}
    # Newest first: a file's first appearance is its last commit.
    log_args = ("-c", "core.quotePath=false", "log", "--format=%x00%H %cs", "--name-only")
    log = git(root, *log_args, "--no-renames") or ""
    for entry in log.split("\0")[1:]:
        head, *names = entry.strip("\n").split("\n")
        commit, date = head.split()
        for name in names:
            if name:
                last.setdefault(name, (commit, date))
    changed = git(root, "diff", "--name-only", "-z", "HEAD") or ""
    history = _History(
        Path(root),
        last,
        frozenset(filter(None, changed.split("\0"))),
        frozenset(_shallow_cuts(root)),
    )
    _histories.append(history)
    return history


def _shallow_cuts(folder: str) -> set[str]:
    """Return the commits where a shallow clone's history stops (none in a full clone)."""
    shallow = git(folder, "rev-parse", "--git-path", "shallow")
    if not shallow:
        return set()
    shallow_file = Path(folder, shallow)
    if not shallow_file.is_file():
        return set()
    return set(shallow_file.read_text(encoding="ascii").split())
