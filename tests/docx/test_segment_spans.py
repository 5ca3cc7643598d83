"""sentence_spans: coverage, whitespace ownership, language codes, speed."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from iris.docx.text.segment import primary_language, sentence_spans
from tests.docx.test_segment_table import CASES


def pieces(text: str, lang: str = "en") -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, lang)]


def test_empty_text_has_no_spans() -> None:
    assert sentence_spans("", "en") == []


def test_whitespace_only_is_one_span() -> None:
    assert sentence_spans("   ", "en") == [(0, 3)]


def test_leading_whitespace_belongs_to_first_sentence() -> None:
    assert pieces("  One. Two.") == ["  One. ", "Two."]


def test_trailing_whitespace_belongs_to_its_sentence() -> None:
    assert pieces("One.\u00a0 Two.\t") == ["One.\u00a0 ", "Two.\t"]


def test_newlines_stay_with_the_sentence_before() -> None:
    assert pieces("One.\n\nTwo.") == ["One.\n\n", "Two."]


def test_cjk_full_stops_split_without_spaces() -> None:
    assert pieces("一。二！三？四", "zh") == ["一。", "二！", "三？", "四"]


def test_cjk_full_stops_split_even_with_a_non_cjk_language() -> None:
    assert pieces("一。二。", "en") == ["一。", "二。"]


def test_url_is_never_split() -> None:
    text = "Open https://example.com/a.B/c.D?x=1. Then continue."
    assert pieces(text) == ["Open https://example.com/a.B/c.D?x=1. ", "Then continue."]


def test_email_is_never_split() -> None:
    assert pieces("Mail Jane.Doe@Example.COM. Thanks.") == [
        "Mail Jane.Doe@Example.COM. ",
        "Thanks.",
    ]


def test_placeholder_is_never_split() -> None:
    assert pieces("Hi {{ user.Name }}. Bye.") == ["Hi {{ user.Name }}. ", "Bye."]


def test_primary_language() -> None:
    assert primary_language("en-US") == "en"
    assert primary_language("zh_Hans") == "zh"
    assert primary_language(" PT-br ") == "pt"
    assert primary_language("") == ""


def test_unknown_and_empty_language_codes_use_generic_rules() -> None:
    for code in ("", "x-unknown", "qqq", "123", "i-klingon"):
        assert pieces("First one. Second one.", code) == ["First one. ", "Second one."]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet='ab A.?!。 \n…"”)(1-—«»「」と', max_size=60),
    lang=st.sampled_from(["en", "de", "ja", "ru", "zh", "xx"]),
)
def test_spans_are_contiguous_and_cover_everything(text: str, lang: str) -> None:
    spans = sentence_spans(text, lang)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    for a, _ in spans[1:]:
        assert not text[a].isspace()


def test_one_million_characters_in_well_under_a_second() -> None:
    paragraphs = _paragraphs(4000)
    assert sum(len(p) for _, p in paragraphs) >= 1_000_000
    started = time.process_time()
    for lang, paragraph in paragraphs:
        sentence_spans(paragraph, lang)
    elapsed = time.process_time() - started
    # CPU time of this process: the bound is about the work (no quadratic step), which
    # other processes on a busy machine do not change. Measured ~0.3 s.
    assert elapsed < 2.0, f"{elapsed:.2f}s"


def _paragraphs(count: int) -> list[tuple[str, str]]:
    """``count`` paragraphs of 260 characters, cycling through the table's languages."""
    result: list[tuple[str, str]] = []
    for index in range(count):
        lang = CASES[index % len(CASES)][0]
        text = " ".join("".join(p).rstrip() for code, p in CASES if code == lang) + " "
        result.append((lang, (text * 3)[:260]))
    return result
