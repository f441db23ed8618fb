"""Link each sentence that a claims file checks to its example on the examples page.

Handles ``on_config`` (read every ``examples/<chapter>/claims*.yml`` and the
texts in ``texts.yml`` beside this file), ``on_files`` (which examples the
examples pages of this language's build show) and ``on_page_markdown``:

- on an examples page (``exemples.md`` beside a page that claims files check),
  each code block titled with an example's path (``title="examples/..."``)
  gets an id made from that path, so that a link lands on the example; in a
  content tab (pymdownx.tabbed), which a link cannot open, the id is on the
  tabbed set, so the link lands on the pair of examples;
- on a page a claims file checks, each quoted sentence becomes a link to the
  example of the first claim that quotes it, so several claims sharing one
  sentence give one link; a quoted line of a code block cannot hold a link, so
  the block is followed by one line that links to the examples of its lines.

The author's files stay as written: the links are added at render time. They
are added to the Markdown, not to the HTML, so that MkDocs checks each link and
anchor like the author's own (the strict build fails on a broken one),
mkdocs-static-i18n points ``exemples.md`` at the English examples page in the
English build, hooks/typography.py spaces the linked text like the rest, and
hooks/print_book.py rebases the links on the print page. A claim that breaks
a rule of its claims file, a sentence that is not in the page, or an example
that is not on the examples page, is a warning that names the claim's line in
its claims file (and the page's line, as written, for a sentence that cannot
become a link). A claims file that cannot be read stops the build.

The logic is publishing.claims, shared with the tests; this module only wires
MkDocs' events to it and keeps the build's state.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from publishing.build import docs_name, project_top, read_texts
from publishing.claims import (
    CLAIMS_FILES,
    Plan,
    Text,
    anchor_examples,
    link_claims,
    load,
    plans,
    titled,
)
from publishing.languages import current_language, default_language

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

_SUFFIX = re.compile(r"\.([a-z]{2})\.md$")

# Reset in on_config and on_files: `mkdocs serve` keeps this module across builds.
_plans: dict[str, Plan] = {}
_texts: dict[str, dict[str, str]] = {}
# This language build's examples pages (as built, e.g. exemples.en.md) and what they show.
_shown: dict[str, set[str]] = {}
_built: dict[str, str] = {}  # unsuffixed examples page -> the one this build renders


def on_config(config: MkDocsConfig, **kwargs) -> None:
    """Read the claims files and the texts of the added lines."""
    root = project_top(config)
    _texts.clear()
    _texts.update(read_texts(__file__))
    _plans.clear()
    for path in sorted(root.glob(CLAIMS_FILES)):
        claims = load(path, root)
        if not claims.readable:
            raise PluginError(claims.problems[0])
        for problem in claims.problems:
            log.warning(problem)
        for src_uri, plan in plans(claims, root, Path(config.docs_dir)).items():
            if src_uri in _plans:
                _plans[src_uri].claims += plan.claims
            else:
                _plans[src_uri] = plan


def on_files(files: Files, /, *, config: MkDocsConfig, **kwargs) -> None:
    """Note which examples each examples page of this build shows."""
    language = current_language(config)
    default = default_language(config)
    _shown.clear()
    _built.clear()
    for examples in {plan.examples for plan in _plans.values()}:
        built = examples
        if language != default:
            localized = _localized(examples, language)
            built = localized if files.get_file_from_path(localized) else examples
        _built[examples] = built
        file = files.get_file_from_path(built)
        text = Text(file.content_string if file is not None else "")
        _shown[built] = {example for _, example in titled(text)}


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files, **kwargs
) -> str | None:
    """Give the examples ids on an examples page; link the claimed sentences elsewhere."""
    src_uri = page.file.src_uri
    if src_uri in _shown:
        return anchor_examples(markdown)
    plan = _plans.get(src_uri)
    if plan is None:
        return None
    built = _built[plan.examples]
    language = _language_of(src_uri) or default_language(config)
    linked, problems = link_claims(
        markdown,
        plan.claims,
        page=plan.shown,
        href=posixpath.relpath(plan.examples, posixpath.dirname(src_uri) or "."),
        examples=docs_name(config, built),
        shown=_shown[built],
        note=_text(language, "in_block"),
        english=plan.english,
        source=page.file.content_string,
    )
    for problem in problems:
        log.warning(problem)
    return linked if linked != markdown else None


def _text(language: str, name: str) -> str:
    """Return one of the added texts in a language."""
    try:
        return _texts[language][name]
    except (KeyError, TypeError) as error:
        raise PluginError(f"hooks/texts.yml: claims: no `{name}` text for '{language}'") from error


def _language_of(src_uri: str) -> str | None:
    """Return the language suffix of a page's file (a/b.en.md -> en), None without one."""
    match = _SUFFIX.search(src_uri)
    return match.group(1) if match else None


def _localized(src_uri: str, language: str) -> str:
    """Return the suffixed name of a page's translation: a/b.md -> a/b.en.md."""
    stem, extension = posixpath.splitext(src_uri)
    return f"{stem}.{language}{extension}"
