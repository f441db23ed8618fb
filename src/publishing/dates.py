"""When a page last changed, from git: the date to show and how to write it.

Plain functions and one reader per build, for hooks/dates.py and the tests.
The date is that of the last commit touching the page's file. When the history
cannot tell (a file never committed, changed since its last commit, or whose
last commit is the cut of a shallow clone, as on CI), the page gets the build
date with a note saying so, never a wrong date.

A generated page has no file of its own: its front matter's ``revision_from``
names where its text comes from, files of the project (a planned section:
``[hooks/outline.yml]``, the newest of them counts) or ``build`` (a page made
by the build from the book as it is, such as the translation status: its date
is the build's, and that is no guess). Such a page gets no note unless those
files' history cannot tell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from publishing.build import git

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


@dataclass
class BuildDates:
    """The dates of one build: each repository's history read once, each file's date once.

    Three git commands per page made the dates most of the build's own time on a
    100-section book (make bench); one `git log` per repository does the same.
    """

    build_date: dt.date
    _histories: list[_History] = field(default_factory=list)
    _revisions: dict[Path, Revision] = field(default_factory=dict)

    def of_page(self, revision_from: str | list[str] | None, source: Path, top: Path) -> Revision:
        """Return a page's revision: its own file's, its sources' newest, or the build's."""
        if revision_from == "build":
            return Revision(self.build_date, from_history=True)
        if revision_from:
            return self.newest([self.of_file(top / name) for name in revision_from])
        return self.of_file(source)

    def of_file(self, path: Path) -> Revision:
        """Return the date of the last commit of `path`, or the build's if history cannot tell."""
        revision = self._revisions.get(path)
        if revision is None:
            revision = self._revisions[path] = self._read(path)
        return revision

    def newest(self, revisions: list[Revision]) -> Revision:
        """Return the newest of revisions, or the build date if history cannot tell for one."""
        if not revisions or not all(r.from_history for r in revisions):
            return Revision(self.build_date, from_history=False)
        return max(revisions, key=lambda r: r.date)

    def _read(self, path: Path) -> Revision:
        """Read a file's revision from its repository's history."""
        unknown = Revision(self.build_date, from_history=False)
        if not path.is_file():
            return unknown
        path = path.resolve()
        history = self._history(path.parent)
        if history is None:
            return unknown
        name = path.relative_to(history.top).as_posix()
        last = history.last.get(name)
        if last is None or name in history.changed:
            return unknown
        commit, date = last
        if commit in history.cuts:
            # The clone stops at this commit: every file seems changed there.
            return unknown
        return Revision(dt.date.fromisoformat(date), from_history=True)

    def _history(self, folder: Path) -> _History | None:
        """Return the history of the repository holding `folder`, read on first use."""
        for history in self._histories:
            if folder.is_relative_to(history.top):
                return history
        history = _read_history(folder)
        if history is not None:
            self._histories.append(history)
        return history


def last_revision(path: Path, build_date: dt.date) -> Revision:
    """Return the date of the last commit of `path`, or `build_date` if history cannot tell."""
    return BuildDates(build_date).of_file(path)


def render_date(revision: Revision, language: str) -> str:
    """Write the date in the page's language (else English), with the note if it is the build's."""
    language = language if language in NOTE else "en"
    day = revision.date
    if language == "fr":
        text = f"{'1er' if day.day == 1 else day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    else:
        text = f"{day:%B} {day.day}, {day.year}"
    html = f'<time datetime="{day.isoformat()}">{text}</time>'
    if not revision.from_history:
        html += f' <span class="livre-date-note">({NOTE[language]})</span>'
    return html


def _read_history(folder: Path) -> _History | None:
    """Read the history of the repository holding `folder`; None outside any repository."""
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
    return _History(
        Path(root),
        last,
        frozenset(filter(None, changed.split("\0"))),
        frozenset(_shallow_cuts(root)),
    )


def _shallow_cuts(folder: str) -> set[str]:
    """Return the commits where a shallow clone's history stops (none in a full clone)."""
    shallow = git(folder, "rev-parse", "--git-path", "shallow")
    if not shallow:
        return set()
    shallow_file = Path(folder, shallow)
    if not shallow_file.is_file():
        return set()
    return set(shallow_file.read_text(encoding="ascii").split())
