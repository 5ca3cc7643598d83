"""Imported units get standard BCP-47 language tags (``EN_us`` is stored as ``en-US``),
so they match jobs of their languages and export as valid TMX; a tag that names no
language stops the import (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from iris.memory.models import TranslationUnit
from iris.memory.service import export_file, import_file, stats, units_for
from iris.memory.store import NewUnit, Query, memory

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

SENTENCE = "Results by channel"


def _tmx(path, source_lang: str = "EN_us", target_lang: str = "es_ES"):
    path.write_text(
        '<tmx version="1.4"><body>\n<tu>'
        f'<tuv xml:lang="{source_lang}"><seg>{SENTENCE}</seg></tuv>'
        f'<tuv xml:lang="{target_lang}"><seg>TMX-3 resultados</seg></tuv>'
        "</tu>\n</body></tmx>",
        encoding="utf-8",
    )
    return path


def _scores(target_lang: str) -> list[int]:
    [matches] = memory().lookup([Query(SENTENCE)], "en", target_lang)
    return [match.score for match in matches]


def test_underscore_tags_from_a_tmx_are_stored_standard_and_match(tmp_path) -> None:
    assert import_file(_tmx(tmp_path / "tm.tmx"), "en", "es", promote=True).created == 1
    unit = TranslationUnit.objects.get()
    assert (unit.source_lang, unit.target_lang) == ("en-US", "es-ES")
    assert (unit.source_base, unit.target_base) == ("en", "es")
    assert _scores("es-ES") == [100]
    assert _scores("es") == [99]  # another locale of the language: shown, not applied
    assert [(row["source_lang"], row["target_lang"]) for row in stats()] == [("en-US", "es-ES")]
    out = io.BytesIO()
    export_file(out, "tmx", units_for("en"), source_lang="en")
    assert b'xml:lang="en-US"' in out.getvalue()
    assert b'xml:lang="es-ES"' in out.getvalue()
    assert b"_" not in out.getvalue().split(b"<body>")[1]


def test_underscore_tags_from_a_csv_are_stored_standard(tmp_path) -> None:
    path = tmp_path / "tm.csv"
    path.write_text(
        f"source,target,source_lang,target_lang\n{SENTENCE},TMX-3 resultados,EN_us,es_ES\n",
        encoding="utf-8",
    )
    import_file(path, "en", "es")
    unit = TranslationUnit.objects.get()
    assert (unit.source_lang, unit.target_lang) == ("en-US", "es-ES")
    assert _scores("es-ES") == [100]


def test_a_tag_that_is_no_language_stops_the_import(tmp_path) -> None:
    path = _tmx(tmp_path / "bad.tmx", target_lang="es-!!")
    with pytest.raises(CommandError, match=r"bad.tmx line 2: .*'es-!!'.*language"):
        call_command("tm", "import", str(path), "--source", "en", "--target", "es")
    assert not TranslationUnit.objects.exists()


def test_units_stored_with_underscore_tags_by_earlier_versions_export_standard() -> None:
    memory().add([NewUnit(SENTENCE, "Resultados por canal", "en", "es")])
    TranslationUnit.objects.update(source_lang="EN_us", target_lang="es_ES")
    out = io.StringIO()
    export_file(out, "csv", units_for("en"), source_lang="en")
    assert f"{SENTENCE},Resultados por canal,en-US,es-ES" in out.getvalue()
