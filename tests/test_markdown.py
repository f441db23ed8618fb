"""publishing.markdown's readers, as plain functions: code fences, lines back in the source."""

from __future__ import annotations

from publishing.markdown import Fence, fences, source_line


def test_fences_each_block_with_indent_info_and_code() -> None:
    lines = [
        "Texte",
        '```bash title="examples/x.sh"',
        "echo un",
        "```",
        '=== "Nomad"',
        "",
        "    ~~~~ { .hcl }",
        "    job {",
        "    ~~~",
        "    }",
        "    ~~~~~",
        "````markdown",
        "```",
        "````",
        "```sh",
        "non fermé",
    ]
    assert fences(lines) == [
        Fence(1, 3, "", 'bash title="examples/x.sh"', ("echo un",)),
        Fence(6, 10, "    ", "{ .hcl }", ("job {", "~~~", "}")),
        Fence(11, 13, "", "markdown", ("```",)),
        Fence(14, 15, "", "sh", ("non fermé",)),
    ]
    assert [fence.language for fence in fences(lines)] == ["bash", "hcl", "markdown", "sh"]


def test_source_line_counts_front_matter_and_lines_hooks_added() -> None:
    source = "---\ndescription: x\n---\n\n# Titre\n\nIntro :\n- a\n- b\n\nFin.\n"
    # As MkDocs hands it to the hooks after hooks/lists.py: no front matter, nor the
    # blank line under it, a blank line above the list, a label another hook changed.
    markdown = "# Titre\n\nIntro (2) :\n\n- a\n- b\n\nFin.\n"
    assert [source_line(source, markdown, i) for i in range(9)] == [5, 6, 7, 8, 8, 9, 10, 11, 12]
