"""The site: strict build, faithful rendering, both languages, nothing from other hosts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT, Build, build_problems, build_site, soup_of
from test_examples_kubernetes import tabbed_sets

from publishing.markdown import separate_lists

DATA = Path(__file__).parent / "data" / "site"
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
SITE_URL = "https://example.org/livre/"

FRENCH_SOURCES = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md"))
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6}\s")
ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
STRONG = re.compile(r"\*\*[^*\n]+\*\*")
# Where a page may load something from: tag, attribute.
RESOURCES = [
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
]


def built_page(site: Path, src_uri: str, language: str) -> Path:
    """Return the built HTML file of a source page (as `chapitre-3/3.1-constat.md`)."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/README") or stem.endswith("/index"):
        html = Path(stem).parent / "index.html"
    else:
        html = Path(stem) / "index.html"
    return site / ("en" if language == "en" else "") / html


def content(page: Path) -> BeautifulSoup:
    """Return the article of a built page: the text, without the theme around it."""
    soup = soup_of(page)
    article = soup.select_one("article.md-content__inner")
    assert article is not None, f"{page}: no article"
    return article


def markdown_counts(markdown: str) -> dict[str, int]:
    """Count the headings, list items, quotes, code blocks and bold spans of a Markdown text."""
    counts = dict.fromkeys(["headings", "list items", "quotes", "code blocks", "bold"], 0)
    fence = ""
    previous = ""
    for line in markdown.split("\n"):
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            counts["code blocks"] += 1
        elif HEADING.match(line):
            counts["headings"] += 1
        elif ITEM.match(line):
            counts["list items"] += 1
        if line.lstrip().startswith(">") and not previous.lstrip().startswith(">"):
            counts["quotes"] += 1
        counts["bold"] += len(STRONG.findall(re.sub(r"`[^`]*`", "", line)))
        previous = line
    return counts


def html_counts(article: BeautifulSoup) -> dict[str, int]:
    """Count the same elements in a rendered article."""
    return {
        "headings": len(article.select("h1, h2, h3, h4, h5, h6")),
        "list items": len(article.select("li")),
        "quotes": len(article.select("blockquote")),
        "code blocks": len(article.select("pre")),
        "bold": len(article.select("strong")),
    }


def strip_front_matter(text: str) -> str:
    """Return a Markdown source without its YAML front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def html_pages(site: Path) -> list[Path]:
    """Return every built HTML page but the 404s."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def build_with_page(project: Path, fixture: str) -> Build:
    """Add a fixture page to the copy's docs and nav, then build it strictly."""
    shutil.copy(DATA / fixture, project / "docs" / fixture)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"  - {fixture}\n")
    return build_site(project / "mkdocs.yml", project / "site", cwd=project)


# The build.


def test_build_strict_passes(site_build: Build) -> None:
    assert build_problems(site_build) == []
    assert site_build.returncode == 0, site_build.output


def test_config_serve_watches_examples_and_hooks() -> None:
    # Snippets come from examples/ and hooks read data files beside them:
    # editing either must reload `make serve`, like editing docs/.
    assert CONFIG["watch"] == ["examples", "hooks"]


def test_config_fails_on_links_anchors_and_nav() -> None:
    assert CONFIG["strict"] == "true"
    assert CONFIG["validation"] == {
        "nav": {"omitted_files": "warn", "not_found": "warn", "absolute_links": "warn"},
        "links": {
            "not_found": "warn",
            "anchors": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
        },
    }


@pytest.mark.parametrize(
    ("fixture", "messages"),
    [
        (
            "broken-link.md",
            [
                "WARNING -  docs/broken-link.md:3: link 'chapitre-3/nowhere.md' leads to no page "
                "of docs/: fix the path (relative to this page), or plan the section in "
                "hooks/outline.yml"
            ],
        ),
        (
            "broken-anchor.md",
            [
                "WARNING -  docs/broken-anchor.md:3: link 'index.md#nowhere': docs/index.md has "
                "no heading or element with the anchor #nowhere; fix the link, or, if that "
                "heading was renamed, keep its old anchor with { #nowhere } at the end of it"
            ],
        ),
        (
            "broken-image.md",
            [
                "WARNING -  docs/broken-image.md:5: link 'schema.png' leads to no file of docs/: "
                "fix the path (relative to this page), or add the file to docs/"
            ],
        ),
        (
            "missing-snippet.md",
            [
                "WARNING -  hooks/snippets: docs/missing-snippet.md:9: snippet "
                "'examples/chapitre-3/scripts/nowhere.sh' not found; paths are relative to ",
            ],
        ),
        (
            "unplanned-section.md",
            [
                "WARNING -  docs/unplanned-section.md:3: link 'chapitre-3/3.9-nowhere.md' leads "
                "to no page of docs/: fix the path (relative to this page), or plan the section "
                "in hooks/outline.yml"
            ],
        ),
        (
            "bad-front-matter.md",
            [
                "WARNING -  hooks/messages: docs/bad-front-matter.md:4: front matter is not valid "
                "YAML (expected ',' or ']', but got ':'); write `key: value` lines between the "
                "two --- lines, quoting a value that holds ': ' or starts with [ { * &"
            ],
        ),
        (
            "not-utf8.md",
            [
                "ERROR   -  docs/not-utf8.md:3: byte 0xe9 (column 4) is not UTF-8: save the file "
                "as UTF-8 (in most editors: Save with encoding, UTF-8)"
            ],
        ),
    ],
    ids=str,
)
def test_build_bad_page_fails_naming_file_and_line(
    project: Path, fixture: str, messages: list[str]
):
    """One mistake, one message with its file and line (once, not once per language)."""
    build = build_with_page(project, fixture)
    assert build.returncode == 1
    assert "Traceback" not in build.output
    said = [line for line in build.output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert [line[: len(m)] for line, m in zip(said, messages, strict=False)] == messages
    assert len(said) == len(messages), build.output
    assert "Aborted with" in build.output


def test_build_good_fixture_page_passes(project: Path) -> None:
    build = build_with_page(project, "good.md")
    assert build_problems(build) == []


# The outline of planned sections.

PLANNED = "chapitre-3/3.9-prevue.md"


def plan_section(project: Path, titles: dict[str, str], written: bool = False) -> Build:
    """Plan a fixture section in the copy's outline and nav (optionally write it), then build."""
    outline_path = project / "hooks" / "outline.yml"
    outline = yaml.safe_load(outline_path.read_text(encoding="utf-8"))
    outline["planned"] = {**(outline["planned"] or {}), PLANNED: titles}
    outline_path.write_text(yaml.safe_dump(outline, allow_unicode=True), encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"  - {PLANNED}\n")
    if written:
        (project / "docs" / PLANNED).write_text("# 3.9 Écrite\n", encoding="utf-8")
    return build_site(project / "mkdocs.yml", project / "site", cwd=project)


def test_outline_real_planned_sections_have_pages(built_site: Build) -> None:
    outline = yaml.safe_load((ROOT / "hooks" / "outline.yml").read_text(encoding="utf-8"))
    missing = [
        f"{src_uri} ({language})"
        for src_uri in outline["planned"] or {}
        for language in ("fr", "en")
        if not built_page(built_site.site, src_uri, language).exists()
    ]
    assert missing == []


def test_outline_planned_section_has_page_in_both_languages(project: Path) -> None:
    build = plan_section(project, {"fr": "3.9 Prévue", "en": "3.9 Planned"})
    assert build_problems(build) == []
    french = content(built_page(build.site, PLANNED, "fr"))
    english = content(built_page(build.site, PLANNED, "en"))
    assert french.h1.get_text(strip=True).removesuffix("¶") == "3.9 Prévue"
    assert "En cours d'écriture" in french.get_text()
    assert english.h1.get_text(strip=True).removesuffix("¶") == "3.9 Planned"
    assert "In progress" in english.get_text()


def test_outline_written_section_still_planned_warns(project: Path) -> None:
    build = plan_section(project, {"fr": "3.9 Prévue", "en": "3.9 Planned"}, written=True)
    assert build.returncode == 1
    assert (
        f"WARNING -  hooks/outline: hooks/outline.yml: {PLANNED} is written now "
        f"(docs/{PLANNED}); remove it from 'planned'"
    ) in build.output


def test_outline_missing_title_is_clear_error(project: Path) -> None:
    build = plan_section(project, {"fr": "3.9 Prévue"})
    assert build.returncode == 1
    assert "Traceback" not in build.output
    assert f"hooks/outline.yml: {PLANNED} needs a title for each of en, fr" in build.output


# The contents: the home page and each chapter's overview list its sections.

SECTION = re.compile(r"^(chapitre-[\w-]+)/\d+(?:\.\d+)+-[\w-]+\.md$")


def nav_sources(nav: list) -> list[str]:
    """Return every page of a nav (as mkdocs.yml writes it), in order."""
    found = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_sources(value) if isinstance(value, list) else [value]
    return found


def contents_problems(docs: Path, nav: list, store: Path) -> list[str]:
    """Name each section of the nav missing from the contents that should list it.

    The English contents are checked while they are up to date: once the French
    changed, they are the translator's to bring in step (make i18n-status).
    """
    from test_translations import i18n

    problems = []
    for src_uri in nav_sources(nav):
        section = SECTION.match(src_uri)
        if not section:
            continue
        for page, target in (
            (docs / "index.md", src_uri),
            (docs / section.group(1) / "README.md", src_uri.split("/", 1)[1]),
        ):
            english = i18n.english_of(page)
            pages = [page]
            if english.is_file() and i18n.page_status(page, docs, store).state == "up to date":
                pages.append(english)
            problems += [
                f"{p.relative_to(docs.parent).as_posix()}:1: {src_uri} is in the nav but not "
                f"listed here: add a line linking to ({target}) (make new-section does it)"
                for p in pages
                if p.is_file() and f"]({target})" not in p.read_text(encoding="utf-8")
            ]
    return problems


def test_contents_list_every_section_of_the_nav() -> None:
    assert contents_problems(DOCS, CONFIG["nav"], ROOT / "translations") == []


def test_contents_section_missing_is_named(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "chapitre-9").mkdir(parents=True)
    (docs / "index.md").write_text("- [9.1 Un](chapitre-9/9.1-un.md)\n", encoding="utf-8")
    (docs / "chapitre-9" / "README.md").write_text("| [9.2](9.2-deux.md) |\n", encoding="utf-8")
    nav = ["index.md", {"Chapitre 9": ["chapitre-9/9.1-un.md", "chapitre-9/9.2-deux.md"]}]
    assert contents_problems(docs, nav, tmp_path / "translations") == [
        "docs/chapitre-9/README.md:1: chapitre-9/9.1-un.md is in the nav but not listed here: "
        "add a line linking to (9.1-un.md) (make new-section does it)",
        "docs/index.md:1: chapitre-9/9.2-deux.md is in the nav but not listed here: add a line "
        "linking to (chapitre-9/9.2-deux.md) (make new-section does it)",
    ]


# Rendering: everything the author wrote is on the page, in both languages.


def test_lists_under_paragraph_become_lists() -> None:
    assert separate_lists("Intro :\n- a\n- b\nSuite") == "Intro :\n\n- a\n- b\nSuite"


def test_lists_inside_fence_untouched() -> None:
    markdown = "```text\nligne\n- pas une liste\n```\nTexte\n1. un"
    assert separate_lists(markdown) == "```text\nligne\n- pas une liste\n```\nTexte\n\n1. un"


def test_lists_nested_and_separated_untouched() -> None:
    markdown = "Texte\n\n- a\n    - b\n- c\ncontinuation\n- d"
    assert separate_lists(markdown) == markdown


@pytest.mark.parametrize("source", FRENCH_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_rendering_french_page_has_every_element(built_site: Build, source: Path) -> None:
    src_uri = source.relative_to(DOCS).as_posix()
    expected = markdown_counts(strip_front_matter(source.read_text(encoding="utf-8")))
    french = html_counts(content(built_page(built_site.site, src_uri, "fr")))
    english = html_counts(content(built_page(built_site.site, src_uri, "en")))
    problems = [
        f"{source.relative_to(ROOT)}: {kind} (Markdown has {count}, {language} page has "
        f"{rendered[kind]})"
        for kind, count in expected.items()
        for language, rendered in (("French", french), ("English", english))
        if rendered[kind] != count
    ]
    assert problems == []


def test_rendering_constat_quotes_bold_and_code(built_site: Build) -> None:
    # The French page's straight quotes become French ones (hooks/typography.py).
    for language, quote in (("fr", "«\u202f"), ("en", '"')):
        article = content(built_page(built_site.site, "chapitre-3/3.1-constat.md", language))
        epigraph = article.select_one("blockquote em")
        assert epigraph is not None and epigraph.get_text().startswith(quote)
        closing = article.select("hr + p > em")
        assert closing and closing[-1].get_text().startswith(quote)
        code = article.select_one("div.language-bash.highlight pre code")
        assert code is not None and code.select("span.c1"), "bash block not highlighted"
        assert "deploy.sh" in code.get_text()
        headings = article.select("h1, h2, h3, h4, h5, h6")
        assert all(h.select_one("a.headerlink") for h in headings), "heading without permalink"


def test_rendering_copy_button_enabled(built_site: Build) -> None:
    page = soup_of(built_site.site / "index.html")
    config = json.loads(page.select_one("script#__config").string)
    assert "content.code.copy" in config["features"]


# Languages: lang, hreflang, the switcher, the edit link.


def page_pairs(site: Path) -> list[tuple[Path, Path]]:
    """Pair each French page with its English one."""
    french = [p for p in html_pages(site) if p.relative_to(site).parts[0] != "en"]
    return [(p, site / "en" / p.relative_to(site)) for p in french]


def absolute(page: Path, site: Path, href: str) -> str:
    """Resolve a link found on a built page to a path under the site's root."""
    url = urljoin(SITE_URL + page.relative_to(site).as_posix(), href)
    return urlsplit(url).path


def test_languages_every_page_has_both(built_site: Build) -> None:
    missing = [str(en) for _, en in page_pairs(built_site.site) if not en.exists()]
    assert missing == []


def test_languages_lang_hreflang_and_switcher(built_site: Build) -> None:
    site = built_site.site
    problems = []
    for french, english in page_pairs(site):
        urls = {
            "fr": absolute(french, site, "./"),
            "en": absolute(english, site, "./"),
        }
        for language, page in (("fr", french), ("en", english)):
            name = page.relative_to(site)
            soup = soup_of(page)
            if soup.html.get("lang") != language:
                problems.append(f"{name}: <html lang={soup.html.get('lang')!r}>, not {language}")
            for selector, what in (
                ("head link[rel=alternate][hreflang]", "hreflang alternate"),
                (".md-select a[hreflang]", "language switcher"),
            ):
                found = {
                    a["hreflang"]: absolute(page, site, a["href"]) for a in soup.select(selector)
                }
                if found != urls:
                    problems.append(f"{name}: {what} {found} instead of {urls}")
    assert problems == []


def test_languages_edit_link_opens_own_source(built_site: Build) -> None:
    site = built_site.site
    problems = []
    for source in FRENCH_SOURCES:
        src_uri = source.relative_to(DOCS).as_posix()
        english = src_uri.removesuffix(".md") + ".en.md"
        for language, expected in (("fr", src_uri), ("en", english)):
            page = built_page(site, src_uri, language)
            edit = soup_of(page).select_one("a.md-content__button[href*='/edit/']")
            target = edit["href"] if edit else None
            if not (DOCS / expected).exists():
                continue  # an untranslated page edits the French file it shows
            if target is None or not target.endswith(f"/docs/{expected}"):
                problems.append(
                    f"{page.relative_to(site)}: edit link {target}, not docs/{expected}"
                )
    assert problems == []


# Nothing is loaded from another host.


def test_assets_no_request_to_other_hosts(built_site: Build) -> None:
    site = built_site.site
    own = urlsplit(SITE_URL).netloc
    problems = []
    for page in html_pages(site):
        soup = soup_of(page)
        urls = [tag[attribute] for tag, attribute in _resources(soup)]
        urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", page.read_text(encoding="utf-8"))
        problems += [
            f"{page.relative_to(site)}: loads {url}"
            for url in urls
            if urlsplit(urljoin(SITE_URL, url)).netloc not in ("", own)
        ]
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        problems += [
            f"{sheet.relative_to(site)}: loads {url}"
            for url in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])(https?:)?//([^'\")]+)", text)
        ]
    assert problems == []


def _resources(soup: BeautifulSoup):
    """Yield (tag, attribute) for everything a browser fetches while loading the page."""
    for name, attribute in RESOURCES:
        for tag in soup.find_all(name):
            if tag.get(attribute):
                yield tag, attribute
    for tag in soup.find_all("link", href=True):
        # Links to other pages (canonical, alternates) are not fetched.
        if not {"canonical", "alternate", "next", "prev"} & set(tag.get("rel", [])):
            yield tag, "href"


# Content tabs: a Nomad example beside its Kubernetes twin (hooks/line_counts.py).


@pytest.mark.parametrize("language", ["fr", "en"])
def test_examples_page_tab_labels_count_the_lines_of_their_files(
    built_site: Build, language: str
) -> None:
    """Label each tab with the line count of its files, as `wc -l` counts them, in its language."""
    source = DOCS / "chapitre-3" / ("exemples.md" if language == "fr" else "exemples.en.md")
    unit = {"fr": "lignes", "en": "lines"}[language]
    expected = [
        f"{label} · {sum((ROOT / f).read_text(encoding='utf-8').count(chr(10)) for f in files)} "
        f"{unit}"
        for _, tabs in tabbed_sets(source.read_text(encoding="utf-8"))
        for label, files in tabs
    ]
    article = content(built_page(built_site.site, "chapitre-3/exemples.md", language))
    labels = [label.get_text(strip=True) for label in article.select(".tabbed-labels > label")]
    assert labels == expected
    assert expected  # the page has tabs to label
