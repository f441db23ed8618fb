"""Section 3.1's claims hold: each checkable sentence still in the book, true of its example."""

from __future__ import annotations

import re
from pathlib import Path

import book_claims
import pytest

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_FILE = ROOT / "examples" / "chapitre-3" / "claims.yml"
CLAIMS = book_claims.load(CLAIMS_FILE, ROOT)
BAD = ROOT / "tests" / "data" / "examples"
PAGES = sorted((ROOT / "docs").glob("**/*.md"))


def test_claims_file_is_well_formed() -> None:
    """Read the claims file: valid YAML, known checks, every field a check needs."""
    assert CLAIMS.problems == []
    assert len(CLAIMS.claims) >= 30


@pytest.mark.parametrize("claim", CLAIMS.claims, ids=[claim.id for claim in CLAIMS.claims])
def test_claim_holds(claim: book_claims.Claim) -> None:
    """Find the claim's sentence in both pages, and check the example against it."""
    if CLAIMS.problems:
        pytest.fail("\n".join(CLAIMS.problems), pytrace=False)
    assert book_claims.check(CLAIMS, claim, ROOT) == []


def test_claims_cover_every_script_of_signe_2() -> None:
    """Tie every line of the book's script listing to a claim and a script."""
    assert CLAIMS.page is not None
    claimed = {str(c.data["quote"]) for c in CLAIMS.claims if c.data.get("in_block")}
    assert book_claims.unchecked_code(CLAIMS.page, claimed) == []
    listed = {line.split()[0] for block in CLAIMS.page.blocks for line in block.lines if line}
    files = {Path(str(c.data["file"])).name for c in CLAIMS.claims if c.data.get("in_block")}
    assert listed == files == {"deploy.sh", "rollback.sh", "scale.sh", "monitor.sh", "backup.sh"}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_docs_code_block_is_checked(page: Path) -> None:
    """Let no shell or Nomad code of the site escape a check."""
    claimed = set()
    for claims_file in sorted(ROOT.glob("examples/*/claims*.yml")):
        claims = book_claims.load(claims_file, ROOT)
        claimed |= {str(c.data.get("quote")) for c in claims.claims if c.data.get("in_block")}
    shown = str(page.relative_to(ROOT))
    assert book_claims.unchecked_code(book_claims.Page.read(page, shown), claimed) == []


def _bad_claims() -> tuple[book_claims.Claims, list[str]]:
    claims = book_claims.load(BAD / "claims-bad.yml", ROOT)
    found = list(claims.problems)
    for claim in claims.claims:
        # As the real test does: a claim is checked once its shape is right.
        if not any(p.startswith(f"{claims.shown}:{claim.line}:") for p in claims.problems):
            found += book_claims.check(claims, claim, ROOT)
    return claims, found


def test_claims_report_each_broken_claim() -> None:
    """Report, for each defect of the bad claims file, the line and what is wrong."""
    _, found = _bad_claims()
    shown = "tests/data/examples/claims-bad.yml"
    page = "tests/data/examples/claims-bad-page.md"
    assert found == [
        f"{shown}:27: claim no-check: unknown check 'count' "
        "(one of lines, has, job, test, manifest)",
        f"{shown}:31: claim no-quote: missing field `quote`",
        f"{shown}:36: claim wrong-count: the id is used twice (first on line 6)",
        f"{shown}:41: claim says-elsewhere: `says` (12 lignes) is not part of the quote",
        f'{shown}:6: claim wrong-count: {page}:3 says "21 lignes", '
        "examples/chapitre-3/jobs/web-simple.nomad.hcl has 20 lines",
        f"{shown}:11: claim lost-sentence: its sentence is no longer in {page}: "
        "'Une phrase que la page ne contient plus.'",
        f"{shown}:16: claim missing-file: examples/chapitre-3/jobs/absent.nomad.hcl does not exist",
        f"{shown}:21: claim wrong-type: examples/chapitre-3/jobs/worker.nomad.hcl:9: "
        'job "worker" is of type "service", the claim needs "batch"',
        f"{shown}:21: claim wrong-type: examples/chapitre-3/jobs/worker.nomad.hcl has no "
        "periodic block",
        f"{shown}:46: claim no-pattern: no line of examples/chapitre-3/scripts/backup.sh "
        "matches /rsync/",
        f"{shown}:51: claim no-test: no test tests/test_examples_scripts.py::test_nothing",
        f"{shown}:56: claim no-kind: examples/chapitre-3/kubernetes/worker.yaml defines no "
        "Service (it defines Deployment)",
    ]


def test_claims_report_code_nothing_checks() -> None:
    """Point at the bash line of a page that neither a snippet nor a claim covers."""
    claims, _ = _bad_claims()
    assert claims.page is not None
    assert book_claims.unchecked_code(claims.page, set()) == [
        "tests/data/examples/claims-bad-page.md:8: this bash line is checked by no test: "
        'include the code from examples/ with `--8<-- "examples/..."`, or tie the line to an '
        "example in a claims.yml (`in_block`)"
    ]


def test_claims_report_invalid_yaml_with_line(tmp_path: Path) -> None:
    """Report a YAML syntax error with its line, not a traceback."""
    broken = tmp_path / "claims.yml"
    broken.write_text("page: x.md\nclaims:\n  - id: a\n   quote: [unclosed\n", encoding="utf-8")
    assert book_claims.load(broken, ROOT).problems == [
        f"{broken}:4: not valid YAML: expected <block end>, but found '<block mapping start>'"
    ]


EXAMPLE_PAGES = [
    ROOT / "docs" / "chapitre-3" / "exemples.md",
    ROOT / "docs" / "chapitre-3" / "exemples.en.md",
]
EXAMPLE_FILES = sorted(ROOT.glob("examples/chapitre-3/*/*.*"))
TITLED_INCLUDE = re.compile(
    r'^[ \t]*```(?P<lang>\w+)[^\n]*\btitle="(?P<title>examples/[^"]+)"[^\n]*\n[ \t]*--8<-- "',
    re.M,
)


@pytest.mark.parametrize(
    "page", EXAMPLE_PAGES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLE_PAGES]
)
def test_examples_page_includes_every_example(page: Path) -> None:
    """Show readers every example, included (never copied) in a block of its language."""
    shown = str(page.relative_to(ROOT))
    blocks = book_claims.Page.read(page, shown).blocks
    included = {
        line.split('"')[1]: block.lang
        for block in blocks
        for line in map(str.strip, block.lines)  # indented in a content tab
        if line.startswith('--8<-- "')
    }
    # A block titled with the example and including a file shows it: if the include's
    # path is wrong, the build says so (hooks/snippets.py), once.
    for fence in TITLED_INCLUDE.finditer(page.read_text(encoding="utf-8")):
        included.setdefault(fence["title"], fence["lang"].lower())
    language = {".hcl": "hcl", ".sh": "bash", ".yaml": "yaml", ".kubectl": "bash"}
    problems = [
        f"{shown}:1: {path.relative_to(ROOT)} is not included in a {language[path.suffix]} block"
        for path in EXAMPLE_FILES
        if included.get(str(path.relative_to(ROOT))) != language[path.suffix]
    ]
    assert problems == []
