"""Serve a built site on 127.0.0.1 under the path of its site_url, as its real host would.

`.venv/bin/publishing-serve SITE_DIR [--prefix /livre/] [--port 8000]`, or
`serve(site_dir, prefix)` as a context manager from another module or a test.
Like a production host it compresses text with gzip for clients that accept
it, answers a folder with its index.html (redirecting its address without the
final slash to the one with it), and answers a missing address
with status 404 and the 404 page of the address's language: `en/404.html`
under `/livre/en/`, `404.html` anywhere else.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import mimetypes
import threading
from collections.abc import Iterator
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What a host compresses: text, not images that are compressed already.
COMPRESSED = ("text/", "application/javascript", "application/json", "application/xml",
              "image/svg+xml")  # fmt: skip


class SiteHandler(BaseHTTPRequestHandler):
    """Answer GET and HEAD from the site's files under the prefix."""

    def __init__(self, *args, site: Path, prefix: str, **kwargs) -> None:
        self.site = site
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # named by http.server
        """Send the file, the language's 404 page, or a redirect to the prefix."""
        self._answer(body=True)

    def do_HEAD(self) -> None:
        """Send the headers GET would send."""
        self._answer(body=False)

    def log_message(self, format: str, *args) -> None:
        """Stay quiet: the caller reports what matters."""

    def _answer(self, *, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if not path.endswith("/") and (resolve(self.site, self.prefix, path + "/") is not None):
            # A folder without its slash: relative links would break, so redirect.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.end_headers()
            return
        found = resolve(self.site, self.prefix, path)
        status = HTTPStatus.OK
        if found is None:
            status, found = HTTPStatus.NOT_FOUND, not_found_page(self.site, self.prefix, path)
        content = found.read_bytes()
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header(
            "Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else "")
        )
        if kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", ""):
            content = gzip.compress(content, compresslevel=9)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)


def resolve(site: Path, prefix: str, path: str) -> Path | None:
    """Return the file that answers `path`, or None when there is none."""
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    candidate = (site / relative).resolve()
    if not candidate.is_relative_to(site.resolve()):
        return None
    if candidate.is_dir():
        if relative and not relative.endswith("/"):
            return None
        candidate = candidate / "index.html"
    elif relative.endswith("/"):
        return None
    return candidate if candidate.is_file() else None


def not_found_page(site: Path, prefix: str, path: str) -> Path:
    """Return the 404 page in the language of the address's first folder, if it has one."""
    relative = path[len(prefix) :] if path.startswith(prefix) else ""
    first = relative.split("/", 1)[0]
    localized = site / first / "404.html"
    if first and "/" in relative and localized.is_file():
        return localized
    return site / "404.html"


@contextlib.contextmanager
def serve(site: Path, prefix: str = "/livre/", port: int = 0) -> Iterator[str]:
    """Serve `site` in a thread; yield the site's base address (http://127.0.0.1:N/livre/)."""
    handler = partial(SiteHandler, site=Path(site), prefix=prefix)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """Serve a site until interrupted."""
    parser = argparse.ArgumentParser(prog="publishing-serve", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--prefix", default="/livre/")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serve(args.site, args.prefix, args.port) as url:
        print(f"Serving {args.site} at {url} (Ctrl-C stops)")
        threading.Event().wait()


if __name__ == "__main__":
    main()
