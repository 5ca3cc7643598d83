"""Literal texts inside field instructions (FILLIN/ASK prompts, IF results, QUOTE
text, XE and TC entries, HYPERLINK tooltips), each field type behind
`Policy.field_literals`, written back so that the instruction still reads the same way."""

from __future__ import annotations

import itertools
from xml.sax.saxutils import escape, quoteattr

import pytest

from iris.docx import Policy, UnitKind
from iris.docx.model import PolicyError, policy_from_options
from iris.docx.reading.field_literals import (
    literal_arguments,
    quote_argument,
    tokenize_instruction,
)
from iris.docx.verification.check import identity_differences
from tests.docx.attribute_checks import assert_all_translated, corpus_file, pseudo_round_trip
from tests.docx.builders import NAMESPACES, make_docx, p, r, read_part, translate, units_by_id

W = NAMESPACES["w"]
BODY = "word/document.xml"
EVERY = Policy(field_literals=frozenset({"FILLIN", "ASK", "IF", "QUOTE", "XE", "TC", "HYPERLINK"}))


def _field(*codes: str, result: str = "") -> str:
    """A complex field whose instruction is written over one run per piece of ``codes``."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{escape(c)}</w:instrText></w:r>' for c in codes
    )
    cached = f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(result)}' if result else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}{cached}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _simple(instruction: str, result: str) -> str:
    return f"<w:fldSimple w:instr={quoteattr(instruction)}>{r(result)}</w:fldSimple>"


FIELDS = [
    _field(' FILLIN "Your name, please" \\d "Jane Doe" \\o ', result="Jane Doe"),
    _field(' ASK Client "Who is the client?" \\d "ACME" '),
    _field(" IF ", '"a" = "b" "They match" "They differ" ', result="They differ"),
    _field(' QUOTE "Seen and approved" ', result="Seen and approved"),
    _field(' XE "Animals:Dogs" \\t "See Cats" \\f i '),
    _field(' TC "Introd', "uction to the ", 'method" \\f C \\l 2 '),
    _field(
        ' HYPERLINK "https://example.com/a b" \\l "top" \\o "Open the example site" ', result="site"
    ),
    _simple(' FILLIN "Your city" ', "Paris"),
]


def _document() -> bytes:
    return make_docx("".join(p(r("Field: ") + field) for field in FIELDS))


def _literals(data: bytes, policy: Policy = EVERY) -> dict[str, str]:
    units = units_by_id(data, policy=policy)
    return {uid: u.plain for uid, u in units.items() if u.kind is UnitKind.FIELD_TEXT}


def _instructions(data: bytes) -> list[str]:
    """Each field's instruction in the output: complex fields joined, then simple ones."""
    root = read_part(data, BODY)
    found: list[str] = []
    for paragraph in root.iter(f"{{{W}}}p"):
        pieces = [t.text or "" for t in paragraph.iter(f"{{{W}}}instrText")]
        simple = [s.get(f"{{{W}}}instr") or "" for s in paragraph.iter(f"{{{W}}}fldSimple")]
        found += simple or ["".join(pieces)]
    return found


def test_tokenizer_reads_quotes_escapes_and_switches() -> None:
    tokens = tokenize_instruction(' XE "Say \\"hi\\" C:\\\\x \\: y" \\f  i')
    assert tokens is not None
    assert [(t.kind, t.value) for t in tokens] == [
        ("word", "XE"),
        ("text", 'Say "hi" C:\\x \\: y'),
        ("switch", "\\f"),
        ("word", "i"),
    ]
    assert tokenize_instruction(' FILLIN "never closed ') is None


def test_only_the_literal_arguments_of_each_type_are_found() -> None:
    found = [
        [(t.value, label) for t, label in literal_arguments(f)] for f in _instructions(_document())
    ]
    assert found == [
        [("Your name, please", "FILLIN prompt"), ("Jane Doe", "FILLIN default")],
        [("Who is the client?", "ASK prompt"), ("ACME", "ASK default")],
        [("They match", "IF true text"), ("They differ", "IF false text")],
        [("Seen and approved", "QUOTE text")],
        [("Animals:Dogs", "XE index entry"), ("See Cats", "XE cross-reference")],
        [("Introduction to the method", "TC table-of-contents entry")],
        [("Open the example site", "HYPERLINK tooltip")],
        [("Your city", "FILLIN prompt")],
    ]
    # A comparison whose operator is not an argument of its own is not guessed at.
    assert literal_arguments(' IF x="a" "yes" "no" ') == []


@pytest.mark.parametrize(
    "text",
    ['He said "yes"', "C:\\Temp\\", 'a \\" b', "Ratio\\: 3", '""', "\\\\", "two  spaces "],
)
def test_a_quoted_translation_reads_back_as_one_argument(text: str) -> None:
    instruction = f" XE {quote_argument(text)} \\f i "
    tokens = tokenize_instruction(instruction)
    assert tokens is not None
    assert [(t.kind, t.value) for t in tokens] == [
        ("word", "XE"),
        ("text", text),
        ("switch", "\\f"),
        ("word", "i"),
    ]


def test_quoting_is_the_inverse_of_reading_for_every_short_string() -> None:
    for length in range(5):
        for letters in itertools.product('a\\": ', repeat=length):
            text = "".join(letters)
            tokens = tokenize_instruction(f" QUOTE {quote_argument(text)} ")
            assert tokens is not None, text
            assert [t.value for t in tokens] == ["QUOTE", text]


def test_default_policy_reads_prompts_entries_and_tooltips_but_not_if_or_quote() -> None:
    assert _literals(_document(), Policy()) == {
        f"{BODY}#fld0.0": "Your name, please",
        f"{BODY}#fld0.1": "Jane Doe",
        f"{BODY}#fld1.0": "Who is the client?",
        f"{BODY}#fld1.1": "ACME",
        f"{BODY}#fld4.0": "Animals:Dogs",
        f"{BODY}#fld4.1": "See Cats",
        f"{BODY}#fld5.0": "Introduction to the method",
        f"{BODY}#fld6.0": "Open the example site",
        f"{BODY}#fld7.0": "Your city",
    }
    assert set(_literals(_document())) - set(_literals(_document(), Policy())) == {
        f"{BODY}#fld2.0",
        f"{BODY}#fld2.1",
        f"{BODY}#fld3.0",
    }
    assert _literals(_document(), Policy(field_literals=frozenset())) == {}
    assert _literals(_document(), Policy(field_literals=frozenset({"TC"}))) == {
        f"{BODY}#fld5.0": "Introduction to the method"
    }


def test_the_switch_is_a_policy_option() -> None:
    assert policy_from_options({"field_literals": "IF,QUOTE"}).field_literals == {"IF", "QUOTE"}
    with pytest.raises(PolicyError):
        policy_from_options({"field_literals": "MERGEFIELD"})


def test_identity_round_trip_is_exact_with_every_type_on() -> None:
    assert identity_differences(_document(), EVERY) == []


def test_translations_with_quotes_backslashes_and_spaces_keep_every_instruction_valid() -> None:
    targets = {
        f"{BODY}#fld0.0": 'Ihr "Name", bitte',
        f"{BODY}#fld0.1": "Erika \\ Muster",
        f"{BODY}#fld1.0": "Wer ist der Kunde?",
        f"{BODY}#fld2.0": "Sie stimmen überein",
        f"{BODY}#fld2.1": 'Sie "unterscheiden" sich\\',
        f"{BODY}#fld3.0": "Gesehen und genehmigt",
        f"{BODY}#fld4.0": "Tiere<x1/>Hunde",
        f"{BODY}#fld5.0": "Einführung in die Methode",
        f"{BODY}#fld6.0": "Die Beispielseite öffnen",
        f"{BODY}#fld7.0": "Ihre Stadt",
    }
    output = translate(_document(), targets, policy=EVERY)
    found = [[t.value for t, _ in literal_arguments(f)] for f in _instructions(output)]
    assert found == [
        ['Ihr "Name", bitte', "Erika \\ Muster"],
        ["Wer ist der Kunde?", "ACME"],
        ["Sie stimmen überein", 'Sie "unterscheiden" sich\\'],
        ["Gesehen und genehmigt"],
        ["Tiere:Hunde", "See Cats"],
        ["Einführung in die Methode"],
        ["Die Beispielseite öffnen"],
        ["Ihre Stadt"],
    ]
    instructions = _instructions(output)
    # Everything that is not a literal stays as it was: keywords, switches, the URL,
    # the bookmark, the compared expressions.
    assert instructions[2].startswith(' IF "a" = "b" ')
    assert instructions[4].endswith(' \\t "See Cats" \\f i ')
    assert instructions[5].endswith(" \\f C \\l 2 ")
    assert instructions[6].startswith(' HYPERLINK "https://example.com/a b" \\l "top" \\o ')


def test_a_literal_split_over_runs_is_written_into_the_run_where_it_began() -> None:
    output = translate(_document(), {f"{BODY}#fld5.0": "Einführung"}, policy=EVERY)
    paragraph = list(read_part(output, BODY).iter(f"{{{W}}}p"))[5]
    pieces = [t.text or "" for t in paragraph.iter(f"{{{W}}}instrText")]
    assert pieces == [' TC "Einführung"', "", " \\f C \\l 2 "]


def test_xe_subentry_separators_are_tags_and_a_stray_colon_keeps_the_source() -> None:
    unit = units_by_id(_document())[f"{BODY}#fld4.0"]
    assert unit.source == "Animals<x1/>Dogs"
    dropped = translate(_document(), {f"{BODY}#fld4.0": "Tiere Hunde"})
    # A dropped separator is put back by tag repair: the entry keeps its two levels.
    entry = literal_arguments(_instructions(dropped)[4])[0][0].value
    assert (entry.count(":"), entry.replace(":", " ").split()) == (1, ["Tiere", "Hunde"])
    stray = translate(_document(), {f"{BODY}#fld4.0": "Tiere: Hunde<x1/>Dackel"})
    assert literal_arguments(_instructions(stray)[4])[0][0].value == "Animals:Dogs"


def test_switched_off_types_are_left_alone() -> None:
    before = _instructions(_document())
    output = translate(_document(), {f"{BODY}#fld2.0": "Ja", f"{BODY}#fld3.0": "Gesehen"})
    assert _instructions(output) == before


def _nested(instruction: str, result: str) -> str:
    """A field inside an instruction: its result is written as instruction text too."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:instrText>{result}</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _code(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{escape(text)}</w:instrText></w:r>'


NESTED_IF = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    + _code(" IF ")
    + _nested(" MERGEFIELD Title ", "Dr")
    + _code(' = "Dr" "Dear doctor" "Dear ')
    + _nested(" MERGEFIELD Name ", "Smith")
    + _code('" ')
    + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    + r("Dear doctor")
    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def test_fields_nested_in_an_instruction_are_kept_and_the_literals_around_them_read() -> None:
    data = make_docx(p(NESTED_IF))
    assert _literals(data) == {f"{BODY}#fld0.0": "Dear doctor"}
    assert identity_differences(data, EVERY) == []
    output = translate(data, {f"{BODY}#fld0.0": 'Sehr geehrte "Frau Doktor"'}, policy=EVERY)
    pieces = [t.text or "" for t in read_part(output, BODY).iter(f"{{{W}}}instrText")]
    assert pieces == [
        " IF ",
        " MERGEFIELD Title ",
        "Dr",
        ' = "Dr" "Sehr geehrte \\"Frau Doktor\\"" "Dear ',
        " MERGEFIELD Name ",
        "Smith",
        '" ',
    ]


def test_an_argument_holding_a_nested_field_is_not_a_literal() -> None:
    nested = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + _code(' FILLIN "Prompt for ')
        + _nested(" USERNAME ", "Ann")
        + _code('" \\d "Plain default" ')
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    data = make_docx(p(nested) + p(_field(' FILLIN "Plain prompt" ')))
    assert _literals(data) == {
        f"{BODY}#fld0.0": "Plain default",
        f"{BODY}#fld2.0": "Plain prompt",
    }
    assert identity_differences(data, EVERY) == []


def test_generated_document_pseudo_translates_every_literal() -> None:
    pairs = pseudo_round_trip(_document(), {UnitKind.FIELD_TEXT}, EVERY)
    assert len(pairs) == 12
    assert_all_translated(pairs)


def test_corpus_index_entry_is_translated() -> None:
    """pandoc__empty_field.docx: an ``XE "French"`` index entry in the body."""
    pairs = pseudo_round_trip(corpus_file("pandoc__empty_field.docx"), {UnitKind.FIELD_TEXT})
    assert [texts[0] for texts in pairs.values()] == ["French"]
    assert_all_translated(pairs)


def test_corpus_contents_entry_built_from_nested_fields_stays() -> None:
    """oxmlsdk__complex0.docx: a ``tc "{seq …}-{seq …}"`` entry whose text is made of
    nested simple fields: not one string, so not a unit, and the document round-trips."""
    data = corpus_file("oxmlsdk__complex0.docx")
    kinds = {
        u.location
        for u in units_by_id(data, policy=EVERY).values()
        if u.kind is UnitKind.FIELD_TEXT
    }
    assert not any(location.startswith("TC") for location in kinds)
    assert identity_differences(data, EVERY) == []
