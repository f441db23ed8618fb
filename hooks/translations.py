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

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from publishing import translations
from publishing.build import read_texts
from publishing.languages import has_languages, is_default_build, is_untranslated
from publishing.order import AFTER_DESCRIPTION

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

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
    texts = translations.page_texts(_texts, config)
    if is_untranslated(page, config):
        return translations.untranslated(html_text, config, texts)
    # A stale page is no build problem (no warning): changing the French text must
    # not block anyone; readers are told, and `make i18n-status` shows the debt.
    stale, problems = translations.staleness(page, config)
    for problem in problems:
        log.warning(problem)
    return translations.stale(html_text, page, config, texts) if stale else None


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files, **kwargs) -> None:
    """Mark each untranslated page's title, as the English navigation shows it."""
    if is_default_build(config):
        return None
    mark = translations.page_texts(_texts, config)["untranslated_mark"]
    for file in files.documentation_pages():
        page = file.page
        # on_env runs once per language build, on fresh pages: mark them once.
        if page is not None and is_untranslated(page, config) and page.title:
            page.title = page.title.removesuffix(mark) + mark
    return None
