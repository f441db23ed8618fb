"""The site's languages, as mkdocs-static-i18n builds them: the one reader of its state.

mkdocs-static-i18n builds the site once per language, the others inside the
default one's ``on_post_build``. Its state is not a documented API: the
plugin's ``default_language``, ``current_language``, ``building`` (true during
the nested build of the other languages) and ``config.languages``, and the
``locale`` and ``alternates`` it gives each file. The hooks ask these
functions; ARCHITECTURE.md lists each attribute with the test that guards it
(tests/test_languages.py). Without the plugin, the site has one language, the
theme's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page


def has_languages(config: MkDocsConfig) -> bool:
    """Tell whether mkdocs-static-i18n builds the site (one build per language)."""
    return _plugin(config) is not None


def default_language(config: MkDocsConfig) -> str:
    """Return the language of the unsuffixed files (the site's root)."""
    i18n = _plugin(config)
    return i18n.default_language if i18n is not None else config.theme["language"]


def current_language(config: MkDocsConfig) -> str:
    """Return the language this build renders (mkdocs-static-i18n builds once per language)."""
    i18n = _plugin(config)
    return i18n.current_language if i18n is not None else config.theme["language"]


def languages(config: MkDocsConfig) -> list[str]:
    """Return the languages built: the default one first, then the others in their order."""
    i18n = _plugin(config)
    if i18n is None:
        return [config.theme["language"]]
    default = i18n.default_language
    built = [lang.locale for lang in i18n.config.languages if lang.build]
    return [default, *(locale for locale in built if locale != default)]


def is_default_build(config: MkDocsConfig) -> bool:
    """Tell whether this build is the default language's (or the only one)."""
    i18n = _plugin(config)
    # current_language is None in on_config before the plugin has chosen one.
    return i18n is None or i18n.current_language in (None, i18n.default_language)


def building_other_language(config: MkDocsConfig) -> bool:
    """Tell whether this is another language's build, nested in the default one's."""
    return bool(getattr(_plugin(config), "building", False))


def file_language(file: File) -> str | None:
    """Return the language of a file's text; None for a file the plugin did not make."""
    return getattr(file, "locale", None)


def page_language(page: Page | None, config: MkDocsConfig) -> str:
    """Return the language of a page's text: its file's, else the build's."""
    # A page not translated yet is the default language's file, in another build.
    language = file_language(page.file) if page is not None else None
    return language or current_language(config)


def is_untranslated(page: Page, config: MkDocsConfig) -> bool:
    """Tell whether the page is the default language's file, shown in another language's build."""
    return not is_default_build(config) and file_language(page.file) == default_language(config)


def original_of(file: File) -> File | None:
    """Return the same page in another language than the file's (its original), if any."""
    alternates: dict[str, File] = getattr(file, "alternates", {}) or {}
    locale = file_language(file)
    return next((other for other in alternates.values() if other.locale != locale), None)


def _plugin(config: MkDocsConfig) -> Any:
    return config.plugins.get("i18n")
