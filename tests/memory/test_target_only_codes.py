"""A unit whose target holds an inline code its source lacks (a TMX ``<ph>`` only in the
target) is refused on import and counted in the report: applied to a segment, that
code has nowhere to come from and would be silently dropped (SQLite and PostgreSQL
alike)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from iris.governance.models import AuditRecord
from iris.memory.models import TranslationUnit
from iris.memory.service import import_file

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]


def _tu(source: str, target: str) -> str:
    return (
        f'<tu><tuv xml:lang="en"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="fr"><seg>{target}</seg></tuv></tu>\n'
    )


def _tmx(path, *units: str):
    path.write_text(f'<tmx version="1.4"><body>\n{"".join(units)}</body></tmx>\n')
    return path


def test_a_code_only_in_the_target_refuses_its_unit(tmp_path) -> None:
    path = _tmx(
        tmp_path / "tm.tmx",
        _tu("Save the file.", "Enregistrez le fichier."),
        _tu("Open the menu.", 'Ouvrez <ph x="1">&lt;img/&gt;</ph> le menu.'),
        _tu('Press <ph x="1">{1}</ph> now.', 'Appuyez <ph x="1">{1}</ph> maintenant.'),
        _tu("Close <bpt i='1'>&lt;b&gt;</bpt>it<ept i='1'>&lt;/b&gt;</ept>.", "Fermez-le."),
    )
    report = import_file(path, "en", "fr")
    assert (report.created, report.refused, report.refused_lines) == (3, 1, [3])
    assert set(TranslationUnit.objects.values_list("source", flat=True)) == {
        "Save the file.",
        "Press <x1/> now.",
        "Close <g1>it</g1>.",  # a code the target leaves out is QA's to find, not lost
    }
    audit = AuditRecord.objects.get(action="memory.import")
    assert audit.after["refused"] == 1


def test_a_csv_target_with_a_tag_its_source_lacks_is_refused(tmp_path) -> None:
    path = tmp_path / "tm.csv"
    path.write_text(
        'source,target\nOpen the menu.,"Ouvrez <g1>le</g1> menu."\nTotal,Total\n',
        encoding="utf-8",
    )
    report = import_file(path, "en", "fr")
    assert (report.created, report.refused, report.refused_lines) == (1, 1, [2])


def test_the_command_says_how_many_units_it_refused(tmp_path, capsys) -> None:
    path = _tmx(tmp_path / "tm.tmx", _tu("Open the menu.", 'Ouvrez <ph x="1">&lt;img/&gt;</ph>.'))
    call_command("tm", "import", str(path), "--source", "en", "--target", "fr")
    out = capsys.readouterr().out
    assert "imported 0 units" in out
    assert "refused 1 unit whose target has inline codes its source lacks (line 2)" in out
