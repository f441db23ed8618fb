"""The translation status page: the English translation's state, by page and by section.

hooks/translation_status.py adds ``traductions.md`` and ``traductions.en.md``;
their Markdown is written here from publishing.i18n's statuses, the ones
``make i18n-status`` prints. For a stale section the page shows the diff of the
French text since the translation, a link to that change in the repository
when the record names its commit, and the command that records the updated
translation. Its texts are in hooks/texts.yml (translation_status).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from publishing import i18n

if TYPE_CHECKING:
    from pathlib import Path

SOURCE = "traductions.md"


def page_markdown(
    language: str,
    statuses: list,
    texts: dict[str, dict[str, Any]],
    docs: Path,
    top: Path,
    repo_url: str,
    edit_uri: str,
) -> str:
    """Return the status page of a language; a language with no texts stops the build."""
    if language not in texts:
        raise PluginError(
            f"hooks/texts.yml: no translation_status text for the language '{language}'"
        )
    return status_markdown(statuses, texts[language], docs, top, repo_url, edit_uri)


def status_markdown(
    statuses: list, texts: dict[str, Any], docs: Path, top: Path, repo_url: str, edit_uri: str
) -> str:
    """Return the Markdown of the status page: a table of pages, then each page's sections."""
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
        sections = status.sections or _untranslated_sections(status)
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
        commit = _recorded_commit(status.english)
        if commit and repo_url:
            path = status.french.relative_to(top).as_posix()
            url = i18n.changes_url(repo_url, edit_uri, commit, path)
            out.append(f"[{texts['changes']}]({url})\n")
        out.append(texts["command"] + "\n")
        out.append(_code("bash", f"make i18n-update PAGE={english}"))
    return "\n".join(out)


def _untranslated_sections(status) -> list:
    """List every section of a page with no translation as missing (the report names none)."""
    if status.state != "missing" or not status.french.is_file():
        return []
    text = status.french.read_text(encoding="utf-8")
    return [i18n.SectionStatus(s.anchor, s.line, "missing") for s in i18n.sections(text)]


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


def _recorded_commit(english: Path) -> str | None:
    """Return the French commit an English page's record names, if any."""
    try:
        record = i18n.read_record(english) if english.is_file() else None
    except ValueError:
        return None
    commit = (record or {}).get("commit")
    return commit if isinstance(commit, str) else None
