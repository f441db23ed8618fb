"""Material's search, per language and faster: what hooks/search.py and search_speedup.py do.

mkdocs-static-i18n merges the pages of every language into one
``search/search_index.json``; ``split_index`` gives the default language
``search/search_index.json`` and every other language
``<locale>/search/search_index.json``, with locations relative to its own root
and its own lunr settings, and writes a worker that folds accents and stems
Material's prefix queries. ``point_search`` points a page's search at its
language's index and that worker. ``lighten`` and ``restore`` take the tags of
the code's tokens out of a page's content while Material indexes it (its parser
drops them anyway): the same index, faster.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from publishing.languages import current_language, is_default_build

if TYPE_CHECKING:
    from pathlib import Path

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
# The tags of a code block that Material's indexing ignores: a token's span (a
# class at most, not the "linenodiv" that Material skips) and an empty anchor (a
# line number's). One "<" first: the search skips to it.
_TOKEN = re.compile(
    r'<(?:span(?: class="(?!linenodiv")[^"]*")?>|/span>|a(?: [a-z]+="[^"]*")*></a>)'
)


def split_index(site: Path, languages: list[str]) -> None:
    """Split the merged index per language (the default one first) and write the folding worker."""
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return None
    index = json.loads(index_path.read_text(encoding="utf-8"))
    default, *others = languages
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
    return None


def language_prefix(config: MkDocsConfig) -> str:
    """Return the folder of the language being built, '' for the default one."""
    return "" if is_default_build(config) else current_language(config)


def point_search(output: str, prefix: str) -> str | None:
    """Return `output` with its search worker and, in another language (prefix), base replaced."""
    # str.find, not a regular expression: the page is long and the script at its end.
    start = output.find(_CONFIG_START)
    if start == -1:
        return None
    start += len(_CONFIG_START)
    end = output.find(_CONFIG_END, start)
    if end == -1:
        return None
    data = _pointed(output[start:end], prefix)
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


def lighten(page: Page, originals: dict[str, tuple[str, str]]) -> None:
    """Give Material's search the page's content without the tags of its code's tokens."""
    content = page.content
    # A page with data-search-* attributes is left to Material, which strips them.
    if not content or "<pre" not in content or "data-search-" in content:
        return None
    light = untokenized(content)
    originals[page.url] = (content, light)
    page.content = light
    return None


def restore(page: Page, originals: dict[str, tuple[str, str]]) -> None:
    """Give the page its content back, highlighting included."""
    content, light = originals.pop(page.url, (None, None))
    if content is None:
        return None
    if page.content != light:
        raise PluginError(
            f"hooks/search_speedup.py: docs/{page.file.src_uri}: its content changed while "
            "Material indexed it; a plugin or hook between priorities 10 and -10 rewrites "
            "page.content in on_page_context: move it out of that range"
        )
    page.content = content
    return None


def untokenized(content: str) -> str:
    """Return `content` with its code blocks' tokens' tags taken out."""
    # str.find, not a regular expression: a lazy .*? up to "</pre>" is 10 times slower.
    parts, end = [], 0
    while (start := content.find("<pre", end)) != -1:
        close = content.find("</pre>", start)
        if close == -1:
            break
        parts.append(content[end:start])
        block = content[start:close]
        light = _TOKEN.sub("", block)
        # A span left over (an id, a data-search-exclude) has lost its closing tag: keep the block.
        parts.append(block if "<span" in light else light)
        end = close
    parts.append(content[end:])
    return "".join(parts)
