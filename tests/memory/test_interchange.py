"""Translation-memory interchange: TMX 1.4b and CSV read and written as tagged units."""

from __future__ import annotations

import dataclasses
import io
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from iris.docx.text.tags import tokenize
from iris.memory.interchange import (
    InterchangeError,
    InterchangeUnit,
    TmxReader,
    languages_match,
    read_csv,
    read_tmx,
    write_csv,
    write_tmx,
)

FIXTURES = Path(__file__).parent / "fixtures"
OTHER_TOOL = FIXTURES / "other_tool.tmx"
LIMIT = 10 * 1024 * 1024


def read(path: Path, source: str = "en-US", target: str = "fr-FR") -> list[InterchangeUnit]:
    return list(read_tmx(path, source, target, max_bytes=LIMIT))


def by_source(units: list[InterchangeUnit]) -> dict[str, InterchangeUnit]:
    return {unit.source: unit for unit in units}


def without_line(units: list[InterchangeUnit]) -> list[InterchangeUnit]:
    return [dataclasses.replace(unit, line=0) for unit in units]


def written_tmx(units: list[InterchangeUnit], source_lang: str = "en-US") -> bytes:
    out = io.BytesIO()
    assert write_tmx(units, out, source_lang=source_lang) == len(units)
    return out.getvalue()


def tmx_file(tmp_path: Path, body: str, srclang: str = "en") -> Path:
    path = tmp_path / "memory.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        f'<header srclang="{srclang}" segtype="sentence" o-tmf="t" adminlang="en" '
        'datatype="plaintext" creationtool="t" creationtoolversion="1"/>\n'
        f"<body>\n{body}</body>\n</tmx>\n",
        encoding="utf-8",
    )
    return path


def tu(source: str, target: str, source_lang: str = "en", target_lang: str = "fr") -> str:
    return (
        f'<tu><tuv xml:lang="{source_lang}"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="{target_lang}"><seg>{target}</seg></tuv></tu>\n'
    )


# --- reading a TMX another tool wrote ---------------------------------------------------------


def test_reads_the_units_of_the_pair_and_counts_the_tus_it_skips():
    reader = TmxReader(OTHER_TOOL, "en-US", "fr-FR", max_bytes=LIMIT)
    units = list(reader.units())
    assert [unit.line for unit in units] == [9, 26, 42, 53, 67]
    assert (reader.read, reader.skipped) == (5, 2)  # tu 3 has no fr-FR, tu 7 only en-US
    assert {"en-US", "fr-FR", "fr-CA", "de-DE", "ja-JP", "ar-SA"} <= reader.languages


def test_paired_codes_become_g_tags_and_keep_their_native_code():
    unit = read(OTHER_TOOL)[0]
    assert unit.source == "The <g1>buyer</g1> pays &amp; signs."
    assert unit.target == "L'<g1>acheteur</g1> paie &amp; signe."
    assert unit.codes == {"g1": "{b}", "/g1": "{/b}"}


def test_ph_with_sub_is_one_standalone_code_and_x_matches_across_tuvs():
    unit = read(OTHER_TOOL)[1]
    assert unit.source == "Click <x1/> to save <g2>the file</g2>."
    # the target's <bpt i="7" x="2"> is the source's x="2": same tag number
    assert unit.target == "Cliquez sur <x1/> pour enregistrer <g2>le fichier</g2>."
    assert unit.codes == {
        "x1": '<img src="icon.png" alt="Save icon"/>',
        "g2": '<a href="help.html">',
        "/g2": "</a>",
    }


def test_it_hi_cdata_and_comments():
    unit = read(OTHER_TOOL)[2]
    assert unit.source == "<x1/>continued <g2>really</g2> here with &lt;raw&gt; &amp; text"
    assert unit.target == "<x1/>suite <g2>vraiment</g2> ici avec &lt;raw&gt; &amp; texte"
    assert unit.codes == {"x1": "<u>"}  # <hi> has no native code to keep


def test_whitespace_and_escaped_text_are_kept_as_is():
    unit = read(OTHER_TOOL)[3]
    assert unit.source == "  Two  spaces, 5 &lt; 6 and 7 &gt; 6. "
    assert unit.target == "  Deux  espaces (France), 5 &lt; 6 et 7 &gt; 6. "


def test_a_code_only_in_the_target_is_numbered_after_the_source_codes():
    unit = read(OTHER_TOOL)[4]
    assert (unit.source, unit.target) == ("Total: <x1/>", "Total<x2/>: <x1/>")
    assert unit.codes == {"x1": "{0}", "x2": "&nbsp;"}


def test_without_x_codes_of_one_kind_pair_by_order_of_appearance():
    (unit,) = [u for u in read(OTHER_TOOL, "en", "de") if "Warning" in u.source]
    assert unit.source == "<g1>Warning</g1>: see <g2>page 4</g2><x3/>"
    # the tool reordered the pairs and wrote no x: the first pair takes the first number
    assert unit.target == "Siehe <g1>Seite 4</g1>: <g2>Warnung</g2><x3/>"


def test_metadata_notes_and_props():
    unit = read(OTHER_TOOL)[0]
    assert unit.created_by == "alice"
    assert unit.created_at == datetime(2024, 1, 5, 8, 30, tzinfo=UTC)
    assert unit.changed_at == datetime(2024, 1, 6, 12, 0, tzinfo=UTC)
    assert unit.note == "Checked by legal.\nSource note."
    # tu-level x-iris-status wins over the tuv's; the tuv's own x-origin is kept
    assert unit.props == {
        "x-context": "Contract, clause 4",
        "x-iris-status": "approved",
        "x-origin": "tm",
    }


def test_every_unit_read_is_valid_tagged_text():
    for source, target in [("en-US", "fr-FR"), ("en", "de"), ("en", "ja"), ("en", "ar")]:
        for unit in read(OTHER_TOOL, source, target):
            tokenize(unit.source, require_balanced=True)
            tokenize(unit.target, require_balanced=True)


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "found", "expected"),
    [
        ("fr", "fr-FR", True),
        ("fr", "FR-ca", True),
        ("fr-CA", "fr-ca", True),
        ("fr-CA", "fr-FR", False),
        ("fr-CA", "fr", False),
        ("fr", "fry", False),
        ("en_US", "en-us", True),
        ("", "en", False),
    ],
)
def test_languages_match(wanted, found, expected):
    assert languages_match(wanted, found) is expected


def test_exact_locale_is_preferred_over_a_primary_subtag_match():
    canada = [u.target for u in read(OTHER_TOOL, "en", "fr-CA")]
    assert canada == ["  Deux  espaces (Canada), 5 &lt; 6 et 7 &gt; 6. "]
    france = by_source(read(OTHER_TOOL, "en", "fr-FR"))
    assert "(France)" in france["  Two  spaces, 5 &lt; 6 and 7 &gt; 6. "].target


def test_a_primary_subtag_picks_the_first_matching_tuv():
    units = read(OTHER_TOOL, "en", "fr")
    assert [u.target_lang for u in units] == ["fr-FR", "fr-FR", "fr-FR", "fr-CA", "fr-FR"]
    assert units[0].source_lang == "en-US"  # as found in the file


def test_several_languages_in_one_tu_and_the_legacy_lang_attribute():
    japanese = read(OTHER_TOOL, "en", "ja")
    assert [u.target for u in japanese] == ["<x1/>続き<g2>本当に</g2>ここ"]
    arabic = read(OTHER_TOOL, "en", "ar")
    assert [(u.target_lang, u.target) for u in arabic] == [
        ("ar-SA", "  مسافتان، 5 &lt; 6 و 7 &gt; 6. ")
    ]


def test_a_file_without_the_pair_names_the_languages_it_has():
    message = r"no unit in en-US → fr-FR; languages found: de-DE, en-GB, it-IT\.$"
    with pytest.raises(InterchangeError, match=message):
        read(FIXTURES / "wrong_languages.tmx")


def test_a_header_srclang_that_contradicts_the_source_language_is_refused():
    with pytest.raises(InterchangeError, match=r"line 3: the header's srclang 'de-DE'") as error:
        read(FIXTURES / "wrong_srclang.tmx")
    assert error.value.line == 3


def test_a_header_srclang_that_agrees_or_says_all_is_accepted(tmp_path):
    assert read(tmx_file(tmp_path, tu("Hi", "Salut"), srclang="en-US"), "en", "fr")
    assert read(tmx_file(tmp_path, tu("Hi", "Salut"), srclang="*all*"), "en", "fr")


# --- errors name the line and the unit --------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "line", "problem"),
    [
        ("malformed.tmx", 10, r"malformed XML \(after unit 1\): Opening and ending tag mismatch"),
        ("empty_seg.tmx", 9, r"unit 2 \(tuid 'empty'\): the <seg> in 'FR-FR' is empty"),
        ("unbalanced_bpt.tmx", 9, r"unit 2 .*<bpt i=\"1\"> has no matching <ept>"),
        ("ept_without_bpt.tmx", 9, r"unit 2 .*<ept i=\"3\"> has no matching <bpt>"),
        ("crossed.tmx", 9, r"unit 2 .*codes cross each other"),
        ("missing_seg.tmx", 9, r"unit 2 .*the <tuv> in 'FR-FR' has no <seg>"),
    ],
)
def test_a_bad_unit_is_refused_naming_its_line_and_unit(fixture, line, problem):
    units = read_tmx(FIXTURES / fixture, "en-US", "fr-FR", max_bytes=LIMIT)
    with pytest.raises(InterchangeError, match=rf"^{fixture} line {line}: {problem}") as error:
        list(units)
    assert error.value.line == line


def test_the_units_before_a_bad_one_are_still_delivered():
    units = read_tmx(FIXTURES / "crossed.tmx", "en-US", "fr-FR", max_bytes=LIMIT)
    assert next(units).target == "Une première unité correcte."
    with pytest.raises(InterchangeError):
        next(units)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("Fine", ""),
        ("<hi>a <bpt i='1'>{b}</bpt>b</hi> c<ept i='1'>{/b}</ept>", "codes cross each other"),
        ("<bpt i='1'/>a<bpt i='1'/>b<ept i='1'/>", '<bpt i="1"> opens again before its <ept>'),
        ("a <b>bold</b>", "<b> is not allowed in <seg>"),
        ("  <bpt i='1'>{b}</bpt> <ept i='1'>{/b}</ept> ", "the <seg> in 'en' is empty"),
    ],
)
def test_code_structure_errors(tmp_path, source, problem):
    path = tmx_file(tmp_path, tu("First", "Premier") + tu(source, "Cible"))
    if not problem:
        assert len(read(path, "en", "fr")) == 2
        return
    with pytest.raises(InterchangeError, match=f"memory.tmx line 6: unit 2: {problem}"):
        read(path, "en", "fr")


def test_a_bad_date_is_refused_naming_the_unit(tmp_path):
    body = tu("Hi", "Salut").replace("<tu>", '<tu creationdate="2024-01-05">')
    with pytest.raises(InterchangeError, match=r"line 5: unit 1: date '2024-01-05' is not"):
        read(tmx_file(tmp_path, body), "en", "fr")


def test_entities_are_neither_expanded_nor_fetched(tmp_path):
    path = tmp_path / "entities.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY boom "BOOM">]>\n<tmx version="1.4">'
        '<header srclang="en"/><body>\n'
        '<tu><tuv xml:lang="en"><seg>a &boom;</seg></tuv><tuv xml:lang="fr"><seg>b</seg></tuv>'
        "</tu>\n</body></tmx>\n"
    )
    with pytest.raises(InterchangeError, match="line 4: unit 1: the entity &boom; is not expanded"):
        read(path, "en", "fr")


def test_a_file_that_is_not_tmx_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<xliff><header/><tu/></xliff>")
    with pytest.raises(InterchangeError, match=r"not a TMX file \(the root element is <xliff>"):
        read(path)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    huge = tmp_path / "huge.tmx"
    with huge.open("wb") as stream:
        stream.truncate(2 * 1024**3)  # sparse: 2 GB of nothing, costs no disk
    message = r"huge.tmx is 2,147,483,648 bytes, over the limit of 10,485,760 bytes"
    with pytest.raises(InterchangeError, match=message):
        read_tmx(huge, "en", "fr", max_bytes=LIMIT)  # raises at once, not on next()
    with pytest.raises(InterchangeError, match=message):
        read_csv(huge, "en", "fr", max_bytes=LIMIT)


# --- writing ---------------------------------------------------------------------------------


def test_written_tmx_has_the_header_and_puts_native_codes_back():
    unit = read(OTHER_TOOL)[1]
    root = etree.fromstring(written_tmx([unit]))
    header = root.find("header")
    assert header is not None
    assert {k: header.get(k) for k in ("srclang", "segtype", "datatype", "adminlang")} == {
        "srclang": "en-US",
        "segtype": "sentence",
        "datatype": "plaintext",
        "adminlang": "en",
    }
    assert header.get("creationtool") == "Iris"
    assert header.get("o-tmf")
    assert header.get("creationtoolversion")
    target_seg = root.find("body/tu/tuv[@{http://www.w3.org/XML/1998/namespace}lang='fr-FR']/seg")
    assert target_seg is not None
    assert etree.tostring(target_seg, encoding="unicode", with_tail=False) == (
        '<seg>Cliquez sur <ph x="1">&lt;img src="icon.png" alt="Save icon"/&gt;</ph> pour '
        'enregistrer <bpt i="2" x="2">&lt;a href="help.html"&gt;</bpt>le fichier'
        '<ept i="2">&lt;/a&gt;</ept>.</seg>'
    )


def test_tags_without_native_code_get_their_own_tag_as_placeholder():
    unit = InterchangeUnit("<g1>a</g1> &amp; <x2/>", "<x2/><g1>b</g1>", "en", "fr")
    seg = etree.fromstring(written_tmx([unit])).find("body/tu/tuv/seg")
    assert seg is not None
    assert etree.tostring(seg, encoding="unicode", with_tail=False) == (
        '<seg><bpt i="1" x="1">&lt;g1&gt;</bpt>a<ept i="1">&lt;/g1&gt;</ept> &amp; '
        '<ph x="2">&lt;x2/&gt;</ph></seg>'
    )


def test_written_unit_metadata():
    unit = InterchangeUnit(
        "Hi",
        "Salut",
        "en",
        "fr",
        created_by="carol",
        created_at=datetime(2024, 3, 1, 10, 0, 5, tzinfo=UTC),
        changed_at=datetime(2024, 3, 2, 11, 0),  # naive: taken as UTC
        note="one\ntwo",
        props={"x-iris-status": "approved"},
    )
    element = etree.fromstring(written_tmx([unit])).find("body/tu")
    assert element is not None
    assert element.get("creationid") == "carol"
    assert element.get("creationdate") == "20240301T100005Z"
    assert element.get("changedate") == "20240302T110000Z"
    assert element.findtext("note") == "one\ntwo"
    assert element.findtext("prop[@type='x-iris-status']") == "approved"


def test_a_unit_with_bad_tags_is_refused_when_written():
    bad = InterchangeUnit("<g1>open", "cible", "en", "fr")
    with pytest.raises(InterchangeError, match="unit 2 cannot be written"):
        write_tmx([InterchangeUnit("ok", "ok", "en", "fr"), bad], io.BytesIO(), source_lang="en")


@pytest.mark.parametrize(("source", "target"), [("en-US", "fr-FR"), ("en", "de"), ("en", "ja")])
def test_round_trip_read_write_read(tmp_path, source, target):
    first = read(OTHER_TOOL, source, target)
    path = tmp_path / "again.tmx"
    path.write_bytes(written_tmx(first, source_lang=source))
    assert without_line(read(path, source, target)) == without_line(first)


def test_round_trip_of_iris_units_without_native_codes(tmp_path):
    units = [
        InterchangeUnit("<g1>Bold</g1> and <x2/> &lt;", "<g1>Gras</g1> et <x2/> &lt;", "en", "fr"),
        InterchangeUnit("Only in target", "Seulement<x1/> ici", "en", "fr", note="n"),
    ]
    path = tmp_path / "iris.tmx"
    path.write_bytes(written_tmx(units, source_lang="en"))
    assert without_line(read(path, "en", "fr")) == units


# --- CSV -------------------------------------------------------------------------------------


def csv_file(tmp_path: Path, text: str, bom: bool = False) -> Path:
    path = tmp_path / "memory.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_csv_with_a_bom_and_optional_columns(tmp_path):
    path = csv_file(
        tmp_path,
        "source,target,source_lang,target_lang,created_by,created_at,note,context,status\r\n"
        '"<g1>Hi</g1>, you","<g1>Salut</g1>, toi",en-US,fr-FR,dan,2024-01-05T08:30:00,"a\nb",'
        "greeting,approved\r\n"
        "\r\n"
        "Tom &amp; Jerry,Tom &amp; Jerry,,,,,,,\r\n",
        bom=True,
    )
    first, second = read_csv(path, "en", "fr", max_bytes=LIMIT)
    assert first == InterchangeUnit(
        "<g1>Hi</g1>, you",
        "<g1>Salut</g1>, toi",
        "en-US",
        "fr-FR",
        created_by="dan",
        created_at=datetime(2024, 1, 5, 8, 30, tzinfo=UTC),
        note="a\nb",
        props={"x-context": "greeting", "x-iris-status": "approved"},
        line=2,
    )
    assert (second.source, second.source_lang, second.target_lang, second.line) == (
        "Tom &amp; Jerry",
        "en",
        "fr",
        4,
    )


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("source,text\nA,B\n", "row 1: the header row must name a source and a target column"),
        ("source,target\nA,B\nA <b>,B\n", "row 3: the source is not valid tagged text"),
        ("source,target\nA,<g1>B\n", "row 2: the target is not valid tagged text"),
        ("source,target\nA,B\n<x1/> ,B\n", "row 3: the source is empty"),
        ("source,target\nA,\n", "row 2: the target is empty"),
        ("source,target,target_lang\nA,B,fr\nA,B,de-DE\n", "row 3: the target language 'de-DE'"),
        ("source,target,source_lang\nA,B,en-GB\n", "row 2: the source language 'en-GB' is not"),
    ],
)
def test_csv_errors_name_the_row(tmp_path, rows, problem):
    with pytest.raises(InterchangeError, match=f"^memory.csv {problem}"):
        list(read_csv(csv_file(tmp_path, rows), "en-US", "fr", max_bytes=LIMIT))


def test_csv_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "memory.csv"
    path.write_bytes("source,target\nA,é\n".encode("latin-1"))
    with pytest.raises(InterchangeError, match=r"memory.csv row .*codec can't decode"):
        list(read_csv(path, "en", "fr", max_bytes=LIMIT))


def test_csv_round_trip_keeps_everything_but_native_codes(tmp_path):
    units = [dataclasses.replace(u, codes={}) for u in read(OTHER_TOOL)]
    units = [dataclasses.replace(u, props={"x-iris-status": "approved"}) for u in units]
    out = io.StringIO()
    assert write_csv(units, out) == len(units)
    path = tmp_path / "memory.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    assert without_line(list(read_csv(path, "en", "fr", max_bytes=LIMIT))) == without_line(units)


# --- streaming --------------------------------------------------------------------------------


def test_a_large_file_streams_in_flat_memory(tmp_path):
    count = 20_000
    path = tmp_path / "large.tmx"
    with path.open("w", encoding="utf-8") as stream:
        stream.write('<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en"/>\n<body>\n')
        for n in range(count):
            stream.write(
                f'<tu tuid="{n}" creationid="gen">\n'
                f'  <tuv xml:lang="en"><seg>Segment {n} with <bpt i="1">{{b}}</bpt>bold'
                f'<ept i="1">{{/b}}</ept> text and some padding to make it longer.</seg></tuv>\n'
                f'  <tuv xml:lang="fr"><seg>Segment {n} avec du texte <bpt i="1">{{b}}</bpt>gras'
                f'<ept i="1">{{/b}}</ept> et du remplissage pour l’allonger.</seg></tuv>\n'
                "</tu>\n"
            )
        stream.write("</body>\n</tmx>\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        last = None
        seen = 0
        for unit in read_tmx(path, "en", "fr", max_bytes=LIMIT):
            seen += 1
            last = unit
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert last is not None
    assert last.line == 5 + 4 * (count - 1)  # past line 65,535 too
    assert last.source.startswith(f"Segment {count - 1} with <g1>bold</g1> text")
    assert peak < size / 20, (peak, size)
