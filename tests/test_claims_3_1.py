"""Section 3.1's claims hold: each checkable sentence still in the book, true of its example."""

from __future__ import annotations

from pathlib import Path

import book_claims
import pytest

from publishing.claims import Claim, ClaimsFile, Text, example_of, load

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_FILE = ROOT / "examples" / "chapitre-3" / "claims.yml"
CLAIMS = load(CLAIMS_FILE, ROOT)
BAD = ROOT / "tests" / "data" / "examples"
PAGES = sorted((ROOT / "docs").glob("**/*.md"))


def test_claims_file_is_well_formed() -> None:
    """Read the claims file: valid YAML, known checks, every field a check needs."""
    assert CLAIMS.problems == []
    assert len(CLAIMS.claims) >= 30


@pytest.mark.parametrize("claim", CLAIMS.claims, ids=[claim.id for claim in CLAIMS.claims])
def test_claim_holds(claim: Claim) -> None:
    """Find the claim's sentence in both pages, and check the example against it."""
    if CLAIMS.problems:
        pytest.fail("\n".join(CLAIMS.problems), pytrace=False)
    assert book_claims.check(claim, ROOT) == []


def test_claims_cover_every_script_of_signe_2() -> None:
    """Tie every line of the book's script listing to a claim and a script."""
    assert CLAIMS.page is not None
    page = Text.read(ROOT / CLAIMS.page)
    claimed = {c.quote for c in CLAIMS.claims if c.in_block}
    assert book_claims.unchecked_code(page, CLAIMS.page, claimed) == []
    listed = {line.split()[0] for fence in page.fences for line in fence.lines if line}
    files = {Path(c.file).name for c in CLAIMS.claims if c.in_block}
    assert listed == files == {"deploy.sh", "rollback.sh", "scale.sh", "monitor.sh", "backup.sh"}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_docs_code_block_is_checked(page: Path) -> None:
    """Let no shell or Nomad code of the site escape a check."""
    claimed = set()
    for claims_file in sorted(ROOT.glob("examples/*/claims*.yml")):
        claimed |= {c.quote for c in load(claims_file, ROOT).claims if c.in_block}
    shown = str(page.relative_to(ROOT))
    assert book_claims.unchecked_code(Text.read(page), shown, claimed) == []


def _bad_claims() -> tuple[ClaimsFile, list[str]]:
    claims = load(BAD / "claims-bad.yml", ROOT)
    # As the real test does: the claims whose shape is right are checked.
    found = list(claims.problems)
    for claim in claims.claims:
        found += book_claims.check(claim, ROOT)
    return claims, found


def test_claims_report_each_broken_claim() -> None:
    """Report, for each defect of the bad claims file, the line and what is wrong."""
    _, found = _bad_claims()
    shown = "tests/data/examples/claims-bad.yml"
    page = "tests/data/examples/claims-bad-page.md"
    assert found == [
        f"{shown}:16: claim missing-file: examples/chapitre-3/jobs/absent.nomad.hcl does not "
        "exist: create the example, or fix `file` (a path from the project's top, as "
        "examples/chapitre-3/scripts/deploy.sh)",
        f"{shown}:27: claim no-check: unknown check 'count': use one of lines, has, job, test, "
        "manifest",
        f"{shown}:31: claim no-quote: missing field `quote`: add the sentence of `page` it "
        "checks, word for word",
        f"{shown}:36: claim wrong-count: the id is used twice (first on line 6): give each "
        "claim an id of its own",
        f"{shown}:41: claim says-elsewhere: `says` (12 lignes) is not part of the quote: copy it "
        "from there",
        f"{shown}:62: claim misspelt-field: missing field `patterns`: add a list of regular "
        "expressions, each matching a line of the example",
        f"{shown}:62: claim misspelt-field: unknown field `pattern`: the fields of a has claim "
        "are check, file, id, in_block, note, patterns, quote, quote_en",
        f"{shown}:67: claim pattern-not-a-list: `patterns` is not a list: write a list of "
        "regular expressions, each matching a line of the example",
        f"{shown}:72: claim pattern-not-a-regex: /curl (/ is not a regular expression (missing "
        "), unterminated subpattern at position 5): escape what is meant as itself, as \\( for (",
        f"{shown}:77: claim says-no-number: `says` (Rien) holds no number: copy the number from "
        "the quote",
        f'{shown}:6: claim wrong-count: {page}:3 says "21 lignes", '
        "examples/chapitre-3/jobs/web-simple.nomad.hcl has 20 lines",
        f"{shown}:11: claim lost-sentence: its sentence is not in {page}, so it links to no "
        "example: 'Une phrase que la page ne contient plus.' (copy `quote` word for word from "
        "the page)",
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
    assert book_claims.unchecked_code(Text.read(ROOT / claims.page), claims.page, set()) == [
        "tests/data/examples/claims-bad-page.md:8: this bash line is checked by no test: "
        'include the code from examples/ with `--8<-- "examples/..."`, or tie the line to an '
        "example in a claims.yml (`in_block`)"
    ]


def test_claims_report_invalid_yaml_with_line(tmp_path: Path) -> None:
    """Report a YAML syntax error with its line, not a traceback."""
    broken = tmp_path / "claims.yml"
    broken.write_text("page: x.md\nclaims:\n  - id: a\n   quote: [unclosed\n", encoding="utf-8")
    assert load(broken, ROOT).problems == [
        f"{broken}:4: not valid YAML: did not find expected '-' indicator"
    ]


def test_claims_report_file_problems_with_line(tmp_path: Path) -> None:
    """Report a missing page, an English page of another, an unknown key, a claim no mapping."""
    broken = tmp_path / "claims.yml"
    broken.write_text(
        "page: docs/absent.md\npage_en: docs/chapitre-3/3.1-constat.en.md\nnote: x\n"
        "claims:\n  - Une phrase\n",
        encoding="utf-8",
    )
    assert load(broken, ROOT).problems == [
        f"{broken}:1: page docs/absent.md does not exist: fix `page` (a path from the "
        "project's top, as docs/chapitre-3/3.1-constat.md)",
        f"{broken}:2: page_en docs/chapitre-3/3.1-constat.en.md is not the English page of "
        "docs/absent.md: write docs/absent.en.md",
        f"{broken}:3: unknown key `note`: a claims file has page, page_en and claims",
        f"{broken}:5: a claim is a mapping of fields (id, quote, file, check...), not a single "
        "value or a list",
    ]


EXAMPLE_PAGES = [
    ROOT / "docs" / "chapitre-3" / "exemples.md",
    ROOT / "docs" / "chapitre-3" / "exemples.en.md",
]
EXAMPLE_FILES = sorted(ROOT.glob("examples/chapitre-3/*/*.*"))


@pytest.mark.parametrize(
    "page", EXAMPLE_PAGES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLE_PAGES]
)
def test_examples_page_includes_every_example(page: Path) -> None:
    """Show readers every example, included (never copied) in a block of its language."""
    shown = str(page.relative_to(ROOT))
    fences = Text.read(page).fences
    included = {
        line.split('"')[1]: fence.language
        for fence in fences
        for line in map(str.strip, fence.lines)
        if line.startswith('--8<-- "')
    }
    # A block titled with the example and including a file shows it: if the include's
    # path is wrong, the build says so (hooks/snippets.py), once.
    for fence in fences:
        example = example_of(fence)
        if example and fence.lines and fence.lines[0].lstrip().startswith('--8<-- "'):
            included.setdefault(example, fence.language)
    language = {".hcl": "hcl", ".sh": "bash", ".yaml": "yaml", ".kubectl": "bash"}
    problems = [
        f"{shown}:1: {path.relative_to(ROOT)} is not included in a {language[path.suffix]} block"
        for path in EXAMPLE_FILES
        if included.get(str(path.relative_to(ROOT))) != language[path.suffix]
    ]
    assert problems == []
