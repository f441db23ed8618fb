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

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from publishing.languages import (
    building_other_language,
    current_language,
    is_default_build,
    languages,
)
from publishing.order import AFTER_I18N_MERGES_INDEX

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

# lunr settings per language. Material's default pipeline drops the stemmer:
# keep it so "déploiements" finds "déploiement". French splits on apostrophes
# (l'illumination, d'orchestration), both typewriter and typographic.
SETTINGS = {
    "fr": {"separator": r"[\s\-'’]+", "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
    "en": {"separator": r"[\s\-]+", "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
}
WORKER = "search-i18n.js"
# Loads Material's worker, then folds accents of every term after lunr's
# pipeline (stemmers expect the accents), for the index and the queries alike.
WORKER_SOURCE = """\
// Written by hooks/search.py: Material's search worker, with stemmed and
// accent-insensitive queries.
importScripts("{material}");
(function (lunr) {{
  function fold(token) {{
    return token.update(function (s) {{
      return s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "");
    }});
  }}
  // Fold the accents of every term after lunr's pipeline (the stemmers expect
  // them), when indexing and when searching.
  var run = lunr.Pipeline.prototype.run;
  lunr.Pipeline.prototype.run = function (tokens) {{
    return run.call(this, tokens).map(fold);
  }};
  // Material makes every term a prefix ("scripts*"), and lunr skips the
  // pipeline for such terms: stem and fold the prefix, keep the wildcard.
  var query = lunr.Index.prototype.query;
  lunr.Index.prototype.query = function (build) {{
    var pipeline = this.pipeline;
    return query.call(this, function (q) {{
      build.call(q, q);
      q.clauses.forEach(function (clause) {{
        if (clause.usePipeline || !/^[^*]+\\*$/.test(clause.term)) return;
        var terms = pipeline.runString(clause.term.slice(0, -1), {{ fields: clause.fields }});
        if (terms.length === 1) clause.term = terms[0] + "*";
      }});
    }});
  }};
}})(self.lunr);
"""
_CONFIG_START = '<script id="__config" type="application/json">'
_CONFIG_END = "</script>"


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig, **kwargs) -> str | None:
    """Point the page's search at its own language's index and the folding worker."""
    return _point_search(output, config)


def on_post_template(
    output_content: str, /, *, template_name: str, config: MkDocsConfig, **kwargs
) -> str | None:
    """Do the same in the 404 page, which Material renders as a template, not a page."""
    return _point_search(output_content, config) if template_name == "404.html" else None


@event_priority(AFTER_I18N_MERGES_INDEX)
def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    """Split the merged index per language and write the folding worker."""
    if building_other_language(config):
        return  # another language's build, inside the first one's: the index is not merged yet
    site = Path(config.site_dir)
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    default, *others = languages(config)
    docs = {locale: [] for locale in [default, *others]}
    for doc in index["docs"]:
        locale = next((o for o in others if doc["location"].startswith(f"{o}/")), default)
        if locale != default:
            doc = {**doc, "location": doc["location"][len(locale) + 1 :]}
        docs[locale].append(doc)
    for locale, entries in docs.items():
        target = site / ("" if locale == default else locale) / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        settings = SETTINGS.get(locale, {})
        split = {"config": {**index["config"], "lang": [locale], **settings}, "docs": entries}
        target.write_text(json.dumps(split, ensure_ascii=False, separators=(",", ":")), "utf-8")
    workers = site / "assets" / "javascripts" / "workers"
    for material in sorted(workers.glob("search.*.min.js")):
        (workers / WORKER).write_text(WORKER_SOURCE.format(material=material.name), "utf-8")


def _point_search(output: str, config: MkDocsConfig) -> str | None:
    """Return `output` with its search worker and, in another language, base replaced."""
    # str.find, not a regular expression: the page is long and the script at its end.
    start = output.find(_CONFIG_START)
    if start == -1:
        return None
    start += len(_CONFIG_START)
    end = output.find(_CONFIG_END, start)
    if end == -1:
        return None
    data = _pointed(output[start:end], _language_prefix(config))
    if data is None:
        return None
    # join, not +: two + on a long page copy it twice, the second time slowly.
    return "".join((output[:start], data, output[end:]))


@functools.lru_cache(maxsize=256)  # pages at the same depth of a language share their __config
def _pointed(config_json: str, prefix: str) -> str | None:
    """Return the __config JSON with the folding worker and the language's base."""
    data = json.loads(config_json)
    if not data.get("search"):
        return None
    material = data["search"].rsplit("/", 1)
    data["search"] = f"{material[0]}/{WORKER}"
    if prefix:
        data["base"] = data["base"].rstrip("/") + f"/{prefix}/"
    # As Jinja's tojson does: no "<" that could close the script element.
    return json.dumps(data).replace("<", "\\u003c")


def _language_prefix(config: MkDocsConfig) -> str:
    """Return the folder of the language being built, '' for the default one."""
    return "" if is_default_build(config) else current_language(config)
