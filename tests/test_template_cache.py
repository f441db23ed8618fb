"""hooks/template_cache.py: templates compiled once, compiled again when edited."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import build_problems, build_site


def test_template_cache_fills_and_follows_an_edited_template(project: Path, tmp_path: Path) -> None:
    cache = project / ".cache" / "jinja"
    shutil.rmtree(cache, ignore_errors=True)  # the fixture's copy of the project's: from empty
    built = build_site(project / "mkdocs.yml", tmp_path / "first", cwd=project)
    assert build_problems(built) == []
    assert len(list(cache.glob("*.cache"))) >= 20
    # An edited override, its compiled form in the cache: the build uses the new text.
    main = project / "overrides" / "main.html"
    text = main.read_text(encoding="utf-8")
    end = text.rindex("{% endblock %}")  # inside a block: what a child template shows
    main.write_text(f"{text[:end]}<!-- template edited -->\n{text[end:]}", encoding="utf-8")
    built = build_site(project / "mkdocs.yml", tmp_path / "second", cwd=project)
    assert build_problems(built) == []
    for site in ("first", "second"):
        page = (tmp_path / site / "index.html").read_text(encoding="utf-8")
        assert ("<!-- template edited -->" in page) == (site == "second"), site
