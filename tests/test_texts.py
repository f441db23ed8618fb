"""Every text the hooks show readers (hooks/texts.yml) exists in every language the site builds.

hooks/texts.yml holds them by concern (the hook that shows them), then by
language. Each language built must have every text of every concern, with the
same keys and the same placeholders ({date}, {count}...) as the default
language's: a text missing in one language would stop that language's build,
or show a hole.
"""

from __future__ import annotations

import string
from typing import Any

import yaml
from conftest import ROOT

TEXTS = ROOT / "hooks" / "texts.yml"


def built_languages() -> list[str]:
    """Return the languages mkdocs.yml builds, the default one first."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    built = [lang for lang in i18n["languages"] if lang.get("build", "true") == "true"]
    default = [lang["locale"] for lang in built if lang.get("default") == "true"]
    return default + [lang["locale"] for lang in built if lang["locale"] not in default]


def text_problems(texts: dict[str, Any], languages: list[str], hooks: set[str]) -> list[str]:
    """Return each text missing or different in a language, as `file: concern.language.key: ...`."""
    default, *others = languages
    problems = []
    for concern, by_language in texts.items():
        if concern not in hooks:
            problems.append(f"hooks/texts.yml: {concern}: no hooks/{concern}.py shows these texts")
        if not isinstance(by_language, dict) or default not in by_language:
            problems.append(f"hooks/texts.yml: {concern}: no texts in '{default}'")
            continue
        for language in others:
            if language not in by_language:
                problems.append(f"hooks/texts.yml: {concern}: no texts in '{language}'")
                continue
            problems += [
                f"hooks/texts.yml: {concern}.{language}{where}: {what} (as in '{default}')"
                for where, what in _differences(by_language[default], by_language[language])
            ]
    return problems


def _differences(reference: Any, text: Any, where: str = ""):
    """Yield (key path, what differs) between a language's texts and the default one's."""
    if isinstance(reference, dict) and isinstance(text, dict):
        for key in [key for key in reference if key not in text]:
            yield f"{where}.{key}", "missing"
        for key in [key for key in text if key not in reference]:
            yield f"{where}.{key}", "not a text of the default language"
        for key in [key for key in reference if key in text]:
            yield from _differences(reference[key], text[key], f"{where}.{key}")
    elif isinstance(reference, list) and isinstance(text, list):
        if len(reference) != len(text):
            yield where, f"{len(text)} items, not {len(reference)}"
    elif isinstance(reference, str) and isinstance(text, str):
        if _fields(reference) != _fields(text):
            yield where, f"placeholders {_fields(text)}, not {_fields(reference)}"
    else:
        yield where, f"a {type(text).__name__}, not a {type(reference).__name__}"


def _fields(text: str) -> list[str]:
    return sorted({field for _, field, _, _ in string.Formatter().parse(text) if field})


def test_texts_exist_in_every_built_language() -> None:
    texts = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    hooks = {path.stem for path in (ROOT / "hooks").glob("*.py")}
    assert built_languages() == ["fr", "en"]
    assert text_problems(texts, built_languages(), hooks) == []


def test_texts_problems_name_the_concern_language_and_text() -> None:
    texts = {
        "verification": {
            "fr": {"passed": "vérifié le {date}", "months": ["a", "b"], "test": "t"},
            "en": {"passed": "verified", "months": ["a"], "extra": "x"},
        },
        "print_book": {"fr": {"title": "Le livre"}},
        "nowhere": {"en": {"title": "Nothing"}},
    }
    assert text_problems(texts, ["fr", "en"], {"verification", "print_book"}) == [
        "hooks/texts.yml: verification.en.test: missing (as in 'fr')",
        "hooks/texts.yml: verification.en.extra: not a text of the default language (as in 'fr')",
        "hooks/texts.yml: verification.en.passed: placeholders [], not ['date'] (as in 'fr')",
        "hooks/texts.yml: verification.en.months: 1 items, not 2 (as in 'fr')",
        "hooks/texts.yml: print_book: no texts in 'en'",
        "hooks/texts.yml: nowhere: no hooks/nowhere.py shows these texts",
        "hooks/texts.yml: nowhere: no texts in 'fr'",
    ]
