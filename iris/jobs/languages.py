"""Language tags: validation of what users type, detection of a document's language."""

from __future__ import annotations

import langcodes

AUTO = "auto"


class UnknownLanguageError(ValueError):
    """The text given is not a language tag Iris can use."""


def normalize_language(tag: str) -> str:
    """The standard BCP-47 form of ``tag`` (``en_us`` -> ``en-US``), or an error."""
    cleaned = tag.strip()
    if not cleaned or not langcodes.tag_is_valid(cleaned):
        raise UnknownLanguageError(f"{tag!r} is not a known language tag (try fr, de, pt-BR)")
    standard = str(langcodes.standardize_tag(cleaned))
    if langcodes.Language.get(standard).language in (None, "und", "zxx", "mul", "mis"):
        raise UnknownLanguageError(f"{tag!r} does not name one language")
    return standard


def same_language(a: str, b: str) -> bool:
    return langcodes.Language.get(a).language == langcodes.Language.get(b).language


def detect_language(text: str) -> str:
    """The language most of ``text`` is written in, as a tag `normalize_language`
    accepts; ``en`` when there is no text, or no language in it (py3langid answers
    ``zxx``, "no linguistic content", for ``TBD`` or ``mm cm km kg``)."""
    sample = text[:20000]
    if not sample.strip():
        return "en"
    # Imported here: its model (and numpy) take a tenth of a second to load, which a
    # run with a given source language never needs.
    import py3langid

    language, _score = py3langid.classify(sample)
    try:
        return normalize_language(str(language))
    except UnknownLanguageError:
        return "en"
