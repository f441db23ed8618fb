"""The claims of every section after 3.1: each `examples/<chapter>/claims-<section>.yml`.

Section 3.1's claims (examples/chapitre-3/claims.yml) have their own tests in
tests/test_claims_3_1.py. A contributor who writes another section ties its
checkable sentences to examples in a file of its own, named after the section
(claims-3.2.yml checks docs/chapitre-3/3.2-*.md); this module finds it and checks
each claim with the same rules (tests/book_claims.py). No such file yet: the
parametrized test reports an empty parameter set, which is expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import book_claims
import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(ROOT.glob("examples/*/claims-*.yml"))
CLAIMS = [book_claims.load(path, ROOT) for path in FILES]
CASES = [(claims, claim) for claims in CLAIMS for claim in claims.claims]
NAME = re.compile(r"^claims-(\d+(?:\.\d+)+)\.yml$")


def test_section_claims_files_are_well_formed() -> None:
    assert [problem for claims in CLAIMS for problem in claims.problems] == []


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_section_claims_file_names_its_section(path: Path) -> None:
    assert name_problems(path, ROOT) == []


def test_section_claims_name_check_reports_another_section() -> None:
    path = ROOT / "tests" / "data" / "claims-sections" / "claims-3.2.yml"
    assert name_problems(path, ROOT) == [
        "tests/data/claims-sections/claims-3.2.yml: checks docs/chapitre-3/3.1-constat.md, "
        "not a page of section 3.2 (docs/<chapter>/3.2-<slug>.md)"
    ]


@pytest.mark.parametrize(
    ("claims", "claim"), CASES, ids=[f"{c.shown}::{claim.id}" for c, claim in CASES]
)
def test_section_claim_holds(claims: book_claims.Claims, claim: book_claims.Claim) -> None:
    assert book_claims.check(claims, claim, ROOT) == []


def name_problems(path: Path, root: Path) -> list[str]:
    """A file claims-3.2.yml must check the French page of section 3.2."""
    shown = str(path.relative_to(root))
    found = NAME.match(path.name)
    if found is None:
        return [f"{shown}: name it claims-<section>.yml, e.g. claims-3.2.yml"]
    claims = book_claims.load(path, root)
    page = claims.page.shown if claims.page else ""
    section = found.group(1)
    if not re.fullmatch(rf"docs/[^/]+/{re.escape(section)}-[^/]+\.md", page):
        return [
            f"{shown}: checks {page}, not a page of section {section} "
            f"(docs/<chapter>/{section}-<slug>.md)"
        ]
    return []
