"""The "no source left" ruler reads printed text itself and never asks the extractor.

`find_leftovers` compares the printed letters of a source and its translation paragraph
by paragraph; a wrong "not translatable" decision by the extractor therefore shows up
as a finding instead of passing silently (the unit-based `source_left` trusts it).
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from iris.docx import Policy, open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import check_file, source_left
from iris.docx.verification.leftover import Leftover, find_leftovers, letter_stretches
from tests.docx.builders import Part, make_docx, p, r, story
from tests.docx.conftest import corpus_dir

SCRIPTS = {
    "latin": "Quarterly revenue grew.",
    "cyrillic": "Выручка выросла.",
    "greek": "Τα έσοδα αυξήθηκαν.",
    "arabic": "ارتفعت الإيرادات.",
    "hebrew": "ההכנסות עלו.",
    "devanagari": "राजस्व बढ़ा।",
    "thai": "รายได้เพิ่มขึ้น",
    "han": "五、申请人获奖情况（科技成果奖、专利等，限100字）",
    "kana": "ページ3を参照",
    "hangul": "제1조 목적",
}


def _pseudo(data: bytes, **options: object) -> bytes:
    document = open_document(data, **options)  # type: ignore[arg-type]
    return document.apply(pseudo_targets(document.units()), "de")


def _untranslated(data: bytes) -> bytes:
    return open_document(data).apply({}, "de")


def test_a_pseudo_translation_of_every_script_leaves_nothing() -> None:
    data = make_docx("".join(p(r(text)) for text in SCRIPTS.values()))
    assert find_leftovers(data, _pseudo(data)) == []


@pytest.mark.parametrize("family", SCRIPTS)
def test_untranslated_text_of_every_script_is_found(family: str) -> None:
    data = make_docx(p(r("Translated here.")) + p(r(SCRIPTS[family])))
    document = open_document(data)
    first = [u.id for u in document.units() if u.id.startswith("word/document.xml#p0")]
    left = find_leftovers(data, document.apply(dict.fromkeys(first, "Hier übersetzt."), "de"))
    assert {(item.part, item.paragraph) for item in left} == {("word/document.xml", 1)}
    assert all(item.text in SCRIPTS[family] for item in left)


def test_findings_name_part_paragraph_and_text() -> None:
    notes = story("footnotes", f'<w:footnote w:id="1">{p(r("A note here."))}</w:footnote>')
    data = make_docx(
        p(r("Costs were stable.")), parts=[Part("word/footnotes.xml", "footnotes", notes)]
    )
    assert find_leftovers(data, _untranslated(data)) == [
        Leftover("word/document.xml", 0, "Costs"),
        Leftover("word/document.xml", 0, "were"),
        Leftover("word/document.xml", 0, "stable"),
        Leftover("word/footnotes.xml", 0, "note"),
        Leftover("word/footnotes.xml", 0, "here"),
    ]
    assert str(Leftover("word/footnotes.xml", 0, "note")) == "word/footnotes.xml ¶1: note"


def test_a_wrong_not_translatable_judgement_is_caught() -> None:
    # The extractor's judgement is wrong on purpose: the CJK sentence is marked not
    # translatable, so no target is made for it. The unit-based view trusts the flag.
    data = make_docx(p(r("Body text.")) + p(r(SCRIPTS["han"])))
    units = open_document(data).units()
    wrong = [
        dataclasses.replace(u, translatable=False) if u.plain == SCRIPTS["han"] else u
        for u in units
    ]
    output = open_document(data).apply(pseudo_targets(wrong), "de")
    assert source_left(wrong, open_document(output).units()) == []
    left = find_leftovers(data, output)
    assert [(item.paragraph, item.text) for item in left] == [
        (1, "五"),
        (1, "申请人获奖情况"),
        (1, "科技成果奖"),
        (1, "专利等"),
        (1, "限"),
        (1, "字"),
    ]


@pytest.mark.parametrize(
    ("kept", "finding"),
    [
        ("see https://example.com/report and", ["see", "and"]),
        ("write to info@example.org today", ["write", "to", "today"]),
        ("Dear {name} and %(user)s", ["Dear", "and"]),
        ("part ABC-123 and MP3 or ISO-9001", ["part", "and", "or"]),
    ],
)
def test_protected_spans_and_identifiers_may_stay(kept: str, finding: list[str]) -> None:
    data = make_docx(p(r(kept)))
    assert [item.text for item in find_leftovers(data, _untranslated(data))] == finding


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a b c", []),  # one Latin letter is not a word here
        ("表 3", ["表"]),  # one Han character is
        ("ア", ["ア"]),
        ("한", ["한"]),
        ("हिंदी", ["हिंदी"]),  # vowel signs are marks inside the stretch
    ],
)
def test_what_counts_as_a_stretch(text: str, expected: list[str]) -> None:
    data = make_docx(p(r(text)))
    assert [item.text for item in find_leftovers(data, _untranslated(data))] == expected


def test_stretches_include_combining_marks() -> None:
    text = "П̃р̃и̃ hello"
    assert [text[a:b] for a, b in letter_stretches(text)] == ["П̃р̃и̃", "hello"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("e\u0301\u0302 x", ["e\u0301\u0302", "x"]),  # marks after the last letter
        ("\u0301ab", ["ab"]),  # a mark before any letter starts nothing
        ("ab_cd a1b", ["ab", "cd", "a", "b"]),  # underscores and digits part stretches
        ("\U0001e900\U0001e944\U0001e901", ["\U0001e900\U0001e944\U0001e901"]),  # Adlam mark
        ("a\U000e0100b", ["a\U000e0100b"]),  # a variation selector of plane 14
    ],
)
def test_stretch_edges(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in letter_stretches(text)] == expected


def test_field_instructions_and_deleted_text_are_not_read() -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DOCPROPERTY Company </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("Acme")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    deleted = '<w:del w:id="1" w:author="A"><w:r><w:delText>gone words</w:delText></w:r></w:del>'
    data = make_docx(p(field + deleted))
    assert [item.text for item in find_leftovers(data, _untranslated(data))] == ["Acme"]


def test_policies_that_keep_text_are_honoured() -> None:
    hidden = r("Hidden words", "<w:vanish/>")
    comments = story(
        "comments", f'<w:comment w:id="0" w:author="A">{p(r("A comment."))}</w:comment>'
    )
    data = make_docx(
        p(r("Shown text.") + hidden), parts=[Part("word/comments.xml", "comments", comments)]
    )
    policy = Policy(hidden=False, comments=False)
    assert find_leftovers(data, _pseudo(data, policy=policy), policy) == []
    assert {item.text for item in find_leftovers(data, _pseudo(data, policy=policy))} == {
        "Hidden",
        "words",
        "comment",
    }


def test_check_file_is_clean_when_every_script_is_translated(tmp_path: Path) -> None:
    path = tmp_path / "scripts.docx"
    path.write_bytes(make_docx("".join(p(r(text)) for text in SCRIPTS.values())))
    result = check_file(path)
    assert (result.identity_exact, result.no_source_left, result.compare_clean) == (
        True,
        True,
        True,
    )


def _field(code: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + result
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


@pytest.mark.parametrize(
    "code",
    [
        'DATE \\@ "dddd, MMMM d, yyyy"',
        "SAVEDATE",
        "AUTHOR",
        "ADDIN ZOTERO_ITEM CSL_CITATION {}",
        "CITATION Smi13 \\l 1033",
        "MERGEFIELD FirstName",
    ],
)
def test_results_that_word_computes_are_not_read(code: str) -> None:
    data = make_docx(p(r("Printed on ") + _field(code, r("Wednesday November"))))
    assert [item.text for item in find_leftovers(data, _untranslated(data))] == [
        "Printed",
        "on",
    ]


def test_results_copied_from_the_text_are_read() -> None:
    # A TOC entry is a copy of a heading and a link's text is written by the author:
    # both are printed as they are. The entry's page number is computed.
    entry = r("Introduction") + _field("PAGEREF _Toc1 \\h", r("iv"))
    toc = _field('TOC \\o "1-3"', entry)
    data = make_docx(p(toc) + p(_field('HYPERLINK "https://example.com"', r("Our website"))))
    assert [str(item) for item in find_leftovers(data, _untranslated(data))] == [
        "word/document.xml ¶1: Introduction",
        "word/document.xml ¶2: Our",
        "word/document.xml ¶2: website",
    ]


def test_text_inside_a_field_code_is_not_read() -> None:
    nested = _field("IF 1 = 1", "").replace(
        "</w:instrText></w:r>",
        "</w:instrText></w:r>" + _field("DOCPROPERTY Title", r("Inner title")),
        1,
    )
    data = make_docx(p(r("Before ") + nested + r(" after")))
    assert [item.text for item in find_leftovers(data, _untranslated(data))] == [
        "Before",
        "after",
    ]


def test_corpus_citations_are_computed_and_the_sentence_around_them_is_read() -> None:
    name = "pandoc__zotero_citations.docx"
    source = corpus_dir() / name
    if not source.is_file():
        pytest.fail(f"corpus document {name} is missing from {corpus_dir()}")
    data = source.read_bytes()
    untranslated = {item.text for item in find_leftovers(data, _untranslated(data))}
    assert {"This", "citation", "sources"} <= untranslated
    assert not {"Smith", "Boer", "Bellomo", "al"} & untranslated
    assert find_leftovers(data, _pseudo(data)) == []


def test_text_written_straight_after_a_url_is_read_as_text() -> None:
    """The extractor once took CJK text after a URL into the URL and never sent it: the
    ruler, with its own rule for URLs (ASCII only), finds it left."""
    source = make_docx(p(r("请访问https://example.com/docs获取更多信息。")))
    output = make_docx(p(r("请参阅https://example.com/docs获取更多信息。")))
    assert [item.text for item in find_leftovers(source, output)] == ["获取更多信息"]
    translated = make_docx(p(r("请参阅https://example.com/docs了解详情。")))
    assert find_leftovers(source, translated) == []


def test_the_ruler_imports_nothing_of_the_extractor_s_text_rules() -> None:
    """Sharing `protected_spans` hid the bug above: the ruler and the extractor must
    judge "verbatim text" each by their own rule."""
    tree = ast.parse(Path(find_leftovers.__code__.co_filename).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and name.startswith("iris.docx.text")}
    assert "iris.docx.reading.extract" not in imported
