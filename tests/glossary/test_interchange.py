"""Reading and writing glossary files: CSV and TBX-Basic, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.glossary.interchange import (
    InterchangeError,
    TermData,
    read_terms,
    write_csv,
    write_tbx,
)

FIXTURES = Path(__file__).parent / "fixtures"

CONTRACT = TermData(
    source="contract",
    targets=("contrat", "convention"),
    part_of_speech="noun",
    forbidden=("accord",),
    note="legal sense",
)
ACME = TermData(
    source="Acme Cloud", case_sensitive=True, do_not_translate=True, note="product name"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_csv() -> None:
    terms = read_terms(FIXTURES / "terms.csv", "en", "fr")
    assert terms[:2] == [CONTRACT, ACME]
    assert terms[2].note == 'SLA; "formal" only'
    assert [(t.source, t.part_of_speech) for t in terms[3:]] == [
        ("record", "noun"),
        ("record", "verb"),
    ]


def test_reads_tbx() -> None:
    terms = read_terms(FIXTURES / "terms.tbx", "en", "fr")
    assert terms[0] == TermData(
        source="contract",
        targets=("contrat", "convention"),  # the preferred term first
        part_of_speech="noun",
        forbidden=("accord", "pacte"),  # deprecated and superseded
        note="A binding agreement.",
    )
    assert terms[1] == ACME
    assert [(t.source, t.targets) for t in terms[2:]] == [
        ("customer", ("client",)),
        ("client", ("client",)),
    ]


def test_tbx_regional_lang_set_serves_its_language() -> None:
    # The fixture's source langSet is en-US; asked for en-GB it is still English.
    assert read_terms(FIXTURES / "terms.tbx", "en-GB", "fr")[0].source == "contract"


@pytest.mark.parametrize("suffix", ["csv", "tbx"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    terms = read_terms(FIXTURES / f"terms.{suffix}", "en", "fr")
    path = tmp_path / f"out.{suffix}"
    if suffix == "csv":
        write_csv(path, terms)
    else:
        write_tbx(path, terms, "en", "fr")
    assert read_terms(path, "en", "fr") == terms


def test_written_tbx_is_tbx_basic(tmp_path: Path) -> None:
    path = tmp_path / "out.tbx"
    write_tbx(path, [CONTRACT], "en", "fr")
    text = path.read_text(encoding="utf-8")
    assert '<martif type="TBX-Basic" xml:lang="en">' in text
    assert '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>' in text
    assert '<termNote type="partOfSpeech">noun</termNote>' in text


def test_csv_cannot_carry_a_pipe(tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match="use TBX"):
        write_csv(tmp_path / "out.csv", [TermData("a", ("b|c",))])


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("source,target\ncontract,contrat\n,contrat\n", r"line 3: .* no letter or digit"),
        ("source,target\ncontract,\n", "line 2: 'contract' has no target term"),
        ("source,target\ncontract,contrat,extra\n", "line 2: 3 fields where the header has 2"),
        ("source,target,colour\n", "line 1: unknown column 'colour'"),
        ("source,part_of_speech\n", "line 1: the header has no 'target' column"),
        ("source,target,case_sensitive\na,b,maybe\n", "line 2: case_sensitive is 'maybe'"),
        ("source,target\na,b\na,c\n", "line 3: 'a' repeats line 2"),
        ('source,target\n"a,b\n', "line 2: bad CSV"),
        ("source,target,forbidden\na,b,b\n", "line 2: .*'b' is allowed and forbidden"),
    ],
)
def test_bad_csv_names_the_line(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(InterchangeError, match=f"bad.csv, {error}"):
        read_terms(write(tmp_path, "bad.csv", text), "en", "fr")


def test_csv_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("source,target\ncafé,café\n".encode("latin-1"))
    with pytest.raises(InterchangeError, match="not UTF-8"):
        read_terms(path, "en", "fr")


TBX_HEAD = '<martif type="TBX-Basic"><text><body>'
TBX_TAIL = "</body></text></martif>"


def entry(*lang_sets: str) -> str:
    return "<termEntry>" + "".join(lang_sets) + "</termEntry>"


def lang_set(lang: str, *terms: str) -> str:
    tigs = "".join(f"<tig><term>{t}</term></tig>" for t in terms)
    return f'<langSet xml:lang="{lang}">{tigs}</langSet>'


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (entry(lang_set("en", "a"), lang_set("fr", "b")) + "<termEntry>", "line 1: malformed XML"),
        (entry(lang_set("fr", "b")), "line 1: the entry has fr terms but no source term"),
        (entry(lang_set("en", "a")), "line 1: the entry has no fr term"),
        (entry(lang_set("en", "a"), lang_set("fr", "")), "line 1: empty term"),
        (
            entry(lang_set("en", "a"), "<langSet><tig><term>b</term></tig></langSet>"),
            "line 1: langSet xml:lang=''",
        ),
    ],
)
def test_bad_tbx_names_the_line(tmp_path: Path, body: str, error: str) -> None:
    path = write(tmp_path, "bad.tbx", TBX_HEAD + body + TBX_TAIL)
    with pytest.raises(InterchangeError, match=f"bad.tbx, {error}"):
        read_terms(path, "en", "fr")


def test_tbx_without_the_languages(tmp_path: Path) -> None:
    path = write(tmp_path, "de.tbx", TBX_HEAD + entry(lang_set("de", "a")) + TBX_TAIL)
    with pytest.raises(InterchangeError, match=r"de.tbx: no terms in en or fr \(found: de\)"):
        read_terms(path, "en", "fr")


def test_tbx_error_line_is_the_entrys(tmp_path: Path) -> None:
    good = entry(lang_set("en", "a"), lang_set("fr", "b"))
    text = TBX_HEAD + "\n" + good + "\n\n" + entry(lang_set("en", "c")) + "\n" + TBX_TAIL
    with pytest.raises(InterchangeError, match="line 4: the entry has no fr term"):
        read_terms(write(tmp_path, "bad.tbx", text), "en", "fr")


def test_tbx_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY boom "boom">]>\n'
        + TBX_HEAD
        + entry(lang_set("en", "&boom;"), lang_set("fr", "b"))
        + TBX_TAIL
    )
    with pytest.raises(InterchangeError, match="entity declarations"):
        read_terms(write(tmp_path, "evil.tbx", text), "en", "fr")


def test_tbx_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "SECRET")
    text = (
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        + TBX_HEAD
        + entry(lang_set("en", "&x;"), lang_set("fr", "b"))
        + TBX_TAIL
    )
    with pytest.raises(InterchangeError, match="entity declarations"):
        read_terms(write(tmp_path, "evil.tbx", text), "en", "fr")


def test_not_tbx(tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match="line 1: not TBX"):
        read_terms(write(tmp_path, "x.tbx", "<html/>"), "en", "fr")


def test_unknown_suffix_needs_a_format(tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match="cannot tell the format"):
        read_terms(write(tmp_path, "terms.txt", ""), "en", "fr")
    assert read_terms(write(tmp_path, "terms.txt", "source,target\na,b\n"), "en", "fr", "csv")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match="cannot read it"):
        read_terms(tmp_path / "none.csv", "en", "fr")
