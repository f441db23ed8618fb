"""The project a command works on: the folder of mkdocs.yml, found from where it runs."""

from __future__ import annotations

from pathlib import Path


def find_root(start: Path | None = None) -> Path:
    """Return the nearest folder holding mkdocs.yml from `start` up, else `start` itself."""
    here = (start or Path.cwd()).resolve()
    return next((p for p in (here, *here.parents) if (p / "mkdocs.yml").is_file()), here)


# make, CI and the tests run at the top; a copy of the project (tests/workflows.py) is
# its own project, so the root comes from the working folder, not from this file.
ROOT = find_root()
