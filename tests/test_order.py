"""The effects that depend on the order of the hooks (publishing.order), in a build of the book.

Each test builds a copy of the book with a page made for it and checks what
the readers or the author would see if two handlers ran the other way round:
a French description taken before typography lacks its no-break spaces, an
English notice taken as the description, a missing include reported at the
wrong line, marked as an example, or counted in its tab's label.
"""

from __future__ import annotations

from pathlib import Path

from conftest import build_problems, build_site, soup_of

N = "\u202f"  # narrow no-break space
S = "\u00a0"  # no-break space

# No description in the front matter: hooks/meta.py takes the first paragraph.
DESCRIBED = """\
# Ordre

Une pile "simple" : nomad ; vraiment ? Oui !

Un second paragraphe.
"""

# The include is missing; below it, a list right under its paragraph, to which
# hooks/lists.py adds a blank line (lines after the include must not move it).
MISSING = """\
---
description: Un extrait manquant dans un onglet.
---

# Extrait manquant

=== "Script"

    ```bash
    --8<-- "examples/chapitre-3/scripts/nowhere.sh"
    ```

Ensuite :
- un
- deux
"""


def add_page(project: Path, name: str, text: str) -> None:
    """Add a French page to the copy's docs and nav."""
    (project / "docs" / name).write_text(text, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"  - {name}\n")


def description(page: Path) -> str:
    """Return the page's meta description, as search engines read it."""
    return soup_of(page).find("meta", attrs={"name": "description"})["content"]


def test_order_description_after_typography_before_notices(project: Path) -> None:
    """French spaces in the description; an untranslated page's is its text, not the notice."""
    add_page(project, "ordre.md", DESCRIBED)
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert build_problems(build) == []
    spaced = f"Une pile «{N}simple{N}»{S}: nomad{N}; vraiment{N}? Oui{N}!"
    assert (
        description(build.site / "ordre" / "index.html"),
        description(build.site / "en" / "ordre" / "index.html"),
    ) == (spaced, spaced)


def test_order_missing_include_dropped_before_the_others_read_it(project: Path) -> None:
    """One warning at the include's source line; no mark and no line count for it."""
    add_page(project, "manquant.md", MISSING)
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    page = soup_of(build.site / "manquant" / "index.html")
    assert (
        [problem.split(" not found;")[0] for problem in build_problems(build)],
        page.select(".livre-verified"),
        [label.get_text() for label in page.select(".tabbed-labels label")],
    ) == (
        [
            "WARNING -  hooks/snippets: docs/manquant.md:10: snippet "
            "'examples/chapitre-3/scripts/nowhere.sh'"
        ],
        [],
        ["Script"],
    )
