"""hooks/typography.py: French spaces in the text, never in code, tags or addresses."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
from typography import french_spaces

N, S = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("Pourquoi ? Parce que !", f"Pourquoi{N}? Parce que{N}!"),
        ("Le constat : simple ; mais", f"Le constat{S}: simple{N}; mais"),
        ("« simple »", f"«{N}simple{N}»"),
        ("«simple»", f"«{N}simple{N}»"),
        (f"déjà{N}? et{S}:", f"déjà{N}? et{S}:"),
        ("<code>a ? b : c</code> x ?", f"<code>a ? b : c</code> x{N}?"),
        (
            "<pre><code>echo « x » ; y</code></pre> z ;",
            f"<pre><code>echo « x » ; y</code></pre> z{N};",
        ),
        ('<a href="?x=1 ;" title="a : b">t !</a>', f'<a href="?x=1 ;" title="a : b">t{N}!</a>'),
        ("<kbd>Ctrl ?</kbd>", "<kbd>Ctrl ?</kbd>"),
        (
            "A &amp; B ; voir https://example.org/a?b=1",
            f"A &amp; B{N}; voir https://example.org/a?b=1",
        ),
        ("<!-- a : b --> c", "<!-- a : b --> c"),
    ],
)
def test_french_spaces_text_only(html: str, expected: str) -> None:
    assert french_spaces(html) == expected


def test_typography_built_pages(built_site) -> None:
    french = (built_site.site / "chapitre-3" / "3.1-constat" / "index.html").read_text("utf-8")
    english = (built_site.site / "en" / "chapitre-3" / "3.1-constat" / "index.html").read_text(
        "utf-8"
    )
    article = french[french.index("<article") : french.index("</article>")]
    code = "".join(article[i : article.index("</code>", i)] for i in _starts(article, "<code"))
    nav = french[french.index("md-nav--primary") : french.index("md-nav--secondary")]
    toc = french[french.index('class="md-nav md-nav--secondary"') : french.index("<article")]
    assert (
        f"{N}?" in article, f"{S}:" in article, N in code, N in english, f"{S}:" in nav,
        f"{S}:" in toc,
    ) == (True, True, False, False, True, True)  # fmt: skip


def _starts(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out
