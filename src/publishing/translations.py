"""The notices of a translated page: stale (the French changed since) or not translated yet.

hooks/translations.py adds them in another language's build: whether a
translation is stale comes from publishing.i18n, the fingerprint of the French
text recorded in the English page's front matter; a page not translated yet is
the French file shown under /en/, with a notice and the French's ``lang``. The
notices' texts, in the page's language, are in hooks/texts.yml (translations).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from publishing import i18n
from publishing.build import project_top
from publishing.languages import current_language, default_language, original_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

# The notices' markup; their texts, in the page's language, are in texts.yml.
STALE_NOTICE = (
    '<div class="admonition warning translation-stale" lang="{language}">'
    '<p class="admonition-title">{stale_title}</p>'
    '<p>{stale} <a href="{url}" hreflang="{original}">{read_original}</a>.{changes}</p></div>'
)
# When the record names the French commit it translates (make i18n-update).
CHANGES_LINK = ' <a href="{url}">{see_changes}</a>.'
UNTRANSLATED_NOTICE = (
    '<div class="admonition info translation-missing" lang="{language}">'
    '<p class="admonition-title">{untranslated_title}</p>'
    "<p>{untranslated}</p></div>"
)


def untranslated(html_text: str, config: MkDocsConfig, texts: dict[str, str]) -> str:
    """Return a page not translated yet with its notice, its text marked as the original's."""
    notice = UNTRANSLATED_NOTICE.format(language=current_language(config), **texts)
    return f'{notice}\n<div lang="{default_language(config)}">\n{html_text}\n</div>'


def stale(html_text: str, page: Page, config: MkDocsConfig, texts: dict[str, str]) -> str:
    """Return a stale translation with its notice after its title."""
    notice = STALE_NOTICE.format(
        **{
            **texts,
            "language": current_language(config),
            "original": default_language(config),
            "url": html.escape(_original_url(page)),
            "changes": _changes_link(page, config, texts),
        }
    )
    return _after_title(html_text, notice)


def staleness(page: Page, config: MkDocsConfig) -> tuple[bool, list[str]]:
    """Tell whether the French text changed since this translation was recorded; say what is wrong.

    The same answer as publishing.i18n's page_status, for less: the record
    comes from the front matter MkDocs has already read, and neither the
    snapshot nor the diffs that `make i18n-status` shows are needed here.
    """
    docs = Path(config.docs_dir)
    english = docs / page.file.src_uri
    french = i18n.french_of(english)
    if not (english.is_file() and french.is_file()):
        return False, []  # generated, e.g. a planned section: nothing to compare
    try:
        record = page.meta.get("translation")
        if not isinstance(record, dict):
            # Not read by MkDocs (no YAML front matter, or invalid YAML): as i18n reads it.
            record = i18n.read_record(english)
        if record is None:
            return True, []
        store = project_top(config) / i18n.STORE.name
        edited = i18n.record_problems(english, docs, store)
        current = i18n.sections(french.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PluginError(f"{english}: cannot read the translation record: {error}") from error
    if edited:
        # Readers are not told the French changed: the record says nothing of it.
        return False, edited
    recorded: dict[str, str] = record.get("sections") or {}
    anchors = {section.anchor for section in current}
    stale = any(recorded.get(s.anchor) != s.fingerprint for s in current)
    return stale or not set(recorded) <= anchors, []


def page_texts(texts: dict[str, dict[str, str]], config: MkDocsConfig) -> dict[str, str]:
    """Return the notices' texts in the language of this build, escaped for HTML."""
    language = current_language(config)
    if language not in texts:
        raise PluginError(f"hooks/texts.yml: no translations text for the language '{language}'")
    return {name: html.escape(text, quote=False) for name, text in texts[language].items()}


def _changes_link(page: Page, config: MkDocsConfig, texts: dict[str, str]) -> str:
    """Link to the French page's changes since the recorded commit; nothing without one."""
    record = page.meta.get("translation")
    commit = record.get("commit") if isinstance(record, dict) else None
    if not isinstance(commit, str) or not config.repo_url:
        return ""  # an older record, or no repository: the French original is linked anyway
    docs = Path(config.docs_dir)
    french = i18n.french_of(docs / page.file.src_uri)
    path = french.relative_to(project_top(config)).as_posix()
    url = i18n.changes_url(config.repo_url, config.edit_uri or "", commit, path)
    return CHANGES_LINK.format(url=html.escape(url), see_changes=texts["see_changes"])


def _original_url(page: Page) -> str:
    """Return the French original's URL, relative to the English page."""
    original = original_of(page.file)
    if original is not None:
        return get_relative_url(original.url, page.url)
    # Suffix layout: the English page's URL is the French one under the language folder.
    french_url = page.url.split("/", 1)[1] if "/" in page.url else ""
    return get_relative_url(french_url or ".", page.url)


def _after_title(html_text: str, notice: str) -> str:
    """Insert the notice right after the page's first heading, or at the top."""
    end = html_text.find("</h1>")
    if end == -1:
        return f"{notice}\n{html_text}"
    end += len("</h1>")
    return f"{html_text[:end]}\n{notice}{html_text[end:]}"
