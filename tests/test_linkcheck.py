"""`make linkcheck`: lychee, offline, over a built site (publishing-linkcheck)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import BIN, ROOT, Build

LINKCHECK = [str(BIN / "publishing-linkcheck")]
FIXTURE = ROOT / "tests" / "data" / "linkcheck" / "site"
NOT_FOUND = "File not found. Check if file exists and path is correct"


def run_linkcheck(site: Path) -> subprocess.CompletedProcess[str]:
    """Check `site` offline as `make linkcheck` does, with the default site_url."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    return subprocess.run(
        [*LINKCHECK, str(site)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_linkcheck_passes_on_the_real_site(built_site: Build) -> None:
    result = run_linkcheck(built_site.site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"🚫 0 Errors", result.stdout), result.stdout


def test_linkcheck_reports_each_broken_link_of_the_fixture() -> None:
    result = run_linkcheck(FIXTURE)
    errors = sorted(
        line.replace(FIXTURE.as_uri(), "SITE").split(" | Remaps")[0]
        for line in result.stdout.splitlines()
        if line.startswith("[ERROR]")
    )
    assert (result.returncode, errors) == (
        2,
        [
            f"[ERROR] SITE/gone/ (at 15:10) | {NOT_FOUND}",
            f"[ERROR] SITE/missing (at 14:10) | {NOT_FOUND}",
            "[ERROR] SITE/page#absent (at 13:10) | Cannot find fragment",
        ],
    )
    assert "6 OK" in result.stdout and "1 Excluded" in result.stdout, result.stdout


def test_linkcheck_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    result = run_linkcheck(tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        f"linkcheck: {tmp_path} is not a built site (no index.html)\n",
    )


def test_linkcheck_appends_a_markdown_report_to_the_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("## Before\n", encoding="utf-8")
    result = subprocess.run(
        [*LINKCHECK, str(FIXTURE), "--summary", str(summary)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    text = summary.read_text(encoding="utf-8")
    assert result.returncode == 2, result.stderr
    assert text.startswith("## Before\n"), text
    assert "page#absent" in text and "Cannot find fragment" in text, text
