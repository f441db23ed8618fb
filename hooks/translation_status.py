"""Publish the state of the English translation, page by page and section by section.

Handles ``on_config`` (read its texts in ``texts.yml`` beside this file),
``on_files`` (add ``traductions.md`` and ``traductions.en.md`` before
mkdocs-static-i18n sorts the files by language; after it, write their Markdown
from publishing.i18n's statuses, the ones ``make i18n-status`` prints, and keep
them out of the navigation's warnings: the home page links to them) and
``on_page_context`` (no "edit" link: there is no file to edit). For a stale
section the page shows the diff of the French text since the translation, a
link to that change in the repository when the record names its commit, and
the command that records the updated translation. Generated at every build,
never kept by hand.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import InclusionLevel

from publishing import i18n as translation_record
from publishing.build import add_language_pages, project_top, read_texts
from publishing.languages import default_language
from publishing.order import AFTER_I18N_RECREATES_FILES, BEFORE_I18N_SORTS_FILES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

SOURCE = "traductions.md"

# Read in on_config: `mkdocs serve` keeps this module across rebuilds.
_texts: dict[str, dict[str, Any]] = {}
_default: list[str] = []


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the status page's texts."""
    texts = read_texts(__file__)
    _texts.clear()
    _texts.update(texts)
    _default[:] = [default_language(config)]


@event_priority(BEFORE_I18N_SORTS_FILES)
def _add_pages(files: Files, /, *, config: MkDocsConfig, **kwargs) -> Files:
    """Add the status page of each language."""
    return add_language_pages(files, config, list(_texts), SOURCE)


@event_priority(AFTER_I18N_RECREATES_FILES)
def _write_pages(files: Files, /, *, config: MkDocsConfig, **kwargs) -> None:
    """Write the status pages from the translations' records, as they are now."""
    pages = [f for f in files.documentation_pages() if _language_of(f.src_uri) is not None]
    if not pages:
        return None
    i18n = translation_record
    top = project_top(config)
    docs = Path(config.docs_dir)
    statuses = i18n.statuses(docs, top / i18n.STORE.name)
    for file in pages:
        language = _language_of(file.src_uri)
        if language not in _texts:
            raise PluginError(
                f"hooks/texts.yml: no translation_status text for the language '{language}'"
            )
        file.content_string = status_markdown(
            statuses, _texts[language], docs, top, config.repo_url, config.edit_uri or ""
        )
        file.inclusion = InclusionLevel.NOT_IN_NAV  # linked from the home page, not listed
    return None


on_files = CombinedEvent(_add_pages, _write_pages)


def on_page_context(context: dict[str, Any], /, *, page: Page, **kwargs) -> None:
    """Drop the status page's "edit" link: it has no source file to edit."""
    if _language_of(page.file.src_uri) is not None:
        page.edit_url = None
    return None


def status_markdown(
    statuses: list, texts: dict[str, Any], docs: Path, top: Path, repo_url: str, edit_uri: str
) -> str:
    """Return the Markdown of the status page: a table of pages, then each page's sections."""
    i18n = translation_record
    states = texts["states"]
    out = [
        # Made from the book as it is at the build: the build's date is its own (hooks/dates.py).
        "---\nsearch:\n  exclude: true\nrevision_from: build\n---\n",
        f"# {texts['title']}\n",
        f"{texts['intro']}\n",
        f"| {texts['page']} | {texts['state']} |",
        "| --- | --- |",
    ]
    for status in statuses:
        out.append(f"| {_link(status.french, docs)} | {states[status.state]} |")
    out.append("")
    for status in statuses:
        source = status.french.relative_to(docs).as_posix()
        english = status.english.relative_to(top).as_posix()
        out += [f"## {source}\n", f"{_link(status.french, docs)}: **{states[status.state]}**\n"]
        sections = status.sections or _untranslated_sections(i18n, status)
        if sections:
            out += [f"| {texts['section']} | {texts['state']} |", "| --- | --- |"]
            out += [
                f"| `#{s.anchor}`{' ' + texts['removed'] if not s.line else ''} "
                f"| {states[s.state]} |"
                for s in sections
            ]
            out.append("")
        for section in (s for s in status.sections if s.diff):
            out.append(texts["diff"].format(section=f"`#{section.anchor}`") + "\n")
            out.append(_code("diff", "\n".join(section.diff)))
        if status.state != "stale":
            continue
        commit = _recorded_commit(i18n, status.english)
        if commit and repo_url:
            path = status.french.relative_to(top).as_posix()
            url = i18n.changes_url(repo_url, edit_uri, commit, path)
            out.append(f"[{texts['changes']}]({url})\n")
        out.append(texts["command"] + "\n")
        out.append(_code("bash", f"make i18n-update PAGE={english}"))
    return "\n".join(out)


def _untranslated_sections(i18n, status) -> list:
    """List every section of a page with no translation as missing (the report names none)."""
    if status.state != "missing" or not status.french.is_file():
        return []
    text = status.french.read_text(encoding="utf-8")
    return [i18n.SectionStatus(s.anchor, s.line, "missing") for s in i18n.sections(text)]


def _language_of(src_uri: str) -> str | None:
    """Return the language of a status page's source, None for any other page."""
    if src_uri == SOURCE:
        return _default[0]
    match = re.fullmatch(r"traductions\.([a-z]{2})\.md", src_uri)
    return match.group(1) if match else None


def _link(french: Path, docs: Path) -> str:
    """Link to a page from the status page at the site's root (its translation in English)."""
    source = french.relative_to(docs).as_posix()
    return f"[{source}]({source})"


def _code(language: str, text: str) -> str:
    """Return `text` as a block of code, in HTML.

    Escaped HTML rather than a fence: whatever the diff holds (fences of its own,
    an include that pymdownx.snippets would read) shows as written, on a site
    with or without a fence extension.
    """
    return f'<pre><code class="language-{language}">{html.escape(text)}</code></pre>\n'


def _recorded_commit(i18n, english: Path) -> str | None:
    """Return the French commit an English page's record names, if any."""
    try:
        record = i18n.read_record(english) if english.is_file() else None
    except ValueError:
        return None
    commit = (record or {}).get("commit")
    return commit if isinstance(commit, str) else None
