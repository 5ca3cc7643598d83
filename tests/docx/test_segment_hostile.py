"""Hostile text for segmentation: bounded time, and the span invariants still hold."""

from __future__ import annotations

import itertools
import time
import unicodedata

import pytest

from iris.docx.text.segment import MAX_SEGMENT, join_tagged, sentence_spans, split_tagged

N = 100_000
TEXTS = {
    "dots": "." * N,
    "one-letter sentences": "a. " * (N // 3),
    "list numbers": "1. " * (N // 3),
    "japanese quotes (sentencex is quadratic here)": "「。」と" * (N // 4),
    "cjk stops": "。" * N,
    "spaces": " " * N,
    "one long sentence": "word " * (N // 5),
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_bounded_time_and_coverage(text: str) -> None:
    started = time.process_time()
    spans = sentence_spans(text, "ja" if "」" in text else "en")
    elapsed = time.process_time() - started
    assert elapsed < 3.0, f"took {elapsed:.2f}s"
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_long_paragraph_is_chunked_but_keeps_its_sentences() -> None:
    sentence = "The committee met on Monday and agreed on the budget for next year. "
    text = sentence * 200
    pieces = [text[a:b] for a, b in sentence_spans(text, "en")]
    assert pieces == [sentence] * 200


def test_many_tagged_sentences() -> None:
    tagged = "".join(f"<g{i}>Sentence {i}.</g{i}> " for i in range(1, 3000))
    started = time.process_time()
    pieces = split_tagged(tagged, "en")
    assert time.process_time() - started < 3.0
    assert len(pieces) == 2999
    assert "".join(pieces) == tagged


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (" ".join(["word", "another", "third"] * 20_000), "en"),  # no full stop at all
        ("汉字文本" * 50_000, "zh"),  # no 。 and no spaces
        ("e\u0301" * 9000, "fr"),  # combining accents: never parted from their letter
    ],
)
def test_a_sentence_longer_than_the_maximum_is_cut_into_bounded_segments(text, lang) -> None:
    spans = sentence_spans(text, lang)
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(0 < end - start <= MAX_SEGMENT for start, end in spans)
    assert len(spans) >= len(text) // MAX_SEGMENT
    for _start, end in spans[:-1]:
        assert not unicodedata.combining(text[end])
        if " " in text:
            assert text[end - 1] == " "  # cut after a space, never inside a word


def test_a_long_tagged_sentence_is_cut_with_its_tags_balanced() -> None:
    tagged = "<g1>" + "bold words " * 1000 + "</g1>" + "plain words " * 1000
    pieces = split_tagged(tagged, "en")
    assert len(pieces) > 1
    assert "".join(pieces) == tagged or join_tagged(pieces) == tagged
    for piece in pieces:
        assert piece.count("<g1>") == piece.count("</g1>")


def test_a_forced_cut_never_divides_protected_text() -> None:
    # No space or stop to cut at: the cut at the 4,000 mark would fall inside the URL.
    url = "https://example.com/" + "a" * 2000
    text = "汉" * 3000 + url + "字" * 3000
    for start, end in sentence_spans(text, "en"):
        piece = text[start:end]
        assert url in piece or "https://" not in piece
