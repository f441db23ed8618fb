"""publishing.search (hooks/search.py): one search index per language, and the pages that
point at it; (hooks/search_speedup.py) the same index, made faster."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import ROOT, build_problems, build_site
from material.plugins.search.plugin import Parser
from mkdocs.exceptions import PluginError

from publishing import search

DATA = ROOT / "tests" / "data" / "search"

_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)


def _index(site: Path, language: str) -> dict:
    path = site / language / "search" / "search_index.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_search_index_per_language(built_site) -> None:
    french, english = _index(built_site.site, ""), _index(built_site.site, "en")
    problems = [
        f"search/search_index.json: {d['location']} is an English page"
        for d in french["docs"]
        if d["location"].startswith("en/")
    ] + [
        f"en/search/search_index.json: {d['location']} is not relative to en/"
        for d in english["docs"]
        if d["location"].startswith("en/")
    ]
    assert problems == []
    assert (french["config"]["lang"], english["config"]["lang"]) == (["fr"], ["en"])
    assert re.split(french["config"]["separator"], "L'illumination d’orchestration") == [
        "L", "illumination", "d", "orchestration",
    ]  # fmt: skip
    assert {d["title"] for d in english["docs"]} & {"L'illumination brutale"} == set()


def test_search_finds_untranslated_page_in_english(project: Path, tmp_path: Path) -> None:
    """A page not translated yet is shown in French under /en/: English search finds all of it."""
    (project / "docs" / "chapitre-3" / "3.1-constat.en.md").unlink()
    built = build_site(project / "mkdocs.yml", tmp_path / "site", cwd=project)
    assert build_problems(built) == []
    page = "chapitre-3/3.1-constat/"
    french, english = (
        {
            d["location"]: d["text"]
            for d in _index(built.site, lang)["docs"]
            if d["location"].startswith(page)
        }
        for lang in ("", "en")
    )
    assert len(french) > 20
    assert set(french) - set(english) == set()
    # The same French text, French spaces included; the top has the "not translated" notice.
    assert [location for location in french if french[location] != english[location]] == [page]


def test_search_pages_point_at_their_language(built_site) -> None:
    site = built_site.site
    workers = site / "assets" / "javascripts" / "workers"
    problems = []
    # The 404 pages have an absolute base, under the path of site_url.
    prefix = urlsplit(os.environ.get("SITE_URL", "https://example.org/livre/")).path
    for page in sorted([*site.rglob("index.html"), *site.rglob("404.html")]):
        rel = page.relative_to(site).as_posix()
        config = json.loads(_CONFIG.search(page.read_text(encoding="utf-8")).group(1))
        root = urljoin(f"{prefix}{rel}", config["base"])
        expected = prefix + ("en/" if rel.startswith("en/") else "")
        if root != expected:
            problems.append(f"{rel}: base {config['base']} is {root}, not {expected}")
        worker = urljoin(f"{prefix}{rel}", config["search"])
        if worker != f"{prefix}assets/javascripts/workers/search-i18n.js":
            problems.append(f"{rel}: search worker {config['search']} is {worker}")
    assert problems == []
    assert (workers / "search-i18n.js").is_file()
    material = re.search(r'importScripts\("([^"]+)"\)', (workers / "search-i18n.js").read_text())
    assert (workers / material.group(1)).is_file()


def test_search_worker_folds_accents_and_stems(built_site) -> None:
    """Material's worker with hooks/search.py's additions, run in Node on the built index."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (make test installs it with npm's tools)")
    site = built_site.site
    queries = {
        "": ["déploiement", "deploiement", "déploiements", "illumination", "orchestrations"],
        "en": ["scripts", "deployments", "awakening"],
    }
    found = {}
    for language, words in queries.items():
        result = subprocess.run(
            [node, str(DATA / "run_worker.js"), str(site / "assets/javascripts/workers"),
             str(site / language / "search" / "search_index.json"), *words],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        for word, line in zip(words, result.stdout.splitlines(), strict=True):
            found[word] = "chapitre-3/3.1-constat/" in {
                loc.split("#")[0] for loc in json.loads(line)
            }
    assert found == dict.fromkeys(found, True)


# Code blocks as Pygments and pymdownx.highlight write them, and their neighbours.
_BLOCK = (
    '<div class="language-bash highlight"><pre><span></span><code>'
    '<a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>'
    '<span class="nb">echo</span><span class="w">  </span>'
    '<span class="s2">"a &amp;&amp; &lt;b&gt;"</span>\n'
    '<a id="__codelineno-0-2" name="__codelineno-0-2" href="#__codelineno-0-2"></a>'
    '<span class="hll"><span class="k">if</span><span class="w"> </span>x</span>\n'
    "\n</code></pre></div>"
)
_CONTENTS = {
    "block": f"<h1 id='t'>Titre</h1>\n<p>Avant</p>\n{_BLOCK}\n<p>Après</p>",
    "sections": f"<h2 id='a'>A</h2>{_BLOCK}<h2 id='b'>B <code>x</code></h2>"
    f"<ul><li>{_BLOCK}</li></ul>",
    # A heading nested in an admonition, then a block after it has closed.
    "nested": f'<div class="admonition"><p>n</p><h3 id="n">N</h3>{_BLOCK}</div>{_BLOCK}<p>z</p>',
    "inline code": '<p>Lancer <code class="highlight"><span class="nb">echo</span>'
    '<span class="w">  </span><span class="s">x</span></code> puis</p>',
    "line numbers in a table": '<table class="highlighttable"><tr><td class="linenos">'
    '<div class="linenodiv"><pre><span></span><span class="normal">1</span>\n</pre></div></td>'
    f'<td class="code"><div>{_BLOCK}</div></td></tr></table>',
    "line numbers inline": '<pre><span></span><code><span class="linenos">1</span>'
    '<span class="nb">ls</span>\n</code></pre>',
    "other span": '<pre><code><span id="x">a</span> <span class="k">b</span></code></pre>',
    "linenodiv span": '<pre><code><span class="linenodiv">1</span>b</code></pre>',
    "no block": "<p>Texte <em>seul</em></p>",
}


def _sections(content: str) -> list[tuple]:
    """What Material's search makes of a page's content: its sections."""
    parser = Parser()
    parser.feed(content)
    parser.close()
    return [
        (s.el.tag, s.id, "".join(s.title).strip(), "".join(s.text).strip(), s.is_excluded())
        for s in parser.data
    ]


@pytest.mark.parametrize("content", _CONTENTS.values(), ids=_CONTENTS.keys())
def test_untokenized_indexes_the_same(content: str) -> None:
    assert _sections(search.untokenized(content)) == _sections(content)


def test_untokenized_drops_tokens_and_keeps_blocks_with_other_spans() -> None:
    light = search.untokenized(_CONTENTS["block"])
    assert light == (
        "<h1 id='t'>Titre</h1>\n<p>Avant</p>\n"
        '<div class="language-bash highlight"><pre><code>'
        'echo  "a &amp;&amp; &lt;b&gt;"\nif x\n\n</code></pre></div>\n<p>Après</p>'
    )
    for kept in ("inline code", "other span", "linenodiv span", "no block"):
        assert search.untokenized(_CONTENTS[kept]) == _CONTENTS[kept], kept


def test_untokenized_indexes_every_built_page_the_same(built_site) -> None:
    problems, lightened = [], 0
    for page in sorted(built_site.site.rglob("*.html")):
        article = _ARTICLE.search(page.read_text(encoding="utf-8"))
        if article is None:
            continue
        content = article.group(1)
        light = search.untokenized(content)
        lightened += light != content
        if _sections(light) != _sections(content):
            problems.append(f"{page.relative_to(built_site.site)}: indexed differently")
    assert problems == []
    assert lightened > 0


def _page(content: str) -> SimpleNamespace:
    return SimpleNamespace(content=content, url="a/", file=SimpleNamespace(src_uri="a.md"))


def test_search_hook_gives_the_page_its_content_back() -> None:
    page = _page(_CONTENTS["block"])
    originals: dict[str, tuple[str, str]] = {}
    search.lighten(page, originals)
    assert "<span" not in page.content
    search.restore(page, originals)
    assert page.content == _CONTENTS["block"]
    # Material strips data-search-* attributes from the content it indexes: not touched.
    excluded = _page(f'<div data-search-exclude="">{_BLOCK}</div>')
    search.lighten(excluded, originals)
    assert excluded.content == f'<div data-search-exclude="">{_BLOCK}</div>'


def test_search_hook_refuses_a_content_changed_while_indexed() -> None:
    page = _page(_CONTENTS["block"])
    originals: dict[str, tuple[str, str]] = {}
    search.lighten(page, originals)
    page.content += "<p>ajout</p>"
    with pytest.raises(PluginError, match=r"docs/a\.md: its content changed while Material"):
        search.restore(page, originals)
