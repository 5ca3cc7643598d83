from __future__ import annotations

import pytest

from iris.jobs.languages import UnknownLanguageError, detect_language, normalize_language


@pytest.mark.parametrize(
    ("given", "expected"),
    [("fr", "fr"), ("en_us", "en-US"), ("zh-hans", "zh-Hans"), ("PT-br", "pt-BR"), ("ar", "ar")],
)
def test_tags_are_normalised(given: str, expected: str) -> None:
    assert normalize_language(given) == expected


@pytest.mark.parametrize("bad", ["", "xx", "klingon", "und", "fr--", "123"])
def test_unknown_languages_are_rejected(bad: str) -> None:
    with pytest.raises(UnknownLanguageError):
        normalize_language(bad)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The quarterly report shows that the delivery schedule has improved.", "en"),
        ("Le rapport trimestriel montre que le calendrier de livraison s'est amélioré.", "fr"),
        ("Der Quartalsbericht zeigt, dass sich der Lieferplan verbessert hat.", "de"),
        ("四半期報告書によると、納品スケジュールは改善されました。", "ja"),
    ],
)
def test_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["TBD", "ID 1234 5678", "x y z", "mm cm km kg"])
def test_text_in_no_language_is_read_as_english(text: str) -> None:
    """py3langid answers ``zxx`` (no linguistic content), which names no language a
    job could use: the document is read as English, as one with no text is."""
    assert detect_language(text) == "en"
