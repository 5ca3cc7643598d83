"""The XLIFF 2.1 review format: schema validity of what Iris writes, exact round trips,
a reviewer's edits made with lxml read back as tagged text, per-unit problems, and the
files `read_xliff` refuses."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from itertools import count
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from iris.docx.text.tags import escape_text
from iris.review.package import (
    Note,
    PackageError,
    ReadPackage,
    ReadUnit,
    ReviewPackage,
    ReviewState,
    ReviewUnit,
    target_fingerprint,
)
from iris.review.xliff import IRIS_NS, XLIFF_NS, read_xliff, validate_xliff, write_xliff

JOB = "0b5c1a52-7d5e-4c1f-9a51-3f0c2b0d6e11"
EXPORT = "6f1d2e8a-93c4-4b7e-8d2a-5a9e0c7b4f22"


def _x(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


def _package(*units: ReviewUnit, target_lang: str = "de") -> ReviewPackage:
    return ReviewPackage(JOB, EXPORT, "en", target_lang, "report.docx", list(units))


def _unit(key: int, source: str, target: str, state: ReviewState, **extra) -> ReviewUnit:
    return ReviewUnit(key, f"p{key}", source, target, state, **extra)


def _expected_target(unit: ReviewUnit) -> str | None:
    """An empty initial target is not written: the reviewer's file has none."""
    return None if unit.target == "" and unit.state == ReviewState.INITIAL else unit.target


def _assert_round_trip(package: ReviewPackage) -> None:
    data = write_xliff(package)
    assert validate_xliff(data) == []
    read = read_xliff(data)
    assert read.units == [
        ReadUnit(
            key=unit.key,
            raw_id=f"s{unit.key}",
            target=_expected_target(unit),
            state=unit.state,
            base=unit.base,
            comment=unit.comment,
            base_state=unit.state,
        )
        for unit in package.units
    ]


MIXED = _package(
    _unit(1, "Plain text.", "", ReviewState.INITIAL),
    _unit(2, "Not <g1>yet</g1> done.", "Noch <g1>nicht</g1> fertig.", ReviewState.INITIAL),
    _unit(
        3,
        "Click <g1>Save <g2>now</g2></g1> to store.",
        "Klicken Sie <g1>jetzt <g2>Speichern</g2></g1>.",
        ReviewState.TRANSLATED,
        notes=(Note("qa", "Target is 20% longer.", 5), Note("tm", "92% match", 5)),
    ),
    _unit(
        4,
        "<x1/>Tab at the start and a break at the end<x2/>",
        "<x1/>Tab am Anfang und Umbruch am Ende<x2/>",
        ReviewState.REVIEWED,
        notes=(Note("qa", "Number 12 is missing.", 1),),
        comment="Checked with the client.\nSecond line.",
    ),
    _unit(5, "R&amp;D &lt;beta&gt; &amp;amp;", "F&amp;E &lt;Beta&gt; &amp;amp;", ReviewState.FINAL),
    _unit(6, "  two leading, two trailing  ", "  zwei vorne, zwei hinten  ", ReviewState.FINAL),
    _unit(7, "Empty but translated", "", ReviewState.TRANSLATED, comment="Left empty on purpose"),
    _unit(8, "<g1><x2/></g1>", "<g1><x2/></g1>", ReviewState.REVIEWED),
    _unit(9, "Line\nbreak\tand tab", "Zeilen\numbruch\tund Tab", ReviewState.TRANSLATED),
)


def test_a_mixed_package_is_schema_valid_and_reads_back_exactly() -> None:
    _assert_round_trip(MIXED)


@pytest.mark.parametrize(
    ("lang", "source", "target"),
    [
        ("zh-Hans", "The <g1>red</g1> button<x2/>", "<x2/>红色<g1>按钮</g1>。"),
        ("ja", "Save <g1>all</g1>.", "<g1>すべて</g1>保存します。"),
        ("ar", "Open the <g1>file</g1> now.", "افتح <g1>الملف</g1> الآن."),
        ("he", "<x1/>Version 2 (beta)", "<x1/>גרסה 2 (בטא)"),
    ],
)
def test_cjk_and_right_to_left_targets_round_trip(lang: str, source: str, target: str) -> None:
    _assert_round_trip(_package(_unit(1, source, target, ReviewState.TRANSLATED), target_lang=lang))


def test_the_header_names_the_job_and_the_export() -> None:
    read = read_xliff(write_xliff(MIXED))
    assert (read.job, read.package) == (JOB, EXPORT)
    assert (read.source_lang, read.target_lang) == ("en", "de")
    root = etree.fromstring(write_xliff(MIXED))
    assert root.get("version") == "2.1"
    assert root[0].get("original") == "report.docx"


def test_inline_tags_become_pc_and_ph_with_the_tag_numbers() -> None:
    data = write_xliff(MIXED)
    target = _segment_part(etree.fromstring(data), 3, "target")
    outer = target.find(_x("pc"))
    assert outer is not None
    assert outer.get("id") == "1"
    assert [(etree.QName(e).localname, e.get("id")) for e in outer] == [("pc", "2")]
    ends = _segment_part(etree.fromstring(data), 4, "source")
    assert [(etree.QName(e).localname, e.get("id")) for e in ends] == [("ph", "1"), ("ph", "2")]


def test_whitespace_that_matters_is_marked_preserve() -> None:
    root = etree.fromstring(write_xliff(MIXED))
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert _segment_part(root, 6, "target").get(space) == "preserve"
    assert _segment_part(root, 9, "source").get(space) == "preserve"  # tab, newline
    assert _segment_part(root, 3, "target").get(space) is None


def test_notes_carry_category_and_priority_and_the_comment_is_a_note() -> None:
    root = etree.fromstring(write_xliff(MIXED))
    notes = _unit_element(root, 4).findall(f"{_x('notes')}/{_x('note')}")
    assert [(n.get("category"), n.get("priority"), n.text) for n in notes] == [
        ("qa", "1", "Number 12 is missing."),
        ("comment", None, "Checked with the client.\nSecond line."),
    ]
    assert _unit_element(root, 2).find(_x("notes")) is None  # no notes, no comment


def test_characters_xml_cannot_hold_do_not_break_the_writer() -> None:
    unit = ReviewUnit(1, "p\x0c1", "bell\x07", "", ReviewState.INITIAL, (Note("qa", "x\x00y"),))
    data = write_xliff(_package(unit))
    assert validate_xliff(data) == []
    root = etree.fromstring(data)
    assert _child(_segment_part(root, 1, "source"), "cp").get("hex") == "0007"
    assert _unit_element(root, 1).get("name") == "p\ufffd1"
    # Read back, such a character is a problem: a document could not hold it.
    edited = _edited(EDITABLE, lambda r: _set_target(r, 1, 'ding<cp hex="0007"/>'))
    assert edited.units[0].target == "ding"
    assert "0007" in (edited.units[0].problem or "")


def test_the_writer_refuses_what_iris_cannot_have_produced() -> None:
    with pytest.raises(ValueError, match="at least one unit"):
        write_xliff(_package())
    with pytest.raises(ValueError, match="s4 has malformed tags"):
        write_xliff(_package(_unit(4, "<g1>open", "", ReviewState.INITIAL)))
    with pytest.raises(ValueError, match="priority 0"):
        write_xliff(_package(_unit(1, "a", "b", ReviewState.REVIEWED, notes=(Note("qa", "x", 0),))))


# --- round trip over random tagged texts ---------------------------------------------------

_CHARACTERS = st.one_of(
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
    ),
    st.sampled_from(" \t\n\r&<>;\u00a0\u200f文ع"),
)
_NODES = st.recursive(
    st.one_of(st.text(_CHARACTERS, min_size=1, max_size=6), st.none()),  # None: a <xN/>
    lambda children: st.lists(children, max_size=3),  # a list: a <gN> pair around it
    max_leaves=10,
)


def _render(nodes: Sequence[Any], numbers: Iterator[int]) -> str:
    pieces = []
    for node in nodes:
        if node is None:
            pieces.append(f"<x{next(numbers)}/>")
        elif isinstance(node, str):
            pieces.append(escape_text(node))
        else:
            number = next(numbers)
            pieces.append(f"<g{number}>{_render(node, numbers)}</g{number}>")
    return "".join(pieces)


@st.composite
def tagged_texts(draw: st.DrawFn) -> str:
    nodes = draw(st.lists(_NODES, max_size=4))
    return _render(nodes, count(draw(st.integers(1, 500))))


@settings(max_examples=200, deadline=None)
@given(
    units=st.lists(
        st.tuples(
            tagged_texts(),
            tagged_texts(),
            st.sampled_from(list(ReviewState)),
            st.text(_CHARACTERS, max_size=10),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_random_tagged_texts_round_trip(units: list[tuple[str, str, ReviewState, str]]) -> None:
    _assert_round_trip(
        _package(
            *(
                _unit(key, source, target, state, comment=comment)
                for key, (source, target, state, comment) in enumerate(units, start=1)
            )
        )
    )


# --- a reviewer's edits --------------------------------------------------------------------

EDITABLE = write_xliff(
    _package(
        _unit(
            1,
            "Click <g1>Save</g1> to store it.<x2/>",
            "Klicken Sie auf <g1>Speichern</g1>, um es zu speichern.<x2/>",
            ReviewState.TRANSLATED,
        )
    )
)


def _unit_element(root: etree._Element, key: int) -> etree._Element:
    found = root.find(f".//{_x('unit')}[@id='s{key}']")
    assert found is not None
    return found


def _child(parent: etree._Element, name: str) -> etree._Element:
    found = parent.find(_x(name))
    assert found is not None
    return found


def _segment(root: etree._Element, key: int) -> etree._Element:
    return _child(_unit_element(root, key), "segment")


def _segment_part(root: etree._Element, key: int, part: str) -> etree._Element:
    return _child(_segment(root, key), part)


def _set_target(root: etree._Element, key: int, inline_xml: str) -> None:
    """Replace the unit's target content with ``inline_xml`` (XLIFF inline markup)."""
    target = _segment_part(root, key, "target")
    replacement = etree.fromstring(f'<target xmlns="{XLIFF_NS}">{inline_xml}</target>')
    target.text = replacement.text
    target[:] = list(replacement)


def _edited(data: bytes, edit: Callable[[etree._Element], object]) -> ReadPackage:
    root = etree.fromstring(data)
    edit(root)
    return read_xliff(etree.tostring(root, encoding="UTF-8"))


def _reviewed_target(edit: Callable[[etree._Element], object]) -> str | None:
    unit = _edited(EDITABLE, edit).units[0]
    assert unit.problem is None
    return unit.target


def test_changed_target_text_is_read_back() -> None:
    def edit(root: etree._Element) -> None:
        target = _segment_part(root, 1, "target")
        target.text = "Bitte auf "
        target[0].tail = " klicken & <fertig>."

    expected = "Bitte auf <g1>Speichern</g1> klicken &amp; &lt;fertig&gt;.<x2/>"
    assert _reviewed_target(edit) == expected


def test_a_moved_pc_is_read_back_where_the_reviewer_put_it() -> None:
    def edit(root: etree._Element) -> None:
        target = _segment_part(root, 1, "target")
        pc = _child(target, "pc")
        target.remove(pc)  # takes its tail along
        target.text = None
        pc.text, pc.tail = "Klicken", " Sie auf Speichern, um es zu speichern."
        target.insert(0, pc)

    expected = "<g1>Klicken</g1> Sie auf Speichern, um es zu speichern.<x2/>"
    assert _reviewed_target(edit) == expected


def test_a_deleted_ph_is_gone_from_the_target() -> None:
    def edit(root: etree._Element) -> None:
        target = _segment_part(root, 1, "target")
        target.remove(_child(target, "ph"))

    assert _reviewed_target(edit) == "Klicken Sie auf <g1>Speichern</g1>, um es zu speichern."


def test_annotations_are_unwrapped() -> None:
    def edit(root: etree._Element) -> None:
        pc = _segment_part(root, 1, "target")[0]
        pc.text = None
        mrk = etree.SubElement(pc, _x("mrk"), id="m1", type="comment", value="Really?")
        mrk.text = "Speichern"

    assert _reviewed_target(edit) == "Klicken Sie auf <g1>Speichern</g1>, um es zu speichern.<x2/>"
    markers = 'Klicken <sm id="m2" type="term"/>Sie<em startRef="m2"/> auf <pc id="1">X</pc>'
    assert _reviewed_target(lambda r: _set_target(r, 1, markers)) == "Klicken Sie auf <g1>X</g1>"


def test_a_pair_split_into_sc_and_ec_is_read_as_a_pair() -> None:
    split = 'Klicken Sie auf <sc id="1"/>Speichern<ec startRef="1"/>, fertig.<ph id="2"/>'
    expected = "Klicken Sie auf <g1>Speichern</g1>, fertig.<x2/>"
    assert _reviewed_target(lambda r: _set_target(r, 1, split)) == expected
    isolated = '<ec id="1" isolated="yes"/>Ende'
    assert _reviewed_target(lambda r: _set_target(r, 1, isolated)) == "</g1>Ende"


def test_a_code_point_element_is_its_character() -> None:
    edit = lambda r: _set_target(r, 1, 'Smile <cp hex="263A"/> <cp hex="1F600"/>')  # noqa: E731
    assert _reviewed_target(edit) == "Smile \u263a \U0001f600"


def test_comments_and_cdata_in_the_target_do_not_change_its_text() -> None:
    edit = lambda r: _set_target(r, 1, "A<!-- note -->B<![CDATA[ & <c>]]>")  # noqa: E731
    assert _reviewed_target(edit) == "AB &amp; &lt;c&gt;"


def test_the_reviewer_comment_and_state_are_read_back() -> None:
    def edit(root: etree._Element) -> None:
        unit = _unit_element(root, 1)
        _child(unit, "segment").set("state", "reviewed")
        notes = etree.Element(_x("notes"))
        unit.insert(0, notes)
        etree.SubElement(notes, _x("note"), category="comment").text = "Shorter, please."
        etree.SubElement(notes, _x("note"), category="qa").text = "ignored on read"
        etree.SubElement(notes, _x("note"), category="comment").text = "And formal."

    unit = _edited(EDITABLE, edit).units[0]
    assert (unit.state, unit.comment) == (ReviewState.REVIEWED, "Shorter, please.\nAnd formal.")
    exported = "Klicken Sie auf <g1>Speichern</g1>, um es zu speichern.<x2/>"
    assert unit.base == target_fingerprint(exported)


# --- per-unit problems ---------------------------------------------------------------------


def _problem(edit: Callable[[etree._Element], object]) -> ReadUnit:
    unit = _edited(EDITABLE, edit).units[0]
    assert unit.problem is not None
    assert "'s1'" in unit.problem  # names the unit
    return unit


def test_an_unknown_inline_element_is_a_problem() -> None:
    unit = _problem(lambda r: _set_target(r, 1, 'A <b xmlns="urn:html">bold</b> word'))
    assert "{urn:html}b" in (unit.problem or "")
    unit = _problem(lambda r: _set_target(r, 1, "A <bold>word</bold>"))
    assert "<{urn:oasis:names:tc:xliff:document:2.0}bold>" in (unit.problem or "")


@pytest.mark.parametrize("bad_id", ["0", "01", "b1", "-3"])
def test_an_inline_id_that_is_no_tag_number_is_a_problem(bad_id: str) -> None:
    unit = _problem(lambda r: _set_target(r, 1, f'A <pc id="{bad_id}">B</pc>'))
    assert f"<pc id={bad_id!r}>" in (unit.problem or "")


def test_an_ec_without_start_reference_is_a_problem() -> None:
    unit = _problem(lambda r: _set_target(r, 1, '<sc id="1"/>A<ec/>'))
    assert "<ec id=None>" in (unit.problem or "")


def test_a_translated_state_without_target_is_a_problem() -> None:
    def edit(root: etree._Element) -> None:
        segment = _segment(root, 1)
        segment.remove(_child(segment, "target"))
        segment.set("state", "reviewed")

    unit = _problem(edit)
    assert unit.target is None
    assert "marked reviewed but has no target" in (unit.problem or "")


def test_a_missing_target_in_an_initial_unit_is_just_untranslated() -> None:
    def edit(root: etree._Element) -> None:
        segment = _segment(root, 1)
        segment.remove(_child(segment, "target"))
        segment.set("state", "initial")

    unit = _edited(EDITABLE, edit).units[0]
    assert (unit.target, unit.state, unit.problem) == (None, ReviewState.INITIAL, None)


def test_an_unknown_state_is_none_and_a_problem() -> None:
    unit = _problem(lambda r: _segment(r, 1).set("state", "approved"))
    assert unit.state is None
    assert "'approved'" in (unit.problem or "")


def test_a_missing_state_is_none_without_problem() -> None:
    unit = _edited(EDITABLE, lambda r: _segment(r, 1).attrib.pop("state"))
    assert (unit.units[0].state, unit.units[0].problem) == (None, None)


# --- files a tool restructured -------------------------------------------------------------


def _xliff(body: str, *, header: str = "") -> bytes:
    return (
        f'<xliff xmlns="{XLIFF_NS}" xmlns:iris="{IRIS_NS}" version="2.0" srcLang="en"'
        f' trgLang="fr"><file id="f1" {header}>{body}</file></xliff>'
    ).encode()


SPLIT = """<unit id="s4" iris:base="abc">
  <segment state="reviewed"><source>Hello.</source><target>Bonjour.</target></segment>
  <ignorable><source> </source></ignorable>
  <segment state="translated"><source><pc id="1">World</pc>.</source>
    <target><pc id="1">Monde</pc>.</target></segment>
</unit>"""


def test_a_split_unit_is_joined_with_the_lowest_state() -> None:
    data = _xliff(SPLIT)
    assert validate_xliff(data) == []
    unit = read_xliff(data).units[0]
    assert (unit.key, unit.base, unit.problem) == (4, "abc", None)
    assert (unit.target, unit.state) == ("Bonjour. <g1>Monde</g1>.", ReviewState.TRANSLATED)


def test_a_split_unit_follows_the_target_order() -> None:
    reordered = SPLIT.replace("<target>Bonjour.", '<target order="3">Bonjour.').replace(
        "<target><pc", '<target order="1"><pc'
    )
    unit = read_xliff(_xliff(reordered)).units[0]
    assert (unit.target, unit.problem) == ("<g1>Monde</g1>. Bonjour.", None)
    clash = SPLIT.replace("<target>Bonjour.", '<target order="2">Bonjour.')
    assert "order is inconsistent" in (read_xliff(_xliff(clash)).units[0].problem or "")


def test_a_split_unit_translated_only_in_part_is_a_problem() -> None:
    partial = SPLIT.replace("<target>Bonjour.</target>", "")
    unit = read_xliff(_xliff(partial)).units[0]
    assert unit.target is None
    assert "split into 2 segments" in (unit.problem or "")


def test_units_inside_groups_are_read_in_document_order() -> None:
    body = (
        '<unit id="s1"><segment><source>a</source><target>A</target></segment></unit>'
        '<group id="g1"><group id="g2">'
        '<unit id="s3"><segment><source>c</source><target>C</target></segment></unit>'
        "</group>"
        '<unit id="x2"><segment><source>b</source><target>B</target></segment></unit>'
        "</group>"
    )
    data = _xliff(body, header=f'iris:job="{JOB}"')
    read = read_xliff(data)
    assert [(u.key, u.raw_id, u.target) for u in read.units] == [
        (1, "s1", "A"),
        (3, "s3", "C"),
        (None, "x2", "B"),
    ]
    assert (read.job, read.package, read.target_lang) == (JOB, None, "fr")


# --- files Iris refuses --------------------------------------------------------------------

XLIFF12 = b"""<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a.docx" source-language="en" target-language="de" datatype="plaintext">
    <body><trans-unit id="1"><source>a</source><target>b</target></trans-unit></body>
  </file>
</xliff>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en">
<file id="f1"><unit id="s1"><segment><source>a</source><target>&lol9;</target></segment></unit>
</file></xliff>"""

SMALL_ENTITY = LAUGHS.replace(b"&lol9;</target>", b"&lol2;</target>")
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en">
<file id="f1"><unit id="s1"><segment><source>a</source><target>&secret;</target></segment>
</unit></file></xliff>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML"),
        (b"PK\x03\x04 a zip, not XML", "not well-formed XML"),
        (b"<xliff><file>", "not well-formed XML"),
        (XLIFF12, "XLIFF 1.2; Iris needs XLIFF 2.x"),
        (b"<html><body/></html>", "root element is 'html'"),
        (_xliff("").replace(b'version="2.0"', b'version="3.0"'), "version '3.0'"),
        (
            f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="en"/>'.encode(),
            "no <file> element",
        ),
        (
            _xliff("").replace(b"</file>", b'</file><file id="f2"></file>'),
            "2 <file> elements",
        ),
        (SMALL_ENTITY, "declares a DTD"),
        (EXTERNAL_ENTITY, "declares a DTD"),
    ],
)
def test_files_that_are_no_iris_xliff2_package_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(PackageError, match=message.replace("(", r"\(")) as caught:
        read_xliff(data)
    assert str(caught.value).count(". ") == 0  # one sentence
    assert str(caught.value).endswith(".")


def test_a_billion_laughs_file_is_refused_without_expanding() -> None:
    started = time.perf_counter()
    with pytest.raises(PackageError):
        read_xliff(LAUGHS)
    assert validate_xliff(LAUGHS) != []
    assert time.perf_counter() - started < 2


# --- schema validation ---------------------------------------------------------------------


def test_a_unit_without_id_is_reported_by_the_schema() -> None:
    data = _xliff("<unit><segment><source>a</source></segment></unit>")
    errors = validate_xliff(data)
    assert len(errors) == 1
    assert "'id' is required" in errors[0]
    assert read_xliff(data).units[0].raw_id == ""  # the reader still lists it


def test_schema_errors_name_unknown_states_and_misplaced_elements() -> None:
    data = write_xliff(MIXED)
    root = etree.fromstring(data)
    _segment(root, 3).set("state", "approved")
    segment = _segment(root, 5)
    segment.append(etree.Element(_x("notes")))
    errors = validate_xliff(etree.tostring(root))
    assert len(errors) == 2
    assert "approved" in errors[0]
    assert "notes" in errors[1]


def test_validation_of_unreadable_data_is_one_message() -> None:
    errors = validate_xliff(b"<not xml")
    assert len(errors) == 1
    assert "not well-formed XML" in errors[0]
