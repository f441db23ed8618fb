"""What the tests verified of each example: recorded by the run, shown under each example."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_problems, build_site, example_results, examples_of

DATA = ROOT / "tests" / "data" / "verification"
EXAMPLES_PAGE = ("chapitre-3/exemples", "en/chapitre-3/exemples")


def _test(name: str, outcome: str, kind: str, *examples: str, version: str = "") -> dict:
    against = {"kind": kind, **({"version": version} if version else {})}
    return {"name": name, "file": "tests/t.py", "line": 3, "examples": list(examples),
            "against": against, "outcome": outcome}  # fmt: skip


def test_example_results_one_per_example_failed_wins_strongest_check_shown(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.sh").write_text("echo a\n", encoding="utf-8")
    tests = [
        _test("lint", "passed", "lint", "a.sh", "b.hcl"),
        _test("behaviour", "passed", "nomad", "a.sh", version="1.9.7"),
        _test("stand-in", "passed", "standin", "a.sh"),
        _test("rules", "failed", "schema", "b.hcl"),
        _test("validate", "skipped", "nomad", "c.hcl"),
    ]
    results = example_results(tests, "abc", "2026-11-30", root=tmp_path)
    summary = {
        path: (r["status"], r["against"], r["test"]["name"], r["tests"], bool(r["sha256"]))
        for path, r in results["examples"].items()
    }
    assert (results["commit"], results["date"], summary) == (
        "abc",
        "2026-11-30",
        {
            "a.sh": ("passed", {"kind": "nomad", "version": "1.9.7"}, "behaviour", 3, True),
            "b.hcl": ("failed", {"kind": "schema"}, "rules", 2, False),
            "c.hcl": ("skipped", {"kind": "nomad"}, "validate", 1, False),
        },
    )


@pytest.mark.parametrize(
    ("file", "name", "params", "expected"),
    [
        (
            "test_examples_jobs.py",
            "test_job_parses",
            {"path": ROOT / "examples/chapitre-3/jobs/web.nomad.hcl"},
            ["examples/chapitre-3/jobs/web.nomad.hcl"],
        ),
        (
            "test_examples_scripts.py",
            "test_scripts_send_the_acl_token",
            {"name": "monitor.sh"},
            ["examples/chapitre-3/scripts/monitor.sh"],
        ),
        (
            "test_examples_scripts.py",
            "test_deploy_rolls_out_new_version",
            {},
            ["examples/chapitre-3/scripts/deploy.sh"],
        ),
        ("test_site.py", "test_deploy_page", {}, []),
        ("test_examples_jobs.py", "test_job_check_reports", {"name": "bad"}, []),
    ],
    ids=["path-parameter", "file-name-parameter", "script-name", "not-an-examples-test", "none"],
)
def test_examples_of_a_test(file: str, name: str, params: dict, expected: list[str]) -> None:
    item = SimpleNamespace(
        path=ROOT / "tests" / file,
        name=name,
        originalname=name,
        callspec=SimpleNamespace(params=params) if params else None,
    )
    assert examples_of(item) == expected


def test_example_results_merged_from_xdist_workers(tmp_path: Path) -> None:
    """Two workers each run some of the checks: the controller writes every example once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NOMAD_"))}
    env["EXAMPLE_RESULTS"] = str(tmp_path / "results.json")
    tests = ["tests/test_examples_scripts.py", "tests/test_examples_jobs.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", *tests,
         "-k", "parses or formatted", "--basetemp", str(tmp_path / "run")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    examples = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "examples").rglob("*")
        if path.suffix in (".sh", ".hcl")
    )
    assert {path: r["status"] for path, r in results["examples"].items()} == dict.fromkeys(
        examples, "passed"
    )


def _marks(site: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """Return each examples page's marks: (example, status, text, link)."""
    marks = {}
    for page in EXAMPLES_PAGE:
        soup = BeautifulSoup((site / page / "index.html").read_text("utf-8"), "html.parser")
        marks[page] = [
            (
                p["data-example"],
                p["data-status"],
                " ".join(p.get_text().split()),
                p.a["href"] if p.a else "",
            )
            for p in soup.select("article p.livre-verified")
        ]
    return marks


def _includes(project: Path) -> list[str]:
    text = (project / "docs" / "chapitre-3" / "exemples.md").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())  # indented in a content tab
    return [line.split('"')[1] for line in lines if line.startswith('--8<-- "')]


def test_verification_marks_a_planted_failing_example(project: Path) -> None:
    results = json.loads((DATA / "results.json").read_text(encoding="utf-8"))
    for path in ("examples/chapitre-3/jobs/web.nomad.hcl", "examples/chapitre-3/scripts/deploy.sh"):
        digest = hashlib.sha256((project / path).read_bytes()).hexdigest()
        results["examples"][path]["sha256"] = digest
    (project / ".cache" / "example-results.json").write_text(json.dumps(results), "utf-8")
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert build_problems(build) == []
    marks = _marks(build.site)
    blob = (
        "https://github.com/example/livre-kubernetes/blob/0123456789abcdef0123456789abcdef01234567"
    )
    shown = {
        page: {example: (status, text, link) for example, status, text, link in found}
        for page, found in marks.items()
    }
    picked = {
        page: [
            by_example[path]
            for path in (
                "examples/chapitre-3/scripts/deploy.sh",
                "examples/chapitre-3/jobs/web.nomad.hcl",
                "examples/chapitre-3/scripts/scale.sh",
                "examples/chapitre-3/jobs/cron.nomad.hcl",
            )
        ]
        for page, by_example in shown.items()
    }
    assert (
        [[example for example, *_ in found] for found in marks.values()],
        picked,
    ) == (
        [_includes(project), _includes(project)],
        {
            "chapitre-3/exemples": [
                (
                    "failed",
                    "en échec le 30 novembre 2026 sur la doublure de l'API de Nomad",
                    f"{blob}/tests/test_examples_scripts.py#L367",
                ),
                (
                    "passed",
                    "vérifié le 30 novembre 2026 sur Nomad 1.9.7",
                    f"{blob}/tests/test_examples_jobs.py#L300",
                ),
                ("unchecked", "modifié depuis sa dernière vérification", ""),
                ("unchecked", "non vérifié dans cette construction", ""),
            ],
            "en/chapitre-3/exemples": [
                (
                    "failed",
                    "failed on 30 November 2026 against the Nomad API stand-in",
                    f"{blob}/tests/test_examples_scripts.py#L367",
                ),
                (
                    "passed",
                    "verified on 30 November 2026 against Nomad 1.9.7",
                    f"{blob}/tests/test_examples_jobs.py#L300",
                ),
                ("unchecked", "changed since it was last checked", ""),
                ("unchecked", "not checked in this build", ""),
            ],
        },
    )


def test_verification_build_without_results_claims_nothing(project: Path) -> None:
    # The project's copy has no .cache/example-results.json: no run of the tests.
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert build_problems(build) == []
    statuses = {
        page: {(status, text) for _, status, text, _ in found}
        for page, found in _marks(build.site).items()
    }
    assert statuses == {
        "chapitre-3/exemples": {("unchecked", "non vérifié dans cette construction")},
        "en/chapitre-3/exemples": {("unchecked", "not checked in this build")},
    }
