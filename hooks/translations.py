"""Tell English readers when a page is not, or no longer, the French text.

Handles ``on_config`` (read the notices' texts in ``texts.yml`` beside this
file), ``on_page_content`` (a notice at the top of a stale translation,
linking to the French original and, when the record names the French commit
it translates, to the changes since; on a page
with no translation, shown in French under /en/ by mkdocs-static-i18n's
``fallback_to_default``, a notice and ``lang="fr"`` on the French text) and
``on_env`` (mark the untranslated pages in the English navigation: it runs once
every page is rendered and before any template is, so every page's navigation
shows the mark). Whether a translation is stale comes from publishing.i18n:
the fingerprint of the French text recorded in the English page's front matter.
Pages planned in hooks/outline.yml are generated in both languages, so they
are neither stale nor untranslated.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.utils import get_relative_url

from publishing import i18n
from publishing.build import read_texts
from publishing.languages import (
    current_language,
    default_language,
    has_languages,
    is_default_build,
    is_untranslated,
    original_of,
)
from publishing.order import AFTER_DESCRIPTION

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
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

# Reset in on_config: `mkdocs serve` keeps this module across builds.
_texts: dict[str, dict[str, str]] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Check that the language plugin is there (the hook only makes sense with it); read texts."""
    if not has_languages(config):
        raise PluginError("hooks/translations.py needs the mkdocs-static-i18n plugin (i18n)")
    _texts.clear()
    _texts.update(read_texts(__file__))


@event_priority(AFTER_DESCRIPTION)
def on_page_content(
    html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Add the stale notice, or the untranslated notice and lang="fr"."""
    if is_default_build(config):
        return None
    if is_untranslated(page, config):
        notice = UNTRANSLATED_NOTICE.format(language=current_language(config), **_text(config))
        return f'{notice}\n<div lang="{default_language(config)}">\n{html_text}\n</div>'
    # A stale page is no build problem (no warning): changing the French text must
    # not block anyone; readers are told, and `make i18n-status` shows the debt.
    if _stale(page, config):
        notice = STALE_NOTICE.format(
            **{
                **_text(config),
                "language": current_language(config),
                "original": default_language(config),
                "url": html.escape(_original_url(page)),
                "changes": _changes_link(page, config),
            }
        )
        return _after_title(html_text, notice)
    return None


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files, **kwargs) -> None:
    """Mark each untranslated page's title, as the English navigation shows it."""
    if is_default_build(config):
        return None
    for file in files.documentation_pages():
        page = file.page
        # on_env runs once per language build, on fresh pages: mark them once.
        if page is not None and is_untranslated(page, config) and page.title:
            mark = _text(config)["untranslated_mark"]
            page.title = page.title.removesuffix(mark) + mark
    return None


def _stale(page: Page, config: MkDocsConfig) -> bool:
    """Tell whether the French text changed after this translation was recorded.

    The same answer as publishing.i18n's page_status, for less: the record
    comes from the front matter MkDocs has already read, and neither the
    snapshot nor the diffs that `make i18n-status` shows are needed here.
    """
    docs = Path(config.docs_dir)
    english = docs / page.file.src_uri
    french = i18n.french_of(english)
    if not (english.is_file() and french.is_file()):
        return False  # generated, e.g. a planned section: nothing to compare
    try:
        record = page.meta.get("translation")
        if not isinstance(record, dict):
            # Not read by MkDocs (no YAML front matter, or invalid YAML): as i18n reads it.
            record = i18n.read_record(english)
        if record is None:
            return True
        store = Path(config.config_file_path).parent / i18n.STORE.name
        edited = i18n.record_problems(english, docs, store)
        current = i18n.sections(french.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PluginError(f"{english}: cannot read the translation record: {error}") from error
    if edited:
        # Readers are not told the French changed: the record says nothing of it.
        for problem in edited:
            log.warning(problem)
        return False
    recorded: dict[str, str] = record.get("sections") or {}
    anchors = {section.anchor for section in current}
    return (
        any(recorded.get(s.anchor) != s.fingerprint for s in current)
        or not set(recorded) <= anchors
    )


def _changes_link(page: Page, config: MkDocsConfig) -> str:
    """Link to the French page's changes since the recorded commit; nothing without one."""
    record = page.meta.get("translation")
    commit = record.get("commit") if isinstance(record, dict) else None
    if not isinstance(commit, str) or not config.repo_url:
        return ""  # an older record, or no repository: the French original is linked anyway
    docs = Path(config.docs_dir)
    french = i18n.french_of(docs / page.file.src_uri)
    path = french.relative_to(Path(config.config_file_path).parent).as_posix()
    url = i18n.changes_url(config.repo_url, config.edit_uri or "", commit, path)
    return CHANGES_LINK.format(url=html.escape(url), see_changes=_text(config)["see_changes"])


def _text(config: MkDocsConfig) -> dict[str, str]:
    """Return the notices' texts in the language of this build, escaped for HTML."""
    language = current_language(config)
    if language not in _texts:
        raise PluginError(f"hooks/texts.yml: no translations text for the language '{language}'")
    return {name: html.escape(text, quote=False) for name, text in _texts[language].items()}


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
