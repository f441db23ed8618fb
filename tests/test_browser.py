"""The site as readers get it: headless Chromium over the built site.

The site is built with its address set to a local server that serves it under
site_url's path (/livre/), as its real host does, so the absolute addresses of
the pages (hreflang alternates, sitemap) point at that server. One browser per
session; every request goes through a route that lets only the local server
through and records anything else.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import playwright.sync_api as playwright_sync
import pytest
import yaml
from conftest import ROOT, build_site

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "/livre/"
ENGLISH = "en/"


@dataclass
class Site:
    """The built site, served on 127.0.0.1 under /livre/."""

    root: Path
    base: str
    pages: list[str] = field(default_factory=list)

    def url(self, page: str) -> str:
        return self.base + page


class _Handler(SimpleHTTPRequestHandler):
    """Serve the site only under PREFIX, as its host does; 404 elsewhere."""

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Start the server, then build the site for its address into what it serves."""
    root = tmp_path_factory.mktemp("browser") / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITE_URL", base)
        build = build_site(ROOT / "mkdocs.yml", root)
    if build.returncode != 0:
        pytest.skip("the strict build failed: see tests/test_site.py::test_build_strict_passes")
    pages = sorted(
        str(p.parent.relative_to(root)) + "/" for p in root.rglob("index.html") if p.parent != root
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(root, base, ["", *pages])
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Visit:
    """A browser tab on the site and what went wrong while it was open."""

    page: object
    problems: list[str]


@pytest.fixture
def tab(browser, site: Site) -> Iterator[Visit]:
    """A fresh context; requests to other hosts aborted and recorded, errors recorded.

    The context, not the page, routes and listens: it also sees the requests of
    the search worker.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    origin = site.base[: -len(PREFIX) + 1]

    def route(route) -> None:
        url = route.request.url
        if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            problems.append(f"request to another host: {url}")
            route.abort()

    context.route("**/*", route)
    context.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    context.on("weberror", lambda e: problems.append(f"page error: {e.error}"))
    context.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    context.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
    )
    yield Visit(context.new_page(), problems)
    context.close()


def _open(visit: Visit, url: str, *, idle: bool = True) -> None:
    """Load `url`; with `idle`, also wait for what Material fetches after load."""
    visit.page.goto(url, wait_until="networkidle" if idle else "load")


def _counterpart(page: str) -> str:
    """Return the same page in the other language."""
    return page[len(ENGLISH) :] if page.startswith(ENGLISH) else ENGLISH + page


def test_pages_load_without_error_or_other_host(tab: Visit, site: Site) -> None:
    problems = []
    for page in site.pages:
        _open(tab, site.url(page))
        problems += [f"{page or '/'}: {p}" for p in tab.problems]
        tab.problems.clear()
    assert problems == []


def test_pages_load_records_other_hosts_and_errors(tab: Visit, site: Site) -> None:
    """The recorder the other tests rely on sees what it must refuse."""
    _open(tab, site.url(""))
    tab.page.evaluate("fetch('https://example.org/x').catch(() => {})")
    tab.page.evaluate("fetch('missing.json').catch(() => {})")
    tab.page.wait_for_timeout(300)
    assert [p for p in tab.problems if not p.startswith("console:")] == [
        "request to another host: https://example.org/x",
        "failed: https://example.org/x net::ERR_FAILED",
        f"HTTP 404: {site.url('missing.json')}",
    ]


def test_language_switcher_keeps_the_page(tab: Visit, site: Site) -> None:
    """Every page's switcher leads to the same page in the other language.

    On every page the switcher's link must name the counterpart; on the first
    page of each language, the reader's gesture itself (hover, click) must get there.
    """
    problems = []
    clicked: set[str] = set()
    for page in site.pages:
        _open(tab, site.url(page), idle=False)
        target = site.url(_counterpart(page))
        hreflang = "fr" if page.startswith(ENGLISH) else "en"
        link = f".md-header .md-select a.md-select__link[hreflang={hreflang}]"
        href = tab.page.eval_on_selector(link, "a => a.href")
        if href != target:
            problems.append(f"{page or '/'}: switcher links to {href}, not {target}")
        elif hreflang not in clicked:
            clicked.add(hreflang)
            tab.page.hover(".md-header .md-select")
            tab.page.click(link)
            try:
                tab.page.wait_for_url(target, timeout=5000)
            except playwright_sync.TimeoutError:
                problems.append(f"{page or '/'}: switcher led to {tab.page.url}, not {target}")
    assert (problems, clicked) == ([], {"fr", "en"})


def _search(visit: Visit, site: Site, page: str, query: str) -> list[str]:
    """Type `query` in the search box of `page`; return the result pages' paths."""
    _open(visit, site.url(page))
    visit.page.click(".md-search__input")
    placeholder = visit.page.text_content(".md-search-result__meta")
    visit.page.type("input.md-search__input", query, delay=10)
    visit.page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent !== p", arg=placeholder
    )
    visit.page.wait_for_timeout(200)
    hrefs = visit.page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"
    )
    return sorted({h.split("#")[0].split("?")[0].removeprefix(site.base) for h in hrefs})


@pytest.mark.parametrize(
    ("page", "query", "expected"),
    [
        ("", "deploiement", "chapitre-3/3.1-constat/"),
        ("chapitre-3/", "déploiements", "chapitre-3/3.1-constat/"),
        ("chapitre-3/3.1-constat/", "illumination", "chapitre-3/3.1-constat/"),
        ("", "orchestration", "chapitre-3/3.1-constat/"),
        ("en/", "deployment", "en/chapitre-3/3.1-constat/"),
        ("en/chapitre-3/", "awakening", "en/chapitre-3/3.1-constat/"),
        ("en/", "scripts", "en/chapitre-3/exemples/"),
        # French words only: the English index has no French page to offer.
        ("en/", "illumination", None),
        ("en/chapitre-3/3.1-constat/", "bricoleur", None),
    ],
)
def test_search_finds_pages_of_its_language_only(
    tab: Visit, site: Site, page: str, query: str, expected: str | None
) -> None:
    found = _search(tab, site, page, query)
    english = page.startswith(ENGLISH)
    other = [f for f in found if f.startswith(ENGLISH) != english]
    if expected is None:
        assert found == []
    else:
        assert (expected in found, other) == (True, []), found


def test_typography_french_page_only(tab: Visit, site: Site) -> None:
    texts = {}
    for page in ("chapitre-3/3.1-constat/", "en/chapitre-3/3.1-constat/"):
        _open(tab, site.url(page), idle=False)
        codes = tab.page.eval_on_selector_all("article code", "es => es.map(e => e.textContent)")
        texts[page] = (tab.page.inner_text("article"), "".join(codes))
    text, code = texts["chapitre-3/3.1-constat/"]
    english, _ = texts["en/chapitre-3/3.1-constat/"]
    assert ("\u202f?" in text, "\u00a0:" in text, "\u202f" in code, "\u202f" in english) == (
        True,
        True,
        False,
        False,
    )


_AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n =>"
    " [n.target.join(' '), (n.any[0] || n.all[0] || {message: ''}).message])}))"
)
_SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"
# The palette toggle readers click in the header (the label of the palette not shown).
_TOGGLE = "form[data-md-component=palette] label:not([hidden])"


def test_axe_finds_no_serious_violation(tab: Visit, site: Site) -> None:
    """Both palettes of every page, switched with the header's toggle as a reader does.

    Each page loads once: checked in the palette it opens with, then in the
    other one, after the toggle (Material remembers the choice for the next page).
    """
    problems = []
    for page in [*site.pages, "404.html", "en/404.html"]:
        _open(tab, site.url(page), idle=False)
        tab.page.add_script_tag(path=str(AXE))
        schemes = []
        for _ in range(2):
            schemes.append(tab.page.evaluate(_SCHEME))
            problems += [
                f"{page or '/'} ({schemes[-1]}): {v['id']} ({v['impact']}) at {target}: {message}"
                for v in tab.page.evaluate(_AXE_RUN)
                if v["impact"] in ("serious", "critical")
                for target, message in v["nodes"][:3]
            ]
            tab.page.click(_TOGGLE)
            tab.page.wait_for_function(f"s => ({_SCHEME})() !== s", arg=schemes[-1])
        if sorted(schemes) != ["default", "slate"]:
            problems.append(f"{page or '/'}: palettes checked {schemes}, not default and slate")
    assert problems == []


def test_keyboard_reaches_switcher_search_and_toc(tab: Visit, site: Site) -> None:
    _open(tab, site.url("chapitre-3/3.1-constat/"), idle=False)
    reached = set()
    for _ in range(120):
        tab.page.keyboard.press("Tab")
        reached.add(
            tab.page.evaluate(
                """() => {
                  const e = document.activeElement;
                  if (e.closest('.md-select')) return 'switcher';
                  if (e.matches('.md-search__input')) return 'search';
                  if (e.closest('.md-nav--secondary')) return 'toc';
                  return '';
                }"""
            )
        )
    assert reached >= {"switcher", "search", "toc"}, reached


def test_mobile_navigation_reaches_3_1(browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(site.url(""))
    page.click("label.md-header__button[for=__drawer]")
    link = page.locator(".md-nav--primary a.md-nav__link", has_text="3.1").first
    if not link.is_visible():
        page.locator(".md-nav--primary label.md-nav__link", has_text="Chapitre 3").first.click(
            timeout=5000
        )
    link.click(timeout=5000)
    page.wait_for_load_state("load")
    url = page.url
    context.close()
    assert url == site.url("chapitre-3/3.1-constat/")


@pytest.fixture(scope="session")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site built for its published address, served from another (a pull request preview)."""
    root = tmp_path_factory.mktemp("preview") / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITE_URL", "https://example.org/livre/")
        build = build_site(ROOT / "mkdocs.yml", root)
    if build.returncode != 0:
        pytest.skip("the strict build failed: see tests/test_site.py::test_build_strict_passes")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(root, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}")
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("page", "hreflang", "target"),
    [
        ("chapitre-3/3.1-constat/", "en", "en/chapitre-3/3.1-constat/"),
        ("en/", "fr", ""),
    ],
)
def test_preview_language_switcher_asks_nothing_of_the_published_site(
    browser, preview: Site, page: str, hreflang: str, target: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    other_hosts: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith(preview.base.removesuffix(PREFIX)):
            route.continue_()
        else:
            other_hosts.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    try:
        tab.goto(preview.url(page), wait_until="networkidle")
        tab.hover(".md-header .md-select")
        tab.click(f".md-select a.md-select__link[hreflang={hreflang}]")
        tab.wait_for_url(preview.url(target), timeout=5000)
        tab.wait_for_load_state("networkidle")
        alternates = tab.eval_on_selector_all(
            'link[rel="alternate"][hreflang]', "links => links.map(l => l.href)"
        )
    finally:
        context.close()
    assert (other_hosts, [a.startswith(preview.base) for a in alternates]) == ([], [True, True])


def test_verification_marks_show_in_the_page_language(tab: Visit, site: Site) -> None:
    """Each example on the examples page has a visible mark, in the page's language."""
    texts = yaml.safe_load((ROOT / "hooks" / "texts.yml").read_text(encoding="utf-8"))
    texts = texts["verification"]
    problems = []
    for language, page in (("fr", "chapitre-3/exemples/"), ("en", "en/chapitre-3/exemples/")):
        _open(tab, site.url(page), idle=False)
        marks = tab.page.eval_on_selector_all(
            "article p.livre-verified",
            "ps => ps.map(p => [p.dataset.example, p.dataset.status, p.innerText,"
            " p.getClientRects().length > 0])",
        )
        if not any(visible for *_, visible in marks):
            problems.append(f"{page}: no mark a reader can see")
        for example, status, text, _ in marks:
            start = texts[language][status].split("{")[0].strip()
            if not text.strip().startswith(start):
                problems.append(f"{page}: {example}: {text.strip()!r} does not start {start!r}")
    assert problems == []
