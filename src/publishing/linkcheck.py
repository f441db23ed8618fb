"""Check the links of a built site with lychee, as CI does.

Usage (from the project's top, or through make):

    .venv/bin/publishing-linkcheck SITE_DIR                 # make linkcheck: offline
    .venv/bin/publishing-linkcheck SITE_DIR --external      # CI: external links too
        [--summary FILE]  # append lychee's Markdown report (CI: $GITHUB_STEP_SUMMARY)

Offline, every link between pages of the site is checked, anchors included;
links to other hosts are skipped. The site lives under site_url's path
(/livre/): links that start with it, and absolute links to site_url itself
(canonical, hreflang, sitemap), are mapped onto SITE_DIR. The settings shared
with CI (anchors, retries, cache, excluded hosts) are in lychee.toml.
Exits with lychee's status: 0 when every checked link works.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from publishing.project import ROOT

CONFIG = ROOT / "lychee.toml"
DEFAULT_SITE_URL = "https://example.org/livre/"


def main(argv: list[str] | None = None) -> int:
    """Run lychee over every HTML page of the site; return its exit status."""
    parser = argparse.ArgumentParser(
        prog="publishing-linkcheck", description=__doc__.splitlines()[0]
    )
    parser.add_argument("site", type=Path, help="the built site (mkdocs build -d)")
    parser.add_argument("--external", action="store_true", help="check other hosts too")
    parser.add_argument("--summary", type=Path, help="append a Markdown report to this file")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"linkcheck: {args.site} is not a built site (no index.html)", file=sys.stderr)
        return 2
    site_url = os.environ.get("SITE_URL") or DEFAULT_SITE_URL
    with tempfile.TemporaryDirectory(prefix="linkcheck-") as root:
        command = lychee_command(site, site_url, Path(root), external=args.external)
        report = Path(root) / "report.md"
        if args.summary:
            command += ["--format", "markdown", "--output", str(report)]
        status = subprocess.run(command, cwd=ROOT, check=False).returncode
        if args.summary:
            # lychee overwrites its output; a job summary is appended to.
            with args.summary.open("a", encoding="utf-8") as summary:
                summary.write(report.read_text(encoding="utf-8") if report.exists() else "")
        return status


def lychee_command(site: Path, site_url: str, root: Path, *, external: bool) -> list[str]:
    """Build lychee's command line; make `root`/<site_url's path> lead to the site."""
    base_path = urlsplit(site_url).path.strip("/")
    mount = root / base_path if base_path else root
    mount.parent.mkdir(parents=True, exist_ok=True)
    if base_path:
        mount.symlink_to(site, target_is_directory=True)
    else:
        root = site
    prefix = site_url if site_url.endswith("/") else site_url + "/"
    command = [
        str(Path(sys.executable).parent / "lychee"),
        "--config",
        str(CONFIG),
        "--no-progress",
        "--root-dir",
        str(root),
        "--remap",
        f"^{re.escape(prefix)}(.*)$ {site.as_uri()}/$1",
    ]
    if not external:
        command.append("--offline")
    return [*command, f"{site}/**/*.html"]


if __name__ == "__main__":
    sys.exit(main())
