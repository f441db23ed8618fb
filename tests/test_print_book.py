"""The print page's logic as plain functions (publishing.print_book)."""

from __future__ import annotations

import pytest

from publishing import print_book
from publishing.build import language_of

PREFIXES = {"": "livre-accueil", "chapitre-3/3.1-constat/": "livre-chapitre-3-3-1-constat"}


def test_print_book_prefix_of_a_page_and_of_the_home_page() -> None:
    assert [print_book.prefix(url) for url in PREFIXES] == list(PREFIXES.values())


@pytest.mark.parametrize(
    ("url", "rebased"),
    [
        ("#etat", "#livre-chapitre-3-3-1-constat--etat"),
        ("#", "#livre-chapitre-3-3-1-constat"),
        ("../../#a", "#livre-accueil--a"),
        ("../../examples/", "../examples/"),
        ("https://example.org/x", "https://example.org/x"),
        ("/abs/", "/abs/"),
    ],
    ids=str,
)
def test_print_book_rebase_points_to_the_same_target(url: str, rebased: str) -> None:
    source = "chapitre-3/3.1-constat/"
    assert print_book.rebase(url, source, "print/", PREFIXES) == rebased


def test_print_book_language_of_print_sources_only() -> None:
    sources = ("print.md", "print.en.md", "index.md", "print.english.md")
    found = [language_of(s, print_book.SOURCE, "fr") for s in sources]
    assert found == ["fr", "en", None, None]
