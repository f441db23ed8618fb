"""hooks/search.py: one search index per language, and the pages that point at it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import ROOT, build_site

DATA = ROOT / "tests" / "data" / "search"

_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)


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
    assert built.returncode == 0, built.output
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
        "en": ["scripts", "deployments", "epiphany"],
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
