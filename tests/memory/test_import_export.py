"""TMX and CSV through the memory: round trips keep every unit and its inline codes,
imports are all-or-nothing, bad files fail with the line and store nothing (SQLite and
PostgreSQL alike)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from iris.governance.models import AuditRecord
from iris.memory.interchange import InterchangeError
from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.service import export_file, import_file, units_for
from iris.memory.store import Query, memory

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

FIXTURES = Path(__file__).parent / "fixtures"


def _units() -> set[tuple[str, str, str, str, tuple[tuple[str, str], ...]]]:
    return {
        (u.source, u.target, u.source_lang, u.target_lang, tuple(sorted(u.codes.items())))
        for u in TranslationUnit.objects.all()
    }


def _export(fmt: str = "tmx", source: str = "en") -> bytes:
    if fmt == "tmx":
        binary = io.BytesIO()
        export_file(binary, fmt, units_for(source), source_lang=source)
        return binary.getvalue()
    text = io.StringIO()
    export_file(text, fmt, units_for(source), source_lang=source)
    return text.getvalue().encode()


def test_tmx_from_another_tool_round_trips_with_its_inline_codes(tmp_path) -> None:
    report = import_file(FIXTURES / "other_tool.tmx", "en", "fr")
    assert report.created >= 3
    first = _units()
    assert any("<g1>" in source for source, *_ in first)
    assert any("<x" in source for source, *_ in first)
    assert any(codes for *_, codes in first), "native codes are kept for export"
    exported = tmp_path / "again.tmx"
    exported.write_bytes(_export())
    assert b'&lt;a href="help.html"&gt;' in exported.read_bytes()  # the native code
    memory().delete(TranslationUnit.objects.values_list("pk", flat=True))
    again = import_file(exported, "en", "fr")
    assert again.created == report.created
    assert _units() == first
    assert AuditRecord.objects.filter(action="memory.import").count() == 2


def test_csv_round_trip_keeps_status_and_tags(tmp_path) -> None:
    source = tmp_path / "units.csv"
    source.write_text(
        'source,target\n"Press <g1>Save</g1>.","Appuyez sur <g1>Enregistrer</g1>."\nTotal,Total\n',
        encoding="utf-8",
    )
    import_file(source, "en", "fr", promote=True)
    first = _units()
    exported = tmp_path / "out.csv"
    exported.write_bytes(_export("csv"))
    memory().delete(TranslationUnit.objects.values_list("pk", flat=True))
    import_file(exported, "en", "fr")
    assert _units() == first
    assert set(TranslationUnit.objects.values_list("status", flat=True)) == {UnitStatus.PROMOTED}


def test_a_bad_unit_anywhere_stores_nothing(tmp_path) -> None:
    good = "".join(
        f'<tu><tuv xml:lang="en"><seg>Sentence {n} is fine.</seg></tuv>'
        f'<tuv xml:lang="fr"><seg>Phrase {n}.</seg></tuv></tu>\n'
        for n in range(50)
    )
    bad = '<tu><tuv xml:lang="en"><seg>Broken <bpt i="1">{b}</bpt>code</seg></tuv>'
    bad += '<tuv xml:lang="fr"><seg>Cassé</seg></tuv></tu>\n'
    path = tmp_path / "late.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en" segtype="sentence"'
        ' creationtool="t" creationtoolversion="1" o-tmf="t" adminlang="en" datatype="plaintext"/>'
        f"\n<body>\n{good}{bad}</body></tmx>\n",
        encoding="utf-8",
    )
    with pytest.raises(InterchangeError, match="line 54: unit 51"):
        import_file(path, "en", "fr")
    assert not TranslationUnit.objects.exists()
    assert memory().lookup([Query("Sentence 3 is fine.")], "en", "fr") == [[]]
    assert not AuditRecord.objects.filter(action="memory.import").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.tmx", "line"),
        ("wrong_languages.tmx", "no unit"),
        ("empty_seg.tmx", "empty"),
        ("unbalanced_bpt.tmx", "line"),
    ],
)
def test_bad_files_name_the_problem(name: str, message: str) -> None:
    with pytest.raises(InterchangeError, match=message):
        import_file(FIXTURES / name, "en", "fr")
    assert not TranslationUnit.objects.exists()


def test_a_two_gigabyte_file_is_refused_before_reading(tmp_path, settings) -> None:
    huge = tmp_path / "huge.tmx"
    with huge.open("wb") as out:
        out.truncate(2 * 1024**3)
    with pytest.raises(InterchangeError, match="limit"):
        import_file(huge, "en", "fr")
    assert not TranslationUnit.objects.exists()
