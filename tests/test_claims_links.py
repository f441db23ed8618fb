"""The book's claimed sentences link to their examples (hooks/claims.py, publishing.claims).

On the built site: each claim of every claims file, in each language, is a
link (or, for a line of a code block, a link after the block) that lands on
the element of the examples page showing the example (that of the first claim
quoting the sentence: one link per sentence), every claim's example has such
an element, and the linked text is the sentence as written. On fixture books
(tests/data/claims-links/): every kind of quote renders right, and a claim that
cannot link fails the strict build with its claims file's line, and with its
page's line as the author wrote it. On the units: a quote that cannot hold a
link, a quote inside another claim's sentence, a claims file with no list of
claims.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT, Build, build_problems, build_site
from test_site import built_page, content

from publishing.claims import Claim, ClaimsFile, anchor_of, link_claims, load

DATA = Path(__file__).parent / "data" / "claims-links"
LANGUAGES = ("fr", "en")
CLAIMS = [load(path, ROOT) for path in sorted(ROOT.glob("examples/*/claims*.yml"))]
CASES = [
    (claims, claim, language)
    for claims in CLAIMS
    for claim in claims.claims
    for language, page in (("fr", claims.page), ("en", claims.page_en))
    if page is not None
]
SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def quote_of(claim: Claim, language: str) -> str:
    """Return the claim's sentence as the page in `language` writes it."""
    if language == "en" and not claim.in_block:
        return str(claim.quote_en)
    return claim.quote


def shown_text(quote: str) -> str:
    """Return a quoted sentence as readers see it: code spans and emphasis without their marks."""
    return re.sub(r"(`+|\*\*|__)(.+?)\1", r"\2", quote)


def linked_example(claims: ClaimsFile, claim: Claim, language: str) -> str:
    """Return the example a claim's sentence must link to: that of the first claim quoting it."""
    same = (quote_of(claim, language), claim.in_block)
    return next(c.file for c in claims.claims if (quote_of(c, language), c.in_block) == same)


def claimed_pages(language: str) -> list[str]:
    """Return the source of every page a claims file checks, in a language (src_uri)."""
    pages = {
        (ROOT / page).relative_to(DOCS).as_posix()
        for claims in CLAIMS
        if (page := claims.page if language == "fr" else claims.page_en) is not None
    }
    return sorted(pages)


def link_count(language: str, src_uri: str | None = None) -> int:
    """Count the links of the claims of one page, or of all: one per sentence, one per line of code.

    A page with no English yet is shown in French under /en/, with its French links.
    """
    return len(
        {
            (
                page,
                quote_of(claim, language if claims.page_en else "fr"),
                claim.in_block,
            )
            for claims in CLAIMS
            if claims.page is not None
            for page in [(ROOT / claims.page).relative_to(DOCS).as_posix()]
            if src_uri in (None, page)
            for claim in claims.claims
        }
    )


def landing(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """Return the built page and the id a link of `page` leads to."""
    path, _, fragment = href.partition("#")
    folder = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), path))
    return site / folder / "index.html", fragment


def example_ids(target: Path) -> dict[str, str]:
    """Return the id of the element that shows each example file on a built page."""
    ids = {}
    for title in content(target).select("span.filename"):
        tabbed = title.find_parent(class_="tabbed-set")
        if tabbed is not None:
            # In a content tab, which a link cannot open: the ids are on the empty
            # elements just above the tabbed set.
            above = []
            for element in tabbed.find_previous_siblings():
                if element.name != "div" or not element.get("id") or element.get_text(strip=True):
                    break
                above.append(element["id"])
            if anchor_of(title.get_text()) in above:
                ids.setdefault(title.get_text(), anchor_of(title.get_text()))
            continue
        holder = title.find_parent(id=True)
        if holder is not None:
            ids.setdefault(title.get_text(), holder["id"])
    return ids


def build_with(project: Path, fixture: str, nav: str | None = None) -> Build:
    """Add a fixture's docs and examples to the copy (a page to its nav), then build strictly."""
    shutil.copytree(DATA / fixture, project, dirs_exist_ok=True)
    if nav is not None:
        with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write(f"  - {nav}\n")
    return build_site(project / "mkdocs.yml", project / "site", cwd=project)


def claim_links(article: BeautifulSoup) -> list[tuple[str, str, str]]:
    """Return each claim link of an article: its parent element, its text and its target."""
    return [
        (a.parent.name, a.get_text().translate(SPACES), a["href"])
        for a in article.select("a.livre-claim")
    ]


# The built site.


@pytest.mark.parametrize(
    ("claims", "claim", "language"),
    CASES,
    ids=[f"{claims.shown}::{claim.id}::{language}" for claims, claim, language in CASES],
)
def test_claim_links_to_its_example(
    built_site: Build, claims: ClaimsFile, claim: Claim, language: str
) -> None:
    assert claims.page is not None
    src_uri = (ROOT / claims.page).relative_to(DOCS).as_posix()
    page = built_page(built_site.site, src_uri, language)
    article = content(page)
    quote = quote_of(claim, language)
    if claim.in_block:
        code = next((p for p in article.select("pre") if quote in p.get_text().split("\n")), None)
        assert code is not None, f"no code block holds {quote!r}"
        note = code.find_parent("div", class_="highlight").find_next_sibling()
        assert note is not None and "livre-claim-examples" in note.get("class", [])
        wanted = posixpath.basename(linked_example(claims, claim, language))
        links = [a for a in note.select("a.livre-claim") if a.get_text() == wanted]
    else:
        links = [
            a
            for a in article.select("a.livre-claim")
            if a.get_text().translate(SPACES) == shown_text(quote)
        ]
    assert len(links) == 1, f"{len(links)} links for {quote!r}"
    target, anchor = landing(built_site.site, page, links[0]["href"])
    examples = posixpath.join(posixpath.dirname(src_uri), "exemples.md")
    assert target == built_page(built_site.site, examples, language)
    ids = example_ids(target)
    assert anchor == ids.get(linked_example(claims, claim, language))
    assert claim.file in ids


@pytest.mark.parametrize(
    ("src_uri", "language"),
    [(page, language) for language in LANGUAGES for page in claimed_pages("fr")],
    ids=str,
)
def test_claim_links_leave_the_text_as_written(
    built_site: Build, src_uri: str, language: str
) -> None:
    article = content(built_page(built_site.site, src_uri, language))
    text = article.get_text()
    assert [mark for mark in ("](", "{ .", "livre-claim") if mark in text] == []
    assert len(article.select("a.livre-claim")) == link_count(language, src_uri)


def test_claim_links_resolve_on_the_print_page(built_site: Build) -> None:
    for language in LANGUAGES:
        article = content(built_page(built_site.site, "print.md", language))
        ids = {element["id"] for element in article.select("[id]")}
        hrefs = [a["href"] for a in article.select("a.livre-claim")]
        assert len(hrefs) == link_count(language)
        assert [h for h in hrefs if not h.startswith("#") or h[1:] not in ids] == []


# Fixture books.


def test_claim_links_every_kind_of_quote(project: Path) -> None:
    build = build_with(project, "good", nav="chapitre-3/9.9-liens.md")
    assert build_problems(build) == []
    examples = "../exemples/#examples-chapitre-3-scripts-"
    for language in LANGUAGES:  # untranslated: the French page, under /en/ too
        article = content(built_page(build.site, "chapitre-3/9.9-liens.md", language))
        assert claim_links(article) == [
            ("li", "Un élément cité en entier", f"{examples}backup-sh"),
            # French quotes (hooks/typography.py); claim_links makes every space a plain one.
            ("strong", "« Une phrase en gras. »", f"{examples}deploy-sh"),
            ("p", "backup.sh", f"{examples}backup-sh"),
            ("p", "Une phrase que deux affirmations citent.", f"{examples}scale-sh"),
            ("p", "backup.sh", f"{examples}backup-sh"),
        ]
        assert article.select_one("a.livre-claim > code").get_text() == "backup.sh"
        note = article.select_one("div.highlight + p.livre-claim-examples")
        assert note.get_text().translate(SPACES) == (
            "Chaque ligne est vérifiée sur son exemple : backup.sh"
        )
        assert len(article.select("li")) == 2


def test_claim_links_unlinkable_claims_fail_the_build(project: Path) -> None:
    build = build_with(project, "bad")
    shown = "WARNING -  hooks/claims: examples/chapitre-3/claims-3.1.yml"
    lost = "its sentence is not in docs/chapitre-3/3.1-constat"
    absent = "examples/chapitre-3/scripts/absent.sh"
    assert build.returncode == 1
    assert [line for line in build.output.splitlines() if line.startswith(shown)] == [
        f"{shown}:19: claim unknown-check: unknown check 'counts': use one of lines, has, job, "
        "test, manifest",
        f"{shown}:24: claim missing-file: examples/chapitre-3/scripts/nowhere.sh does not exist: "
        "create the example, or fix `file` (a path from the project's top, as "
        "examples/chapitre-3/scripts/deploy.sh)",
        f"{shown}:7: claim lost-sentence: {lost}.md, so it links to no example: "
        "'Une phrase que la page ne contient pas.' (copy `quote` word for word from the page)",
        f"{shown}:13: claim example-not-shown: {absent} has no place on "
        f'docs/chapitre-3/exemples.md: show it there in a code block titled "{absent}"',
        f"{shown}:7: claim lost-sentence: {lost}.en.md, so it links to no example: "
        "'A sentence the page does not hold.' (copy `quote_en` word for word from the page)",
        f"{shown}:13: claim example-not-shown: {absent} has no place on "
        f'docs/chapitre-3/exemples.en.md: show it there in a code block titled "{absent}"',
    ]
    assert "Aborted with" in build.output


def test_claim_links_problem_names_the_line_the_author_wrote(project: Path) -> None:
    """Front matter taken off, a blank line added above each list: the page's own line is named."""
    build = build_with(project, "lines", nav="chapitre-3/9.8-lignes.md")
    assert build.returncode == 1
    assert build_problems(build) == [
        "WARNING -  hooks/claims: examples/chapitre-3/claims-9.8.yml:8: claim crosses-emphasis: "
        "docs/chapitre-3/9.8-lignes.md:14: its sentence crosses a code span, a link, emphasis "
        "or another claim's sentence, so it cannot become a link; quote a part of it that does "
        "not"
    ]


# The units.


def link(markdown: str, *quotes: str) -> tuple[str, list[str]]:
    """Link quotes of a page to two examples, as hooks/claims.py does."""
    claims = [claim(i, quote) for i, quote in enumerate(quotes, start=1)]
    shown = {"examples/x/1.sh", "examples/x/2.sh"}
    return link_claims(
        markdown, claims, page="docs/p.md", href="exemples.md", examples="e", shown=shown, note=""
    )


def test_link_claims_quote_crossing_emphasis_warns() -> None:
    markdown = "Un **texte en gras** et la suite."
    assert link(markdown, "gras** et la suite") == (
        markdown,
        [
            "claims.yml:1: claim c1: docs/p.md:1: its sentence crosses a code span, a link, "
            "emphasis or another claim's sentence, so it cannot become a link; quote a part of "
            "it that does not"
        ],
    )


def test_link_claims_problem_names_the_line_of_the_file() -> None:
    """Front matter taken off and a blank line added above a list: the file's line is named."""
    source = (
        "---\ndescription: x\n---\n# Titre\n\nIntro :\n- a\n- b\n\nUn **texte en gras** et fin.\n"
    )
    markdown = "# Titre\n\nIntro :\n\n- a\n- b\n\nUn **texte en gras** et fin.\n"
    claims = [claim(1, "gras** et fin")]
    _, problems = link_claims(
        markdown,
        claims,
        page="docs/p.md",
        href="exemples.md",
        examples="e",
        shown={"examples/x/1.sh"},
        note="",
        source=source,
    )
    assert [problem.split(": its sentence")[0] for problem in problems] == [
        "claims.yml:1: claim c1: docs/p.md:10"
    ]


def test_link_claims_quote_inside_another_claims_sentence_nests_no_link() -> None:
    assert link(
        "Une phrase longue, et ses mots.", "Une phrase longue, et ses mots.", "ses mots"
    ) == (
        "[Une phrase longue, et ses mots.](exemples.md#examples-x-1-sh){ .livre-claim }",
        [],
    )


def test_claims_file_without_claims_is_clear_error() -> None:
    claims = load(DATA / "broken.yml", ROOT)
    assert (claims.readable, claims.claims, claims.problems) == (
        False,
        [],
        ["tests/data/claims-links/broken.yml:1: a claims file needs `page` and a list of `claims`"],
    )


def claim(number: int, quote: str) -> Claim:
    """Return a claim of a page quoting a sentence, on line `number` of claims.yml."""
    return Claim(
        "claims.yml",
        number,
        f"c{number}",
        "docs/p.md",
        None,
        "has",
        quote,
        None,
        None,
        f"examples/x/{number}.sh",
        {"patterns": ["."]},
    )
