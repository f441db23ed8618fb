"""What readers get besides the text: descriptions, 404 pages, sitemap, print pages, dates.

Fast checks on the built site (no browser), plus the hooks' units: the
description taken from a page's first paragraph (hooks/meta.py), the last
update date from git, with the build date when a shallow clone cannot tell
(publishing.dates), the server's 404 page per language (publishing.serve).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, Build, build_problems, build_site, soup_of

from publishing.dates import BuildDates, Revision, last_revision, render_date
from publishing.meta import MAX_LENGTH, derive_description
from publishing.serve import serve
from publishing.typography import french_spaces

BAD_SITE = Path(__file__).parent / "data" / "readers" / "bad-site"
LANGUAGES = ("fr", "en")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE_URL = "https://example.org/livre/"
BUILD_NOTE = {
    "fr": "(date de la construction : historique indisponible)",
    "en": "(date of the build: history not available)",
}


def language_of(site: Path, page: Path) -> str:
    """Return the language a built page is in, from where it lives."""
    return "en" if page.relative_to(site).parts[0] == "en" else "fr"


def book_pages(site: Path) -> list[Path]:
    """Return every page of the site, both languages, the print pages too, not the 404 pages."""
    return sorted(p for p in site.rglob("index.html") if p.parent.name not in ("assets", "search"))


def counterpart(site: Path, page: Path) -> Path:
    """Return the same page in the other language."""
    relative = page.relative_to(site)
    if relative.parts[0] == "en":
        return site.joinpath(*relative.parts[1:])
    return site / "en" / relative


def nav_pages(site: Path, language: str) -> list[Path]:
    """Return the pages of a language in the nav's order, without the print page."""
    home = site / ("en" if language == "en" else "") / "index.html"
    links = soup_of(home).select("nav.md-nav--primary a.md-nav__link[href]")
    pages = []
    for link in links:
        target = (home.parent / link["href"].split("#")[0]).resolve() / "index.html"
        if target.is_file() and target not in pages and target.parent.name != "print":
            pages.append(target)
    return pages


# Descriptions --------------------------------------------------------------


def description_problems(site: Path, pages: list[Path]) -> list[str]:
    """Check each page's description: present, shared with og:description, its own language's."""
    problems = []
    for page in pages:
        name = page.relative_to(site).as_posix()
        soup = soup_of(page)
        meta = soup.select_one('head meta[name="description"]')
        description = meta.get("content", "").strip() if meta else ""
        og = soup.select_one('head meta[property="og:description"]')
        other_page = counterpart(site, page)
        other = (
            soup_of(other_page).select_one('head meta[name="description"]')
            if other_page.is_file()
            else None
        )
        if not description:
            problems.append(f"{name}: no meta description")
            continue
        if og is None or og.get("content") != description:
            problems.append(f"{name}: og:description differs from the description")
        # An untranslated page shows the French text under /en/: its French description is right.
        untranslated = any(
            soup_of(p).select_one(".translation-missing") is not None
            for p in (page, other_page)
            if p.is_file()
        )
        if other is not None and other.get("content") == description and not untranslated:
            problems.append(f"{name}: same description as the other language's page")
        if len(description) > MAX_LENGTH:
            problems.append(f"{name}: description of {len(description)} characters")
        text = " ".join(soup.select_one("article").get_text(" ").split())
        words = description.rstrip("…").split()[:6]
        if " ".join(words) not in text and description not in _front_matter_descriptions():
            problems.append(f"{name}: description {description!r} is not from the page")
    return problems


def test_meta_every_page_has_a_description_in_its_language(built_site: Build) -> None:
    pages = book_pages(built_site.site)
    assert len(pages) >= 10, pages
    assert description_problems(built_site.site, pages) == []


def test_meta_description_problems_of_a_bad_site() -> None:
    pages = [p for p in book_pages(BAD_SITE) if p.parent.name != "print"]
    assert description_problems(BAD_SITE, pages) == [
        "en/index.html: same description as the other language's page",
        "en/page/index.html: og:description differs from the description",
        "en/page/index.html: description 'Written somewhere else entirely.' is not from the page",
        "index.html: same description as the other language's page",
        "page/index.html: no meta description",
    ]


def _front_matter_descriptions() -> set[str]:
    """Return the descriptions written in the sources' front matter, and with French typography."""
    found = set()
    for source in (ROOT / "docs").rglob("*.md"):
        for line in source.read_text(encoding="utf-8").splitlines()[:10]:
            if line.startswith("description:"):
                written = line.removeprefix("description:").strip()
                found |= {written, french_spaces(written)}
    return found


def test_meta_description_of_the_authors_section_comes_from_its_first_paragraph(
    built_site: Build,
) -> None:
    page = built_site.site / "chapitre-3" / "3.1-constat" / "index.html"
    description = soup_of(page).select_one('meta[name="description"]')["content"]
    assert description.startswith("Vous pensiez fuir Kubernetes. Vous avez choisi")
    assert description.endswith("…")


def test_meta_derive_description_cuts_at_a_word() -> None:
    paragraph = "<p>" + " ".join(["mot"] * 100) + "</p>"
    description = derive_description(paragraph)
    assert len(description) <= MAX_LENGTH
    assert description == " ".join(["mot"] * 39) + "…"


def test_meta_derive_description_skips_the_epigraph_and_markup() -> None:
    html = (
        "<h1>Titre</h1><blockquote><p><em>Une citation</em></p></blockquote>"
        '<p>Le <a href="x/">texte</a> &amp; ses\n  « guillemets ».</p>'
    )
    assert derive_description(html) == "Le texte & ses « guillemets »."


def test_meta_derive_description_of_a_page_with_only_a_quote() -> None:
    assert derive_description("<blockquote><p>Seule citation</p></blockquote>") == "Seule citation"


def test_meta_hreflang_alternates_are_full_addresses(built_site: Build) -> None:
    problems = []
    for page in book_pages(built_site.site):
        for link in soup_of(page).select("head link[rel=alternate][hreflang]"):
            if not link["href"].startswith(SITE_URL):
                problems.append(f"{page.relative_to(built_site.site)}: {link['href']}")
    assert problems == []


# 404 pages ------------------------------------------------------------------


def test_notfound_page_in_each_language(built_site: Build) -> None:
    site = built_site.site
    found = {}
    for language, page in (("fr", site / "404.html"), ("en", site / "en" / "404.html")):
        soup = soup_of(page)
        home = soup.select_one("article a[href]")["href"]
        found[language] = (soup.html["lang"], soup.h1.get_text(strip=True), home)
    assert found == {
        "fr": ("fr", "Page introuvable", "/livre/"),
        "en": ("en", "Page not found", "/livre/en/"),
    }


def test_notfound_server_answers_in_the_address_language(built_site: Build) -> None:
    answers = {}
    with serve(built_site.site, "/livre/") as base:
        for path in ("nulle-part/", "chapitre-3/rien/", "en/nowhere/", "en/chapitre-3/none"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(base + path)
            page = BeautifulSoup(error.value.read().decode(), "html.parser")
            answers[path] = (error.value.code, page.html["lang"])
    assert answers == {
        "nulle-part/": (404, "fr"),
        "chapitre-3/rien/": (404, "fr"),
        "en/nowhere/": (404, "en"),
        "en/chapitre-3/none": (404, "en"),
    }


def test_notfound_server_redirects_a_folder_without_its_slash(built_site: Build) -> None:
    answers = {}
    with serve(built_site.site, "/livre/") as base:
        address = urlsplit(base)
        for path in ("/livre", "/livre/en/chapitre-3/3.1-constat", "/livre/sitemap.xml"):
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            connection.request("HEAD", path)
            response = connection.getresponse()
            answers[path] = (response.status, response.getheader("Location"))
            connection.close()
    assert answers == {
        "/livre": (301, "/livre/"),
        "/livre/en/chapitre-3/3.1-constat": (301, "/livre/en/chapitre-3/3.1-constat/"),
        "/livre/sitemap.xml": (200, None),
    }


# Sitemap ---------------------------------------------------------------------


def test_sitemap_lists_both_languages_with_alternates(built_site: Build) -> None:
    site = built_site.site
    tree = ET.parse(site / "sitemap.xml")
    entries = {}
    for url in tree.getroot().iter(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        entries[loc] = (url.findtext(f"{SITEMAP}lastmod"), alternates)
    expected = {}
    for page in book_pages(site):
        relative = page.parent.relative_to(site).as_posix()
        loc = SITE_URL + ("" if relative == "." else relative + "/")
        french = loc.replace(SITE_URL + "en/", SITE_URL)
        english = french.replace(SITE_URL, SITE_URL + "en/", 1)
        time = soup_of(page).select_one(".md-source-file time")
        expected[loc] = (time["datetime"] if time else None, {"fr": french, "en": english})
    assert entries == expected


def test_sitemap_next_to_every_alternate_lists_that_page(built_site: Build) -> None:
    # Material fetches sitemap.xml next to each <link rel=alternate> of a page.
    site = built_site.site
    problems = []
    for page in book_pages(site):
        name = page.relative_to(site).as_posix()
        for link in soup_of(page).select("head link[rel=alternate][hreflang]"):
            folder = site / link["href"].removeprefix(SITE_URL)
            sitemap = folder / "sitemap.xml"
            if not sitemap.is_file():
                problems.append(f"{name}: no {sitemap.relative_to(site)}")
                continue
            locs = {loc.text for loc in ET.parse(sitemap).getroot().iter(f"{SITEMAP}loc")}
            if link["href"] not in locs:
                problems.append(f"{name}: {sitemap.relative_to(site)} does not list {link['href']}")
    assert problems == []


# Print pages -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_print_page_holds_every_page_headings_and_examples(
    built_site: Build, language: str
) -> None:
    site = built_site.site
    printed = soup_of(site / ("en" if language == "en" else "") / "print" / "index.html")
    article = printed.select_one("article")
    printed_headings = [h.get_text(" ", strip=True) for h in article.select("h2, h3, h4, h5, h6")]
    printed_code = {pre.get_text() for pre in article.select("pre")}
    problems = []
    pages = nav_pages(site, language)
    assert len(pages) >= 5, pages
    for page in pages:
        name = page.relative_to(site).as_posix()
        source = soup_of(page).select_one("article")
        for heading in source.select("h1, h2, h3, h4, h5"):
            text = heading.get_text(" ", strip=True)
            if text not in printed_headings:
                problems.append(f"{name}: heading {text!r} missing from the print page")
        for pre in source.select("pre"):
            if pre.get_text() not in printed_code:
                problems.append(f"{name}: code block {pre.get_text()[:40]!r}... missing")
    assert problems == []
    assert len(printed_code) >= 10  # the examples page alone includes ten files


def print_problems(page: Path) -> list[str]:
    """Check a print page: every id once, every link and label to an element of it or a file."""
    soup = soup_of(page)
    ids = [tag["id"] for tag in soup.select("[id]")]
    problems = [
        f"id {i!r} appears {ids.count(i)} times" for i in sorted(set(ids)) if ids.count(i) > 1
    ]
    for link in soup.select("article a[href]"):
        href = link["href"]
        if href.startswith("#") and href[1:] not in ids:
            problems.append(f"link {href} leads to no anchor of the print page")
        elif not href.startswith(("#", "http://", "https://", "mailto:")):
            target = (page.parent / href.split("#")[0]).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                problems.append(f"link {href} leads to no file of the site")
    # A content tab's label names its radio input, whose id has its page's prefix too.
    problems += [
        f"label for {label['for']!r} names no element of the print page"
        for label in soup.select("article label[for]")
        if label["for"] not in ids
    ]
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_print_page_anchors_are_unique_and_links_stay_inside(
    built_site: Build, language: str
) -> None:
    site = built_site.site
    page = site / ("en" if language == "en" else "") / "print" / "index.html"
    sections = soup_of(page).select("article section.livre-print-page")
    assert print_problems(page) == []
    assert len(sections) == len(nav_pages(site, language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_print_page_contents_list_every_page(built_site: Build, language: str) -> None:
    """The print page's table of contents: every page of the book, in order, to its section."""
    site = built_site.site
    printed = soup_of(site / ("en" if language == "en" else "") / "print" / "index.html")
    links = printed.select(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
    sections = printed.select("article section.livre-print-page")
    assert [link["href"] for link in links] == [f"#{section['id']}" for section in sections]
    titles = [nav_title(page) for page in nav_pages(site, language)]
    assert [link.get_text(" ", strip=True) for link in links] == titles


def nav_title(page: Path) -> str:
    """Return a page's title as the nav shows it: "(FR)" after a page not translated yet."""
    soup = soup_of(page)
    title = soup.select_one("article h1").get_text(" ", strip=True).removesuffix("¶").strip()
    return title + " (FR)" if soup.select_one("article .translation-missing") else title


def test_print_page_problems_of_a_bad_page() -> None:
    assert print_problems(BAD_SITE / "print" / "index.html") == [
        "id 'titre' appears 2 times",
        "link #livre-accueil--ailleurs leads to no anchor of the print page",
        "link ../disparue/ leads to no file of the site",
        "label for '__tabbed_1_1' names no element of the print page",
    ]


def test_print_page_is_out_of_search(built_site: Build) -> None:
    text = (built_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"print/' not in text.replace(" ", "")
    assert '"location":"en/print/' not in text.replace(" ", "")


# Last update dates -------------------------------------------------------------


def test_dates_every_page_shows_its_last_update(built_site: Build) -> None:
    site = built_site.site
    problems = []
    for page in book_pages(site):
        fact = soup_of(page).select_one(".md-source-file time[datetime]")
        if fact is None:
            problems.append(f"{page.relative_to(site)}: no last update date")
    assert problems == []


def test_dates_of_the_authors_section_come_from_git(built_site: Build) -> None:
    source = ROOT / "docs" / "chapitre-3" / "3.1-constat.md"
    log = _git(ROOT, "log", "-1", "--format=%cs", "--", str(source))
    dirty = _git(ROOT, "status", "--porcelain", "--", str(source))
    shallow = _git(ROOT, "rev-parse", "--is-shallow-repository") == "true"
    if dirty or shallow or not log:
        pytest.skip("docs/chapitre-3/3.1-constat.md has no usable history in this clone")
    page = built_site.site / "chapitre-3" / "3.1-constat" / "index.html"
    fact = soup_of(page).select_one(".md-source-file__fact")
    assert fact.time["datetime"] == log
    assert "historique" not in fact.get_text()


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git and return its output."""
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
        env={**os.environ, **(env or {})},
    ).stdout.strip()  # fmt: skip


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository: old.md committed on 2024-03-01, new.md on 2025-06-15, a tiny site."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text(
        "site_name: Dates\nsite_url: https://example.org/livre/\n"
        "theme:\n  name: material\n  language: fr\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'dates.py'}\n"
        "nav:\n  - old.md\n  - new.md\n",
        encoding="utf-8",
    )
    _git(repo.parent, "init", "-q", "-b", "main", str(repo))
    for name, date in (("old.md", "2024-03-01T12:00:00"), ("new.md", "2025-06-15T12:00:00")):
        (repo / "docs" / name).write_text(f"# {name}\n\nTexte.\n", encoding="utf-8")
        _git(repo, "add", ".")
        env = {
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
        }  # fmt: skip
        _git(repo, "commit", "-q", "-m", name, env=env)
    return repo


def _clone(history: Path, tmp_path: Path, depth: int | None) -> Path:
    """Clone the history repository, shallow when `depth` is given."""
    clone = tmp_path / "clone"
    options = ["--depth", str(depth)] if depth else []
    _git(tmp_path, "clone", "-q", *options, f"file://{history}", str(clone))
    return clone


def test_dates_full_history(history: Path) -> None:
    build_day = dt.date(2030, 1, 1)
    found = {n: last_revision(history / "docs" / n, build_day) for n in ("old.md", "new.md")}
    assert found == {
        "old.md": Revision(dt.date(2024, 3, 1), from_history=True),
        "new.md": Revision(dt.date(2025, 6, 15), from_history=True),
    }


def test_dates_shallow_clone_uses_the_build_date(history: Path, tmp_path: Path) -> None:
    clone = _clone(history, tmp_path, depth=1)
    build_day = dt.date(2030, 1, 1)
    found = {n: last_revision(clone / "docs" / n, build_day) for n in ("old.md", "new.md")}
    # Depth 1: the only commit is the clone's cut, where every file seems changed.
    assert found == {
        "old.md": Revision(build_day, from_history=False),
        "new.md": Revision(build_day, from_history=False),
    }


def test_dates_shallow_clone_keeps_dates_above_the_cut(history: Path, tmp_path: Path) -> None:
    clone = _clone(history, tmp_path, depth=2)
    (clone / "docs" / "new.md").write_text("# new.md\n\nTexte.\n", encoding="utf-8")
    build_day = dt.date(2030, 1, 1)
    found = {n: last_revision(clone / "docs" / n, build_day) for n in ("old.md", "new.md")}
    assert found == {
        "old.md": Revision(build_day, from_history=False),
        "new.md": Revision(dt.date(2025, 6, 15), from_history=True),
    }


def test_dates_uncommitted_files_use_the_build_date(history: Path, tmp_path: Path) -> None:
    clone = _clone(history, tmp_path, depth=None)
    (clone / "docs" / "draft.md").write_text("# Brouillon\n", encoding="utf-8")
    (clone / "docs" / "old.md").write_text("# old.md\n\nChangé.\n", encoding="utf-8")
    build_day = dt.date(2030, 1, 1)
    found = {n: last_revision(clone / "docs" / n, build_day) for n in ("draft.md", "old.md")}
    assert found == {
        "draft.md": Revision(build_day, from_history=False),
        "old.md": Revision(build_day, from_history=False),
    }


def test_dates_outside_any_repository(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Page\n", encoding="utf-8")
    assert last_revision(page, dt.date(2030, 1, 1)) == Revision(dt.date(2030, 1, 1), False)


def test_dates_of_a_page_from_its_file_its_sources_or_the_build(
    history: Path, tmp_path: Path
) -> None:
    """A generated page has no file: the newest of its sources, or the build, dates it."""
    clone = _clone(history, tmp_path, depth=None)
    (clone / "docs" / "draft.md").write_text("# Brouillon\n", encoding="utf-8")
    build_day = dt.date(2030, 1, 1)
    dates = BuildDates(build_day)
    no_file = Path()
    found = {
        "own file": dates.of_page(None, clone / "docs" / "old.md", clone),
        "sources": dates.of_page(["docs/old.md", "docs/new.md"], no_file, clone),
        "a source not committed": dates.of_page(["docs/new.md", "docs/draft.md"], no_file, clone),
        "build": dates.of_page("build", no_file, clone),
    }
    assert found == {
        "own file": Revision(dt.date(2024, 3, 1), from_history=True),
        "sources": Revision(dt.date(2025, 6, 15), from_history=True),
        "a source not committed": Revision(build_day, from_history=False),
        "build": Revision(build_day, from_history=True),
    }


@pytest.mark.parametrize(
    ("revision", "language", "expected"),
    [
        (
            Revision(dt.date(2024, 3, 1), True),
            "fr",
            '<time datetime="2024-03-01">1er mars 2024</time>',
        ),
        (
            Revision(dt.date(2025, 8, 15), True),
            "en",
            '<time datetime="2025-08-15">August 15, 2025</time>',
        ),
        (
            Revision(dt.date(2030, 1, 2), False),
            "fr",
            '<time datetime="2030-01-02">2 janvier 2030</time> '
            f'<span class="livre-date-note">{BUILD_NOTE["fr"]}</span>',
        ),
        (
            Revision(dt.date(2030, 1, 2), False),
            "en",
            '<time datetime="2030-01-02">January 2, 2030</time> '
            f'<span class="livre-date-note">{BUILD_NOTE["en"]}</span>',
        ),
    ],
    ids=["fr", "en", "fr-build", "en-build"],
)
def test_dates_render_in_the_page_language(
    revision: Revision, language: str, expected: str
) -> None:
    assert render_date(revision, language) == expected


@pytest.mark.parametrize("depth", [None, 1], ids=["full-clone", "shallow-clone"])
def test_dates_built_pages_of_a_clone(history: Path, tmp_path: Path, depth: int | None) -> None:
    clone = _clone(history, tmp_path, depth)
    build = build_site(clone / "mkdocs.yml", tmp_path / "site", cwd=clone)
    assert build_problems(build) == []
    today = dt.date.today()
    shown = {}
    for name in ("old", "new"):
        fact = soup_of(build.site / name / "index.html").select_one(".md-source-file__fact")
        note = fact.select_one(".livre-date-note")
        shown[name] = (fact.time["datetime"], note.get_text() if note else None)
    if depth is None:
        assert shown == {"old": ("2024-03-01", None), "new": ("2025-06-15", None)}
    else:
        build_date = (today.isoformat(), BUILD_NOTE["fr"])
        assert shown == {"old": build_date, "new": build_date}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_print_page_shows_its_newest_page(built_site: Build, language: str) -> None:
    site = built_site.site
    printed = site / ("en" if language == "en" else "") / "print" / "index.html"
    dates = [
        soup_of(p).select_one(".md-source-file time")["datetime"] for p in nav_pages(site, language)
    ]
    assert soup_of(printed).select_one(".md-source-file time")["datetime"] == max(dates)


def _planned_pages() -> list[str]:
    """Return the built folders of the sections hooks/outline.yml plans, in both languages."""
    outline = yaml.safe_load((ROOT / "hooks" / "outline.yml").read_text(encoding="utf-8"))
    folders = [uri.removesuffix(".md") for uri in outline["planned"] or {}]
    return [*folders, *(f"en/{folder}" for folder in folders)]


@pytest.mark.parametrize("kind", ["print", "traductions", "planned"])
def test_dates_generated_pages_show_no_history_note(built_site: Build, kind: str) -> None:
    """A page made by the build dates itself from its sources, or the build: no note."""
    pages = _planned_pages() if kind == "planned" else [kind, f"en/{kind}"]
    if kind == "planned" and _git(ROOT, "status", "--porcelain", "--", "hooks/outline.yml"):
        pytest.skip("hooks/outline.yml has changes not committed: its date is the build's")
    facts = {
        page: soup_of(built_site.site / page / "index.html").select_one(".md-source-file__fact")
        for page in pages
    }
    assert {
        page: (f.time is not None, f.select(".livre-date-note")) for page, f in facts.items()
    } == {page: (True, []) for page in pages}
