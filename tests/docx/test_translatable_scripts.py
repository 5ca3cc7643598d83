"""Codes are judged by script: a run of letters of a script without case is words.

CJK writes a sentence without spaces, so "one token with a digit and no lowercase
letter" used to swallow whole Chinese and Japanese sentences that held a number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.docx import open_document
from iris.docx.text.protect import is_translatable
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.leftover import find_leftovers
from tests.docx.builders import make_docx, p, r, units_by_id
from tests.docx.conftest import corpus_dir

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"

# Every script family the segmenter supports: text without a digit, and a single token
# (no space) with one, which must stay words in every family.
WORDS = {
    "latin": ("Chapter", "Chapter5"),
    "cyrillic": ("Раздел", "Раздел5"),
    "greek": ("Άρθρο", "Άρθρο5"),
    "arabic": ("مادة", "مادة12"),
    "hebrew": ("סעיף", "סעיף3"),
    "devanagari": ("अनुच्छेद", "अनुच्छेद5"),
    "thai": ("ข้อ", "ข้อ1"),
    "han": ("申请人", "五、申请人获奖情况（科技成果奖、专利等，限100字）"),
    "kana": ("ページ", "ページ3"),
    "kanji and kana": ("第一章", "第1章を参照"),
    "hangul": ("조항", "제1조"),
}


@pytest.mark.parametrize("family", WORDS)
def test_words_without_a_digit(family: str) -> None:
    assert is_translatable(WORDS[family][0]) is True


@pytest.mark.parametrize("family", WORDS)
def test_words_with_a_digit_in_one_token(family: str) -> None:
    assert is_translatable(WORDS[family][1]) is True


@pytest.mark.parametrize(
    "plain",
    ["表3", "図2", "限100字", "A4纸", "ISO-9001认证", "第1", "제1"],
)
def test_one_ideograph_or_syllable_is_a_word(plain: str) -> None:
    assert is_translatable(plain) is True


# Codes stay codes: cased letters all upper case, or one letter of a caseless script.
CODES = ["ABC-123", "A4", "MP3", "ISO-9001", "ГОСТ-123", "ΦΕΚ-12", "ب12", "א-7", "X1/Y2"]


@pytest.mark.parametrize("plain", CODES)
def test_codes_stay_untranslatable(plain: str) -> None:
    assert is_translatable(plain) is False


@pytest.mark.parametrize("plain", ["１２３", "٣٤٥", "१२३", "๑๒๓", "2024"])
def test_digits_of_any_script_alone_are_not_text(plain: str) -> None:
    assert is_translatable(plain) is False


def _math(text: str) -> str:
    return f'<m:oMath xmlns:m="{M}"><m:r><m:t>{text}</m:t></m:r></m:oMath>'


def test_a_chinese_sentence_with_a_digit_is_extracted() -> None:
    sentence = "五、申请人获奖情况（科技成果奖、专利等，限100字）"
    units = units_by_id(make_docx(p(r(sentence))), source_lang="zh")
    unit = units["word/document.xml#p0.s0"]
    assert (unit.plain, unit.translatable) == (sentence, True)


def test_cjk_text_around_an_equation_is_extracted() -> None:
    body = p(r("其中，") + _math("x") + r("表示第2个样本。"))
    units = units_by_id(make_docx(body), source_lang="zh")
    unit = units["word/document.xml#p0.s0"]
    assert unit.plain == "其中，表示第2个样本。"
    assert unit.translatable is True


def test_a_code_paragraph_is_still_not_translatable() -> None:
    units = units_by_id(make_docx(p(r("ISO-9001"))))
    assert units["word/document.xml#p0.s0"].translatable is False


TAB = "<w:r><w:tab/></w:r>"


def test_a_tab_separates_a_number_from_a_heading_word() -> None:
    units = units_by_id(make_docx(p(r("1") + TAB + r("INTRODUCTION")) + p(r("ABC-123") + TAB)))
    assert units["word/document.xml#p0.s0"].translatable is True
    assert units["word/document.xml#p1.s0"].translatable is False


def _corpus(name: str) -> Path:
    path = corpus_dir() / name
    if not path.is_file():
        pytest.fail(f"corpus document {name} is missing from {corpus_dir()}")
    return path


def test_corpus_chinese_sentences_with_digits_are_translated() -> None:
    # A Chinese government form: numbered attachments and rules full of digits.
    data = _corpus("oxmlsdk__2007.docx").read_bytes()
    units = {u.plain: u for u in open_document(data).units()}
    for plain in ["附件1", "2007年中国名牌农产品评选认定目录", "（2007年）"]:
        assert units[plain].translatable is True
    document = open_document(data)
    assert find_leftovers(data, document.apply(pseudo_targets(document.units()), "de")) == []


def test_corpus_numbered_headings_after_a_tab_are_translated() -> None:
    path = _corpus("oxmlsdk__632399964516872542_1.docx")
    headings = [u for u in open_document(path).units() if u.source == "1<x1/>INTRODUCTION"]
    assert [u.translatable for u in headings] == [True]
