"""Give each language its own search index, which folds accents and stems words.

Handles ``on_post_page``, ``on_post_template`` (the 404 page) and
``on_post_build``. mkdocs-static-i18n merges the pages of every
language into one ``search/search_index.json``, so an English reader would find
French pages. After the last build, ``on_post_build`` splits that index: the
default language keeps ``search/search_index.json``, every other language gets
``<locale>/search/search_index.json`` with locations relative to its own root,
and each index carries its own lunr settings (French stemmer and stop words,
apostrophes as separators so "illumination" finds "L'illumination", Material's
pipeline with the stemmer kept).

Material's search worker fetches ``search/search_index.json`` relative to
``base`` in the page's ``__config``: ``on_post_page`` points ``base`` of a page
in another language at that language's root, and ``search`` (the worker's
address) at a small worker that loads Material's own, stems the prefixes that
Material makes of every query term and folds accents after lunr's pipeline,
when indexing and when searching, so "deploiement" finds "déploiement".
Material's indexing itself is made faster by hooks/search_speedup.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from publishing import search
from publishing.languages import building_other_language, languages
from publishing.order import AFTER_I18N_MERGES_INDEX

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Point the page's search at its own language's index and the folding worker."""
    return search.point_search(output, search.language_prefix(config))


def on_post_template(
    output_content: str, /, *, template_name: str, config: MkDocsConfig, **kwargs
) -> str | None:
    """Do the same in the 404 page, which Material renders as a template, not a page."""
    if template_name != "404.html":
        return None
    return search.point_search(output_content, search.language_prefix(config))


@event_priority(AFTER_I18N_MERGES_INDEX)
def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    """Split the merged index per language and write the folding worker."""
    if building_other_language(config):
        return  # another language's build, inside the first one's: the index is not merged yet
    search.split_index(Path(config.site_dir), languages(config))
