"""The English edition follows the French one: same structure, drift recorded, readers told."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import Build, build_problems, build_site
from test_site import built_page, content

from publishing import i18n

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = ROOT / "tests" / "data" / "translations"
PARITY = DATA / "parity"
SITE = DATA / "site"


ENGLISH_PAGES = sorted(DOCS.rglob(f"*.{i18n.LANGUAGE}.md"))
RECORDED = [page for page in ENGLISH_PAGES if i18n.read_record(page) is not None]

# Each bad fixture pair in tests/data/translations/parity/, and what the check says.
PARITY_FIXTURES = {
    "changed-anchor": [
        "changed-anchor/page.en.md:3: heading anchor differs (French has "
        "#le-moment-de-la-revelation, English has #the-moment-of-revelation); "
        "end the English heading with { #le-moment-de-la-revelation }"
    ],
    "changed-snippet": [
        "changed-snippet/page.en.md:4: snippet include differs (French has "
        "'--8<-- \"examples/chapitre-3/jobs/web.nomad.hcl\"', English has "
        "'--8<-- \"examples/chapitre-3/jobs/web-simple.nomad.hcl\"')"
    ],
    "dropped-link": [
        "dropped-link/page.en.md:3: links differ (French has 2, English has 1); "
        "missing in English: 'https://www.nomadproject.io/'"
    ],
    "missing-heading": [
        "missing-heading/page.en.md:1: quotes differ (French has 1, English has 0)",
        "missing-heading/page.en.md:3: headings differ (French has 3, English has 2); "
        "missing in English: #un-detail",
    ],
    "missing-list-item": [
        "missing-list-item/page.en.md:5: list items differ (French has 3, English has 2)"
    ],
    "translated-code-block": [
        "translated-code-block/page.en.md:3: code block differs from the French at its line 1 "
        "(French has '# déployer la nouvelle version', English has '# deploy the new version'); "
        "code is never translated"
    ],
}


# Parity of structure.


@pytest.mark.parametrize("english", ENGLISH_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_parity_book_page_same_structure(english: Path) -> None:
    """Compare each English page with the French text it translates."""
    assert i18n.parity_problems(english) == []


@pytest.mark.parametrize("name", sorted(PARITY_FIXTURES))
def test_parity_bad_fixture_reported(name: str) -> None:
    french = (PARITY / name / "page.md").read_text(encoding="utf-8")
    english = (PARITY / name / "page.en.md").read_text(encoding="utf-8")
    assert i18n.parity(french, english, f"{name}/page.en.md") == PARITY_FIXTURES[name]


def test_parity_fixtures_all_asserted() -> None:
    assert sorted(p.name for p in PARITY.iterdir() if p.is_dir()) == sorted(PARITY_FIXTURES)


def test_parity_english_page_without_french(tmp_path: Path) -> None:
    (tmp_path / "seul.en.md").write_text("# Alone\n", encoding="utf-8")
    assert i18n.parity_problems(tmp_path / "seul.en.md", tmp_path, tmp_path) == [
        f"{tmp_path}/seul.en.md:1: no French page {tmp_path}/seul.md to translate"
    ]


def test_parity_list_under_paragraph_counted_as_french_renders_it() -> None:
    """Count a list written right under its paragraph line, as hooks/lists.py renders it."""
    french = "# Titre\n\nIntro :\n- a\n- b\n"
    english = "# Title { #titre }\n\nIntro:\n\n- a\n- b\n"
    assert i18n.parity(french, english, "page.en.md") == []


def test_sections_heading_ids_are_toc_slugs() -> None:
    text = (
        "---\ndescription: x\n---\n"
        "# L'équipe s'épuise\n\n```\n# pas un titre\n```\n## `deploy.sh`\n"
    )
    found = [(s.anchor, s.line) for s in i18n.sections(text)]
    assert found == [("_front-matter", 2), ("lequipe-sepuise", 4), ("deploysh", 9)]


# Headings whose ids the plain-text shortcut computes, and headings it leaves to
# Python-Markdown: both must give the ids toc gives.
HEADINGS = [
    "# 3.1 Le constat : j'ai bâti un cluster à la main",
    '## L\'inventaire de votre "pile simple"',
    "## Les signes avant-coureurs (ignorés)",
    "## Pattern 1 : L’abstraction « fuite » partout",
    "##\tÉté\u00a0: déjà là ?   ",
    "### C++ -- vs -- Go / Rust, 100 % ; 2.0",
    "## ???",
    "## ???",
    "## Titre",
    "## Titre",
    "## Titre_1",
    "## Titre ##",
    "## C#",
    "## `deploy.sh` et *scale.sh*",
    "## Un titre { #choisi }",
    "## A & B <br> [lien](x.md) \\*",
    "## snake_case_name",
    "## Attention !",
]


@pytest.mark.parametrize("heading", HEADINGS)
def test_heading_id_of_one_heading_is_toc_slug(heading: str) -> None:
    assert i18n.heading_ids([heading]) == i18n.rendered_heading_ids([heading])


def test_heading_ids_of_a_page_are_toc_slugs() -> None:
    plain = [h for h in HEADINGS if i18n._PLAIN_HEADING.fullmatch(h)]
    assert len(plain) >= 10  # the shortcut is taken
    assert i18n.heading_ids(plain) == i18n.rendered_heading_ids(plain)
    assert i18n.heading_ids(HEADINGS) == i18n.rendered_heading_ids(HEADINGS)
    for page in DOCS.rglob("*.md"):
        lines = page.read_text(encoding="utf-8").split("\n")
        headings = [lines[number] for number, _ in i18n._headings(lines)]
        assert i18n.heading_ids(headings) == i18n.rendered_heading_ids(headings), page


# Fingerprints and the status report.


@pytest.mark.parametrize("english", RECORDED, ids=lambda p: str(p.relative_to(ROOT)))
def test_record_book_page_has_its_french_text(english: Path) -> None:
    """Keep, for every recorded section, the French text it was recorded from."""
    recorded = i18n.read_record(english)["sections"]
    snapshot = i18n.STORE / i18n.french_of(english).relative_to(DOCS)
    assert snapshot.is_file(), f"run make i18n-update PAGE={english.relative_to(ROOT)}"
    kept = {s.anchor: s.fingerprint for s in i18n.sections(snapshot.read_text(encoding="utf-8"))}
    assert kept == recorded


def test_status_fixture_site_report(capsys: pytest.CaptureFixture[str]) -> None:
    docs, store = str(SITE / "docs"), str(SITE / "translations")
    assert i18n.main(["status", "--docs", docs, "--store", store]) == 0
    assert capsys.readouterr().out == (
        "tests/data/translations/site/docs/a-jour.en.md: up to date\n"
        "    #a-jour (tests/data/translations/site/docs/a-jour.md:1): up to date\n"
        "tests/data/translations/site/docs/autre.en.md: missing (no English translation)\n"
        "tests/data/translations/site/docs/index.en.md: stale (1 of 3 sections: #seconde-partie)\n"
        "    #accueil (tests/data/translations/site/docs/index.md:1): up to date\n"
        "    #premiere-partie (tests/data/translations/site/docs/index.md:5): up to date\n"
        "    #seconde-partie (tests/data/translations/site/docs/index.md:9): stale\n"
        "        --- tests/data/translations/site/translations/index.md (translated)\n"
        "        +++ tests/data/translations/site/docs/index.md (now)\n"
        "        @@ -1,4 +1,4 @@\n"
        "         ## Seconde partie\n"
        "         \n"
        "        -Le texte de la seconde partie.\n"
        "        +Le texte de la seconde partie, réécrit depuis.\n"
        "         \n"
        "3 pages: 1 up to date, 1 stale, 1 missing\n"
    )


def test_status_strict_fails_on_debt(capsys: pytest.CaptureFixture[str]) -> None:
    docs, store = str(SITE / "docs"), str(SITE / "translations")
    assert i18n.main(["status", "--strict", "--docs", docs, "--store", store]) == 1
    page = str(SITE / "docs" / "a-jour.en.md")
    assert i18n.main(["status", "--strict", "--docs", docs, "--store", store, page]) == 0


FRENCH = """---
description: Une page.
---
# Titre

## Premier temps

Une première phrase. Puis une autre :
- un point ;
- un autre !

## Le moment de la révélation

Vous listez tout ça sur un tableau blanc, et soudain vous réalisez :

> Une citation.
"""
ENGLISH = """---
description: A page.
---
# Title { #titre }

## First step { #premier-temps }

A first sentence. Then another:

- a point;
- another!

## The moment of revelation { #le-moment-de-la-revelation }

You list all of this on a whiteboard, and suddenly you realise:

> A quote.
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A French page and its English translation, recorded as up to date."""
    (tmp_path / "docs" / "chapitre").mkdir(parents=True)
    (tmp_path / "docs" / "chapitre" / "page.md").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "docs" / "chapitre" / "page.en.md").write_text(ENGLISH, encoding="utf-8")
    i18n.update(tmp_path / "docs" / "chapitre" / "page.en.md", tmp_path / "docs", _store(tmp_path))
    return tmp_path


def _store(book: Path) -> Path:
    return book / "translations"


def _states(book: Path) -> dict[str, str]:
    status = i18n.page_status(book / "docs" / "chapitre" / "page.md", book / "docs", _store(book))
    return {s.anchor: s.state for s in status.sections}


def test_status_one_french_sentence_edited_marks_its_section_only(book: Path) -> None:
    french = book / "docs" / "chapitre" / "page.md"
    english = book / "docs" / "chapitre" / "page.en.md"
    assert set(_states(book).values()) == {"up to date"}
    body = english.read_text(encoding="utf-8")
    french.write_text(
        FRENCH.replace(
            "sur un tableau blanc, et soudain vous réalisez", "sur un tableau, et soudain"
        ),
        encoding="utf-8",
    )

    status = i18n.page_status(french, book / "docs", _store(book))
    stale = [(s.anchor, s.state) for s in status.sections if s.state != "up to date"]
    assert (status.state, stale) == ("stale", [("le-moment-de-la-revelation", "stale")])
    diff = next(s.diff for s in status.sections if s.state == "stale")
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-Vous listez tout ça sur un tableau blanc, et soudain vous réalisez :",
        "+Vous listez tout ça sur un tableau, et soudain :",
    ]
    assert i18n.parity_problems(english, book / "docs", _store(book)) == []

    i18n.update(english, book / "docs", _store(book))
    assert set(_states(book).values()) == {"up to date"}
    assert (
        i18n.split_front_matter(english.read_text(encoding="utf-8"))[1]
        == (i18n.split_front_matter(body)[1])
    )


def test_status_french_list_item_added_keeps_parity_with_recorded_state(book: Path) -> None:
    """The author adds to the French: the page is stale, the structure check still passes."""
    french = book / "docs" / "chapitre" / "page.md"
    french.write_text(FRENCH.replace("- un autre !\n", "- un autre !\n- un troisième.\n"))
    english = book / "docs" / "chapitre" / "page.en.md"
    assert i18n.page_status(french, book / "docs", _store(book)).state == "stale"
    assert i18n.parity_problems(english, book / "docs", _store(book)) == []


def test_record_fingerprint_edited_by_hand_is_said_with_its_line(book: Path) -> None:
    english = book / "docs" / "chapitre" / "page.en.md"
    text = english.read_text(encoding="utf-8")
    digest = i18n.read_record(english)["sections"]["premier-temps"]
    english.write_text(text.replace(digest, "0123456789ab"), encoding="utf-8")
    line = english.read_text(encoding="utf-8").split("\n").index("    premier-temps: 0123456789ab")
    store = _store(book)
    expected = (
        f"{english}:{line + 1}: the fingerprint of #premier-temps was edited by hand: it is not "
        f"that of the French text kept in {store}/chapitre/page.md (never edit it); run "
        f"make i18n-update PAGE={english} once the English matches the French"
    )
    assert i18n.record_problems(english, book / "docs", store) == [expected]
    status = i18n.page_status(book / "docs" / "chapitre" / "page.md", book / "docs", store)
    assert (status.state, status.note) == (
        "stale",
        f"translation record edited by hand: {expected}",
    )


def test_readers_not_told_french_changed_when_fingerprint_edited(project: Path) -> None:
    english = next(p for p in sorted((project / "docs").rglob("*.en.md")) if i18n.read_record(p))
    anchor, digest = next(iter(i18n.read_record(english)["sections"].items()))
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace(f"{anchor}: {digest}", f"{anchor}: 0123456789ab"))
    line = english.read_text(encoding="utf-8").split("\n").index(f"    {anchor}: 0123456789ab")
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    shown = english.relative_to(project).as_posix()
    assert build_problems(build) == [
        f"WARNING -  hooks/translations: {shown}:{line + 1}: the fingerprint of #{anchor} was "
        f"edited by hand: it is not that of the French text kept in "
        f"translations/{shown.removeprefix('docs/').replace('.en.md', '.md')} (never edit it); "
        f"run make i18n-update PAGE={shown} once the English matches the French"
    ]
    src_uri = shown.removeprefix("docs/").replace(".en.md", ".md")
    page = content(built_page(build.site, src_uri, "en"))
    assert page.select(".translation-stale") == []


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        (
            "docs/chapitre/page.md",
            "i18n-update: {book}/docs/chapitre/page.md is the French page: give its English "
            "translation, PAGE={book}/docs/chapitre/page.en.md",
        ),
        (
            "docs/chapitre",
            "i18n-update: {book}/docs/chapitre is a folder: give one English page (x.en.md)",
        ),
        ("page.en.md", "i18n-update: {book}/page.en.md is not a page of {book}/docs/"),
        (
            "docs/chapitre/autre.en.md",
            "i18n-update: {book}/docs/chapitre/autre.en.md does not exist",
        ),
    ],
    ids=["french-page", "folder", "outside-docs", "missing"],
)
def test_update_refuses_what_is_not_an_english_page(
    book: Path, given: str, refusal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (book / "page.en.md").write_text("# Hors de docs\n", encoding="utf-8")
    before = (book / "docs" / "chapitre" / "page.en.md").read_text(encoding="utf-8")
    args = ["update", str(book / given), "--docs", str(book / "docs"), "--store", str(book / "t")]
    assert i18n.main(args) == 2
    assert capsys.readouterr().err == (
        refusal.format(book=book) + "\nusage: make i18n-update "
        f"PAGE={book}/docs/chapitre-3/3.1-constat.en.md (an English page, once it matches)\n"
    )
    assert (book / "docs" / "chapitre" / "page.en.md").read_text(encoding="utf-8") == before
    assert not (book / "t").exists()


def test_status_unreadable_page_does_not_hide_the_others(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = book / "docs"
    (docs / "autre.md").write_text("# Autre\n", encoding="utf-8")
    (docs / "autre.en.md").write_text("---\ntitle: [a, b\nx: 1\n---\n# Other\n", encoding="utf-8")
    args = ["status", "--docs", str(docs), "--store", str(_store(book))]
    assert i18n.main(args) == 1
    report = capsys.readouterr().out.splitlines()
    assert report[0] == (
        f"{docs}/autre.en.md: unreadable ({docs}/autre.en.md:3: front matter is not valid "
        "YAML (expected ',' or ']', but got ':'); write `key: value` lines between the two --- "
        "lines, quoting a value that holds ': ' or starts with [ { * &)"
    )
    assert report[1] == f"{docs}/chapitre/page.en.md: up to date"
    assert report[-1] == "2 pages: 1 up to date, 0 stale, 0 missing, 1 unreadable"


def test_update_keeps_other_front_matter_and_is_idempotent(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("---\ndescription: Une page.\n---\n# Titre\n", encoding="utf-8")
    english = docs / "page.en.md"
    english.write_text(
        "---\ndescription: A page.\ntranslation:\n  source: old.md\n---\n# Title { #titre }\n",
        encoding="utf-8",
    )
    i18n.update(english, docs, tmp_path / "translations")
    once = english.read_text(encoding="utf-8")
    i18n.update(english, docs, tmp_path / "translations")
    assert english.read_text(encoding="utf-8") == once
    front, body, _ = i18n.split_front_matter(once)
    assert body == "# Title { #titre }\n"
    assert front.startswith("description: A page.\ntranslation:\n  source: page.md\n")
    assert (tmp_path / "translations" / "page.md").read_text(encoding="utf-8") == (
        (docs / "page.md").read_text(encoding="utf-8")
    )


def test_update_without_french_page_fails(tmp_path: Path) -> None:
    (tmp_path / "seul.en.md").write_text("# Alone\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"seul\.en\.md: no French page .*seul\.md"):
        i18n.update(tmp_path / "seul.en.md", tmp_path, tmp_path / "translations")


# What readers see.


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the fixture site: a stale, an up-to-date and an untranslated page."""
    build = build_site(SITE / "mkdocs.yml", tmp_path_factory.mktemp("translations") / "site")
    assert build_problems(build) == []
    return build


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_readers_stale_page_shows_notice_linking_to_french(fixture_site: Build) -> None:
    article = _page(fixture_site.site, "en").select_one("article")
    notice = article.select_one(".translation-stale")
    assert notice is not None, article
    assert notice.get("lang") == "en"
    assert "The French original of this page changed after this translation was made." in (
        notice.get_text()
    )
    link = notice.select_one("a")
    assert (link["href"], link["hreflang"]) == ("../", "fr")
    assert article.select_one("h1").find_next_sibling() is notice


def test_readers_untranslated_page_marked_french(fixture_site: Build) -> None:
    article = _page(fixture_site.site, "en/autre").select_one("article")
    notice = article.select_one(".translation-missing")
    assert notice is not None, article
    assert "not translated into English yet" in notice.get_text()
    assert article.select_one("div[lang=fr] h1").get_text() == "Une autre page¶"


def test_readers_untranslated_page_marked_in_english_nav(fixture_site: Build) -> None:
    for path in ("en", "en/a-jour", "en/autre"):
        links = _page(fixture_site.site, path).select(".md-nav--primary a.md-nav__link")
        titles = {a.get_text(" ", strip=True) for a in links}
        assert "Une autre page (FR)" in titles, path
        assert "Up to date" in titles, path


def test_readers_french_and_current_pages_without_notice(fixture_site: Build) -> None:
    for path in ("", "autre", "a-jour", "en/a-jour"):
        page = _page(fixture_site.site, path)
        assert page.select(".translation-stale, .translation-missing") == [], path
        if not path.startswith("en"):
            entries = [
                link.get_text(" ", strip=True)
                for link in page.select(".md-nav--primary a.md-nav__link")
                if link.get("href", "").rstrip("/").endswith("3.2-analyse")
                or link.get("href") == "./"
            ]
    assert entries
    assert [entry for entry in entries if "(FR)" in entry] == [], path


def test_readers_planned_section_not_marked_untranslated(project: Path) -> None:
    """A section planned in hooks/outline.yml has its English page: no French fallback."""
    planned = "chapitre-3/3.9-prevue.md"
    outline = project / "hooks" / "outline.yml"
    data = yaml.safe_load(outline.read_text(encoding="utf-8"))
    data["planned"] = {
        **(data["planned"] or {}),
        planned: {"fr": "3.9 Prévue", "en": "3.9 Planned"},
    }
    outline.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"  - {planned}\n")
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert build_problems(build) == []
    page = _page(build.site, "en/chapitre-3/3.9-prevue")
    assert page.select(".translation-missing, .translation-stale, div[lang=fr]") == []
    entries = [
        link.get_text(" ", strip=True)
        for link in page.select(".md-nav--primary a.md-nav__link")
        if link.get("href", "").rstrip("/").endswith("3.9-prevue") or link.get("href") == "./"
    ]
    assert entries
    assert [entry for entry in entries if "(FR)" in entry] == []


@pytest.mark.parametrize("english", ENGLISH_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_readers_english_page_keeps_french_anchors(built_site: Build, english: Path) -> None:
    """Each English heading has the anchor of the French heading it translates."""
    src_uri = i18n.french_of(english).relative_to(DOCS).as_posix()
    article = content(built_page(built_site.site, src_uri, "en"))
    rendered = [h["id"] for h in article.select("h1, h2, h3, h4, h5, h6")]
    french = i18n.translated_french(english).read_text(encoding="utf-8")
    assert rendered == [e.value[1] for e in i18n.elements(french) if e.kind == "heading"]


# The translation status page (hooks/translation_status.py) and the recorded commit.

CHANGES = (
    "https://github.com/example/traductions/compare/0123456789abcdef0123456789abcdef01234567"
    "...main#diff-" + hashlib.sha256(b"docs/index.md").hexdigest()
)


@pytest.mark.parametrize(
    ("prefix", "row", "command"),
    [
        ("", "index.md à mettre à jour", "Une fois l'anglais à jour, enregistrer la traduction :"),
        ("en/", "index.md stale", "Once the English is up to date, record the translation:"),
    ],
    ids=["fr", "en"],
)
def test_status_page_lists_the_planted_stale_section_with_its_diff(
    fixture_site: Build, prefix: str, row: str, command: str
) -> None:
    article = _page(fixture_site.site, prefix + "traductions").select_one("article")
    rows = [" ".join(tr.get_text(" ").split()) for tr in article.select("table tr")]
    diffs = [code.get_text() for code in article.select("code.language-diff")]
    commands = [code.get_text() for code in article.select("code.language-bash")]
    paragraphs = [" ".join(p.get_text().split()) for p in article.select("p")]
    links = [a["href"] for a in article.select("a[href^='https://']")]
    # The page with no translation lists its sections as missing too.
    autre = article.select_one("#autremd").find_next("table")
    missing = [" ".join(tr.get_text(" ").split()) for tr in autre.select("tr")[1:]]
    assert (rows[1:4], diffs, commands, command in paragraphs, links, missing) == (
        [
            row.replace("index.md", "a-jour.md").split(" ", 1)[0]
            + (" à jour" if not prefix else " up to date"),
            "autre.md " + ("à traduire" if not prefix else "missing"),
            row,
        ],
        [
            "--- tests/data/translations/site/translations/index.md (translated)\n"
            "+++ tests/data/translations/site/docs/index.md (now)\n"
            "@@ -1,4 +1,4 @@\n"
            " ## Seconde partie\n"
            "\n"  # a blank context line: Markdown drops the space of a blank line
            "-Le texte de la seconde partie.\n"
            "+Le texte de la seconde partie, réécrit depuis.\n"
            " "
        ],
        ["make i18n-update PAGE=docs/index.en.md"],
        True,
        [CHANGES],
        ["#une-autre-page " + ("à traduire" if not prefix else "missing")],
    )


def test_status_page_is_linked_from_the_home_page_not_the_nav(built_site: Build) -> None:
    for home, status in (("index.html", "traductions"), ("en/index.html", "en/traductions")):
        page = BeautifulSoup((built_site.site / home).read_text("utf-8"), "html.parser")
        article_links = [a["href"] for a in page.select("article a")]
        nav_links = [a["href"] for a in page.select("nav.md-nav--primary a")]
        assert ("traductions/" in article_links, "traductions/" in nav_links) == (True, False)
        assert (built_site.site / status / "index.html").is_file()


def test_readers_stale_notice_links_to_the_french_changes(fixture_site: Build) -> None:
    notice = _page(fixture_site.site, "en").select_one(".translation-stale")
    assert [a["href"] for a in notice.select("a")] == ["../", CHANGES]


def test_changes_url_opens_the_page_diff_on_the_edited_branch() -> None:
    digest = hashlib.sha256(b"docs/a.md").hexdigest()
    assert [
        i18n.changes_url("https://github.com/o/r/", edit_uri, "abc", "docs/a.md")
        for edit_uri in ("edit/main/docs/", "blob/livre/docs/", "")
    ] == [
        f"https://github.com/o/r/compare/abc...main#diff-{digest}",
        f"https://github.com/o/r/compare/abc...livre#diff-{digest}",
        f"https://github.com/o/r/compare/abc...main#diff-{digest}",
    ]


def test_update_records_the_last_commit_of_the_french_page(book: Path) -> None:
    git = ["git", "-C", str(book), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "docs/chapitre/page.md"], check=True)
    subprocess.run([*git, "commit", "-qm", "French"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    english, docs = book / "docs" / "chapitre" / "page.en.md", book / "docs"
    i18n.update(english, docs, _store(book))
    committed = i18n.read_record(english).get("commit")
    # A French text changed since its last commit is not that commit's: none is recorded.
    french = book / "docs" / "chapitre" / "page.md"
    french.write_text(french.read_text(encoding="utf-8") + "\nUne phrase.\n", encoding="utf-8")
    i18n.update(english, docs, _store(book))
    assert (committed, "commit" in i18n.read_record(english)) == (head, False)


def test_update_outside_a_repository_records_no_commit(book: Path) -> None:
    # The fixture book is not a repository: its record is the older kind, still read.
    record = i18n.read_record(book / "docs" / "chapitre" / "page.en.md")
    assert (sorted(record), _states(book)["titre"]) == (["sections", "source"], "up to date")
