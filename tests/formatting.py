"""Compare a file with what its formatter makes of it (shfmt, hclwrite.Format)."""

from __future__ import annotations


def unformatted(shown: str, text: str, formatted: str, formatter: str) -> list[str]:
    """Report the first line `formatter` would change, as `shown:line: msg` (none if same)."""
    have, want = text.splitlines(), formatted.splitlines()
    for number, (line, expected) in enumerate(zip(have, want, strict=False), start=1):
        if line != expected:
            return [
                f"{shown}:{number}: not formatted as {formatter} would leave it: "
                f"expected {expected!r}, found {line!r}"
            ]
    if len(have) != len(want):
        return [
            f"{shown}:{min(len(have), len(want)) + 1}: not formatted as {formatter} would leave "
            f"it: {len(want)} lines expected, {len(have)} found"
        ]
    return []
