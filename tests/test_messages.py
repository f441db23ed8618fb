"""The wording of the book's mistakes as plain functions (publishing.messages)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publishing import messages

if TYPE_CHECKING:
    from pathlib import Path


def test_messages_not_utf8_names_line_and_column() -> None:
    raw = "é\nab\xff".encode("latin-1")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        said = messages.not_utf8(raw, error)
    assert said.startswith("1: byte 0xe9 (column 1) is not UTF-8: save the file as UTF-8")


def test_messages_located_link_skips_code_blocks(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    page = "```md\n[a](gone.md)\n```\n\nSee [a](gone.md).\n"
    (docs / "x.md").write_text(page, encoding="utf-8")
    warning = (
        "Doc file 'x.md' contains a link 'gone.md', but the target is not found among "
        "documentation files."
    )
    assert messages.located(warning, docs, tmp_path / "mkdocs.yml") == (
        "docs/x.md:5: link 'gone.md' leads to no page of docs/: fix the path (relative to "
        "this page), or plan the section in hooks/outline.yml",
        "docs/x.md:5: gone.md",
    )


def test_messages_source_problems_front_matter_and_encoding(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    bad_yaml, latin = tmp_path / "a.md", tmp_path / "b.md"
    bad_yaml.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    latin.write_bytes("é".encode("latin-1"))
    undecodable, warnings = messages.source_problems([bad_yaml, latin], config)
    assert [u.split(" (")[0] for u in undecodable] == ["b.md:1: byte 0xe9"]
    assert [w.split(" (")[0] for w in warnings] == ["a.md:3: front matter is not valid YAML"]
