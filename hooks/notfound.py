"""Write the 404 page of each language where its readers' server looks for it.

Handles ``on_config`` and ``on_post_build``. Material renders ``404.html`` at
the root of the site in every build, and mkdocs-static-i18n builds the other
languages after the default one into the same directory, so the last build's
page would win. This hook keeps the default language's page at the root and
moves each other language's page to ``<locale>/404.html``: a server answers a
missing ``/en/...`` address with ``en/404.html`` and any other with ``404.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from publishing.languages import current_language, has_languages, is_default_build

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# The default language's page, kept across the nested build of the others.
_default_page: dict[str, bytes] = {}


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Forget the page of a previous build (`mkdocs serve` keeps this module loaded)."""
    if is_default_build(config):
        _default_page.clear()


def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    """Keep the default language's 404 page at the root, move the others' under their prefix."""
    root_page = Path(config.site_dir) / "404.html"
    if not has_languages(config) or not root_page.exists():
        return
    if is_default_build(config):
        _default_page["html"] = root_page.read_bytes()
        return
    if "html" not in _default_page:
        raise PluginError(f"{root_page}: no 404 page from the default language's build")
    localized = root_page.parent / current_language(config) / "404.html"
    localized.parent.mkdir(parents=True, exist_ok=True)
    root_page.replace(localized)
    root_page.write_bytes(_default_page["html"])
