"""Measure what readers get: Lighthouse scores and first-visit weight (`make audit`).

Builds the site strictly into a temporary folder with site_url set to the local
server's address (same path as the real one), serves it on 127.0.0.1 under that
path (publishing.serve: gzip, 404 page per language), so that full
addresses (canonical, hreflang) stay on the local server; then
runs npm's Lighthouse (pinned in package.json) with Debian's chromium, mobile
profile and desktop preset, on the home page and section 3.1 in both
languages. Prints a table of the four scores per run, the audits that did not
pass, and the bytes a reader downloads on a first visit: gzipped transfer
from Lighthouse's network records, without search (its worker, lunr's
language files and the index, all fetched once the page has loaded). Exits 1
when a target is missed.
Not part of `make test`: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import load_config

from publishing.project import ROOT
from publishing.serve import serve

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
PAGES = ("", "chapitre-3/3.1-constat/", "en/", "en/chapitre-3/3.1-constat/")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The issue's targets: the least score accepted per category, by profile.
TARGETS = {
    "mobile": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
    "desktop": {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100},
}
WEIGHT_TARGET = 80 * 1024
# Search: the worker, lunr's language files, the index, loaded after the page.
SEARCH = ("/search/", "/javascripts/lunr/", "/javascripts/workers/search.")


def main() -> int:
    """Build, serve, audit every page in both profiles, print the results."""
    parser = argparse.ArgumentParser(prog="publishing-audit", description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `npm ci` first")
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        prefix = urlsplit(_site_url()).path or "/"
        with serve(site, prefix) as base:
            _build(site, base)
            results = [
                _lighthouse(base + page, profile, Path(tmp))
                for profile in ("mobile", "desktop")
                for page in PAGES
            ]
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(not r["missed"] for r in results) else 1


def _site_url() -> str:
    """Return site_url as the build sees it (SITE_URL overrides mkdocs.yml)."""
    return load_config(str(ROOT / "mkdocs.yml")).site_url or "/"


def _build(site: Path, site_url: str) -> None:
    """Build the site strictly into `site` for the address `site_url`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)


def _lighthouse(url: str, profile: str, tmp: Path) -> dict:
    """Run Lighthouse on one page; return its scores, failed audits and weight."""
    report = tmp / "report.json"
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    if profile == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not report.exists():
        sys.exit(f"lighthouse failed on {url} ({profile}):\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    failed = sorted(
        f"{key} ({audit['score']})"
        for key, audit in data["audits"].items()
        if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        and audit.get("score") is not None
        and audit["score"] < 0.9
    )
    requests = data["audits"]["network-requests"]["details"]["items"]
    fetched = [r for r in requests if not r["url"].startswith("data:")]
    hosts = sorted({urlsplit(r["url"]).netloc for r in fetched} - {urlsplit(url).netloc})
    failed_requests = sorted(r["url"] for r in fetched if r.get("statusCode", 200) >= 400)
    search = sum(r.get("transferSize", 0) for r in fetched if _is_search(r["url"]))
    weight = sum(r.get("transferSize", 0) for r in fetched if not _is_search(r["url"]))
    # Bytes of answers that failed (a 404 page): part of the weight, shown apart.
    wasted = sum(r.get("transferSize", 0) for r in fetched if r.get("statusCode", 200) >= 400)
    missed = [
        f"{c} {scores[c]} < {target}"
        for c, target in TARGETS[profile].items()
        if scores[c] < target
    ]
    if weight > WEIGHT_TARGET:
        missed.append(f"weight {weight} > {WEIGHT_TARGET}")
    if failed_requests:
        missed.append(f"failed requests: {', '.join(failed_requests)}")
    if hosts:
        missed.append(f"requests to other hosts: {', '.join(hosts)}")
    return {
        "page": urlsplit(url).path, "profile": profile, "scores": scores, "weight": weight,
        "search": search, "failed_bytes": wasted, "requests": len(fetched), "other_hosts": hosts,
        "failed_requests": failed_requests,
        "failed_audits": failed, "missed": missed,
    }  # fmt: skip


def _is_search(url: str) -> bool:
    """Tell whether a request belongs to search, which loads after the page."""
    return any(part in urlsplit(url).path for part in SEARCH)


def _print(results: list[dict]) -> None:
    """Print the scores table, then what did not pass."""
    header = f"{'page':<36} {'profile':<8} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}"
    print(header + f" {'first visit (gzip)':>19} {'of it failed':>13} {'+ search':>12}")
    for r in results:
        s = r["scores"]
        print(
            f"{r['page']:<36} {r['profile']:<8} {s['performance']:>5} {s['accessibility']:>5} "
            f"{s['best-practices']:>5} {s['seo']:>5} {r['weight'] / 1024:>16.1f} KB "
            f"{r['failed_bytes'] / 1024:>10.1f} KB "
            f"{r['search'] / 1024:>9.1f} KB"
        )
    for r in results:
        if r["failed_audits"] or r["missed"]:
            print(f"\n{r['page']} ({r['profile']}):")
            for line in r["missed"]:
                print(f"  MISSED {line}")
            for line in r["failed_audits"]:
                print(f"  audit below 0.9: {line}")


if __name__ == "__main__":
    sys.exit(main())
