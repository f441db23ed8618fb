"""What the hooks share about MkDocs' build: texts, generated pages, sources.

The hooks (hooks/*.py) call these rather than each keeping a copy (the site's
languages are publishing.languages'): a hook's per-language texts, read from
hooks/texts.yml, a generated page per language (the print page, the status
page), a page's source named for messages, and git.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from publishing.languages import default_language

# Every per-language text the hooks show, by concern (the hook's name), then language.
TEXTS = "texts.yml"

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def read_texts(hook: str) -> dict[str, Any]:
    """Read a hook's texts per language from texts.yml beside it; a broken file stops the build."""
    # Beside the hook, not the package: a copy of the book (tests, the bench) has its own.
    path = Path(hook).with_name(TEXTS)
    concern = Path(hook).stem
    try:
        texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PluginError(f"hooks/{TEXTS}: {error}") from error
    if not isinstance(texts, dict) or not isinstance(texts.get(concern), dict):
        raise PluginError(f"hooks/{TEXTS}: no texts for `{concern}`, by language")
    return texts[concern]


def project_top(config: MkDocsConfig) -> Path:
    """Return the folder of mkdocs.yml, absolute (`-f mkdocs.yml` gives MkDocs a relative path)."""
    return Path(config.config_file_path).resolve().parent


def add_language_pages(
    files: Files, config: MkDocsConfig, languages: list[str], source: str
) -> Files:
    """Add a generated page per language: `source` for the default one, suffixed for others."""
    stem = source.removesuffix(".md")
    for language in languages:
        uri = source if language == default_language(config) else f"{stem}.{language}.md"
        if files.get_file_from_path(uri) is None:
            files.append(File(uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def language_of(src_uri: str, source: str, default: str) -> str | None:
    """Return the language of a generated page's source (`source`, suffixed), None for others."""
    if src_uri == source:
        return default
    stem = re.escape(source.removesuffix(".md"))
    match = re.fullmatch(rf"{stem}\.([a-z]{{2}})\.md", src_uri)
    return match.group(1) if match else None


@dataclass
class GeneratedPages:
    """A page a hook generates in each language of its texts: `source`, suffixed for the others.

    `configure` runs in the hook's on_config: `mkdocs serve` keeps hook modules across builds.
    """

    source: str
    texts: dict[str, Any] = field(default_factory=dict)
    default: str = ""

    def configure(self, hook: str, config: MkDocsConfig) -> None:
        """Read the hook's texts (one per language) and the site's default language."""
        self.texts = read_texts(hook)
        self.default = default_language(config)

    def add(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the page of each language to the build's files."""
        return add_language_pages(files, config, list(self.texts), self.source)

    def language(self, src_uri: str) -> str | None:
        """Return the language of one of these pages' sources, None for any other page."""
        return language_of(src_uri, self.source, self.default)


def front_matter_lines(page: Page, markdown: str) -> int:
    """Count the source lines above the Markdown body (front matter)."""
    try:
        source = page.file.content_string
    except (OSError, ValueError):
        return 0
    return max(source.count("\n") - markdown.count("\n"), 0)


def docs_name(config: MkDocsConfig, src_uri: str) -> str:
    """Name a page's source relative to the project's top, for messages: docs/x.md."""
    docs = Path(config.docs_dir)
    return (docs / src_uri).relative_to(docs.parent).as_posix()


def git(folder: str, *args: str) -> str | None:
    """Run git in `folder`; None when git or the repository is missing."""
    try:
        result = subprocess.run(
            ["git", "-C", folder, *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None
