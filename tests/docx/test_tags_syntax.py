"""Tokenizing, escaping and plain text of tagged unit text."""

from __future__ import annotations

import time

import pytest

from iris.docx.errors import TagError
from iris.docx.text.tags import TagToken, escape_text, plain_text, tokenize, unescape_text


def test_tokenize_splits_tags_and_unescapes_text() -> None:
    assert tokenize("a &amp; b <g1>c</g1><x2/>&lt;&gt;") == [
        TagToken("text", None, "a & b "),
        TagToken("open", 1, "<g1>"),
        TagToken("text", None, "c"),
        TagToken("close", 1, "</g1>"),
        TagToken("standalone", 2, "<x2/>"),
        TagToken("text", None, "<>"),
    ]


def test_tokenize_empty_string() -> None:
    assert tokenize("") == []


def test_multi_digit_numbers() -> None:
    assert [t.id for t in tokenize("<g12>a</g12><x305/>")] == [12, None, 12, 305]


@pytest.mark.parametrize(
    ("tagged", "fragment"),
    [
        ("a < b", "Unescaped '<' at position 2"),
        ("a > b", "Unescaped '>' at position 2"),
        ("Tom & Jerry", "Unescaped '&' at position 4"),
        ("&quot;", "Unescaped '&' at position 0"),
        ("<b>bold</b>", "Unknown or malformed tag '<b>'"),
        ("<g0>a</g0>", "Unknown or malformed tag '<g0>'"),
        ("<g01>a</g01>", "Unknown or malformed tag '<g01>'"),
        ("< x1/>", "Unknown or malformed tag '< x1/>'"),
        ("<x1>", "Unknown or malformed tag '<x1>'"),
        ("<g1/>", "Unknown or malformed tag '<g1/>'"),
        ("<x-1/>", "Unknown or malformed tag '<x-1/>'"),
    ],
)
def test_tokenize_rejects_malformed_syntax(tagged: str, fragment: str) -> None:
    with pytest.raises(TagError, match=fragment):
        tokenize(tagged)


def test_unbalanced_passes_syntax_but_fails_when_balance_is_required() -> None:
    assert [t.kind for t in tokenize("<g1>never closed")] == ["open", "text"]
    with pytest.raises(TagError, match="never closed"):
        tokenize("<g1>never closed", require_balanced=True)


@pytest.mark.parametrize(
    "tagged",
    ["</g1>a", "<g1><g2></g1></g2>", "<x1/><x1/>", "<g1>a</g1><g1>b</g1>", "a</g3>"],
)
def test_require_balanced_rejects(tagged: str) -> None:
    with pytest.raises(TagError):
        tokenize(tagged, require_balanced=True)


def test_require_balanced_accepts_nested_and_empty_pairs() -> None:
    tokens = tokenize("<g1><g2>a</g2><g3></g3></g1><x4/>", require_balanced=True)
    assert len(tokens) == 8


@pytest.mark.parametrize("text", ["", "plain", "a & b", "<g1>", "&amp;", "x > y < z", "&lt;"])
def test_escape_round_trip(text: str) -> None:
    escaped = escape_text(text)
    assert unescape_text(escaped) == text
    assert plain_text(escaped) == text
    assert tokenize(escaped) == ([TagToken("text", None, text)] if text else [])


def test_escape_only_three_characters() -> None:
    assert escape_text("\"'é\u00a0&<>") == "\"'é\u00a0&amp;&lt;&gt;"


def test_unescape_leaves_other_entities() -> None:
    assert unescape_text("&quot;&amp;lt;") == "&quot;&lt;"


def test_plain_text_removes_tags() -> None:
    assert plain_text("<g1>Hello</g1>,<x2/> <g3>w&amp;rld</g3>") == "Hello, w&rld"


def test_plain_text_rejects_bare_ampersand() -> None:
    with pytest.raises(TagError):
        plain_text("a & b")


def test_tokenize_is_fast() -> None:
    """A 500-page document has ~100k units; tokenizing them must not dominate."""
    unit = "A typical sentence of about eighty characters with one <g1>bold</g1> word<x2/>."
    started = time.perf_counter()
    for _ in range(100_000):
        tokenize(unit)
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, f"100k units took {elapsed:.2f}s"
