"""hooks/typography.py: French spaces in the text, never in code, tags or addresses."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import build_problems, build_site, soup_of

from publishing import meta, typography
from publishing.order import AFTER_CONTENT_ADDED, AFTER_TYPOGRAPHY
from publishing.typography import french_spaces

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
        # A mark right after an inline element gets its space too.
        ("<code>claims.yml</code> : si", f"<code>claims.yml</code>{S}: si"),
        ('voir <a href="x">3.1</a> ; puis', f'voir <a href="x">3.1</a>{N}; puis'),
        ("<strong>Attention</strong> !", f"<strong>Attention</strong>{N}!"),
        ("<em>vite</em> ?", f"<em>vite</em>{N}?"),
        # ...but not at the start of a block, where no word precedes it.
        ("<p>x</p> : y", "<p>x</p> : y"),
        # Straight double quotes in prose: « » outside, “ ” nested inside.
        ('l\'alternative "simple" : Nomad', f"l'alternative «{N}simple{N}»{S}: Nomad"),
        (
            'il dit "la pile "simple" tient" ici',
            f"il dit «{N}la pile “simple” tient{N}» ici",
        ),
        ('<em>"Le moment</em> où" x', f"<em>«{N}Le moment</em> où{N}» x"),
        ('("Service A tombe")', f"(«{N}Service A tombe{N}»)"),
        # A quote left open at the end of a paragraph does not leak into the next one.
        ('<p>"a</p><p>b" c</p>', f"<p>«{N}a</p><p>b{N}» c</p>"),
        # Nothing inside code, attributes or addresses.
        (
            '<code>echo "x" ; y</code> "z"',
            f'<code>echo "x" ; y</code> «{N}z{N}»',
        ),
        (
            '<a href="https://example.org/?q=&quot;a&quot;" title="« b »">c</a>',
            '<a href="https://example.org/?q=&quot;a&quot;" title="« b »">c</a>',
        ),
        ('<script>var a = "x : y";</script>', '<script>var a = "x : y";</script>'),
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


def test_typography_then_meta_description_keeps_the_spaces() -> None:
    """The description is derived after typography (the hooks' own priorities), with its spaces."""
    page = SimpleNamespace(title="Le constat : simple", toc=[], meta={}, file=SimpleNamespace())
    config = SimpleNamespace(plugins={}, theme={"language": "fr"})
    html = '<h1>Le constat</h1>\n<p>Une pile "simple" : <code>nomad</code> ; voilà !</p>'
    steps = {
        AFTER_CONTENT_ADDED: lambda html: typography.french_page(html, page, config),
        AFTER_TYPOGRAPHY: lambda html: meta.describe(page.meta, html),
    }
    for priority in sorted(steps, reverse=True):
        html = steps[priority](html) or html
    assert (page.title, str(page.meta["description"])) == (
        f"Le constat{S}: simple",
        f"Une pile «{N}simple{N}»{S}: nomad{N}; voilà{N}!",
    )


def test_typography_front_matter_description() -> None:
    page = SimpleNamespace(
        title=None, toc=[], meta={"description": 'Des "alternatives" : Nomad'}, file=None
    )
    config = SimpleNamespace(plugins={}, theme={"language": "fr"})
    typography.french_page("<p>x</p>", page, config)
    meta.describe(page.meta, "<p>x</p>")
    assert str(page.meta["description"]) == f"Des «{N}alternatives{N}»{S}: Nomad"


PAGE = """---
description: Une pile "simple" ; vraiment ?
---
# Essai : une page

Du texte.
"""


def test_typography_built_head_and_templates(project: Path) -> None:
    """The head's title, the descriptions and the navigation of a French page; none in English."""
    (project / "docs" / "essai.md").write_text(PAGE, encoding="utf-8")
    (project / "docs" / "essai.en.md").write_text(
        PAGE.replace("Une pile", "A stack").replace("Essai :", "Trial:"), encoding="utf-8"
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("  - essai.md\n")
    build = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert build_problems(build) == []
    french = soup_of(build.site / "essai" / "index.html")
    english = soup_of(build.site / "en" / "essai" / "index.html")
    description = french.find("meta", attrs={"name": "description"})["content"]
    og = french.find("meta", attrs={"property": "og:description"})["content"]
    nav_labels = [a.get_text() for a in french.select(".md-nav--primary .md-nav__link")]
    english_description = english.find("meta", attrs={"name": "description"})["content"]
    assert (
        description,
        og == description,
        f"Essai{S}: une page" in french.title.get_text(),
        any(f"Essai{S}: une page" in label for label in nav_labels),
        english_description,
    ) == (
        f"Une pile «{N}simple{N}»{N}; vraiment{N}?",
        True,
        True,
        True,
        'A stack "simple" ; vraiment ?',
    )


def test_typography_404_page_of_the_french_build_only() -> None:
    html = '<p>Introuvable : "x"</p>'
    french = SimpleNamespace(plugins={}, theme={"language": "fr"})
    english = SimpleNamespace(plugins={}, theme={"language": "en"})
    assert [
        typography.french_404(html, name, config)
        for name, config in (("404.html", french), ("404.html", english), ("x.xml", french))
    ] == [f"<p>Introuvable{S}: «{N}x{N}»</p>", None, None]


def _starts(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out
