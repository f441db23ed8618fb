"""The claims of every section after 3.1: each `examples/<chapter>/claims-<section>.yml`.

Section 3.1's claims (examples/chapitre-3/claims.yml) have their own tests in
tests/test_claims_3_1.py. A contributor who writes another section ties its
checkable sentences to examples in a file of its own, named after the section
(claims-3.2.yml checks docs/chapitre-3/3.2-*.md); this module finds it and checks
each claim with the same rules (publishing.claims, tests/book_claims.py). No such file yet: the
fixture book in tests/data/claims-sections/book/ holds one, checked with the
real ones, so the check runs (and is seen to run) before the first real file.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import book_claims
import pytest

from publishing.claims import Claim, ClaimsFile, load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "claims-sections" / "book"
FILES = [
    (root, path)
    for root in (ROOT, FIXTURE)
    for path in sorted(root.glob("examples/*/claims-*.yml"))
]
CLAIMS = [(root, load(path, root)) for root, path in FILES]
CASES = [(root, claims, claim) for root, claims in CLAIMS for claim in claims.claims]
NAME = re.compile(r"^claims-(\d+(?:\.\d+)+)\.yml$")


def test_section_claims_files_are_well_formed() -> None:
    assert [problem for _, claims in CLAIMS for problem in claims.problems] == []


@pytest.mark.parametrize(("root", "path"), FILES, ids=[str(p.relative_to(ROOT)) for _, p in FILES])
def test_section_claims_file_names_its_section(root: Path, path: Path) -> None:
    assert name_problems(path, root) == []


def test_section_claims_name_check_reports_another_section() -> None:
    path = ROOT / "tests" / "data" / "claims-sections" / "claims-3.2.yml"
    assert name_problems(path, ROOT) == [
        "tests/data/claims-sections/claims-3.2.yml: checks docs/chapitre-3/3.1-constat.md, "
        "not a page of section 3.2 (docs/<chapter>/3.2-<slug>.md)"
    ]


@pytest.mark.parametrize(
    ("root", "claims", "claim"),
    CASES,
    ids=[f"{(root / c.shown).relative_to(ROOT)}::{claim.id}" for root, c, claim in CASES],
)
def test_section_claim_holds(root: Path, claims: ClaimsFile, claim: Claim) -> None:
    assert book_claims.check(claim, root) == []


def test_section_claim_reports_drift() -> None:
    claims = load(FIXTURE / "drifted" / "claims-9.2.yml", FIXTURE)
    assert claims.problems == []
    assert [
        problem for claim in claims.claims for problem in book_claims.check(claim, FIXTURE)
    ] == [
        "drifted/claims-9.2.yml:6: claim backup-2-lines: its sentence is not in "
        "docs/chapitre-9/9.2-exemple.md, so it links to no example: 'Le script de sauvegarde "
        "tient en 2 lignes' (copy `quote` word for word from the page)",
        'drifted/claims-9.2.yml:6: claim backup-2-lines: the book says "2 lignes", '
        "examples/chapitre-9/backup.txt has 3 lines",
        "drifted/claims-9.2.yml:12: claim backup-calls-restore: its sentence is not in "
        "docs/chapitre-9/9.2-exemple.en.md, so it links to no example: 'calls the restore API' "
        "(copy `quote_en` word for word from the page)",
        "drifted/claims-9.2.yml:12: claim backup-calls-restore: no line of "
        "examples/chapitre-9/backup.txt matches //v1/operator/snapshot/restore/",
    ]


def test_section_claims_wait_for_a_missing_translation(tmp_path: Path) -> None:
    """No English page yet (or no more): a missing translation, not a broken claim."""
    book = shutil.copytree(FIXTURE, tmp_path / "book")
    (book / "docs" / "chapitre-9" / "9.2-exemple.en.md").unlink()
    claims = load(book / "examples" / "chapitre-9" / "claims-9.2.yml", book)
    assert [claims.problems, [book_claims.check(claim, book) for claim in claims.claims]] == [
        [],
        [[], []],
    ]


def name_problems(path: Path, root: Path) -> list[str]:
    """A file claims-3.2.yml must check the French page of section 3.2."""
    shown = str(path.relative_to(root))
    found = NAME.match(path.name)
    if found is None:
        return [f"{shown}: name it claims-<section>.yml, e.g. claims-3.2.yml"]
    page = load(path, root).page or ""
    section = found.group(1)
    if not re.fullmatch(rf"docs/[^/]+/{re.escape(section)}-[^/]+\.md", page):
        return [
            f"{shown}: checks {page}, not a page of section {section} "
            f"(docs/<chapter>/{section}-<slug>.md)"
        ]
    return []
