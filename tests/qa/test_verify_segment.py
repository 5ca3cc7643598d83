"""The initial QA checks on single segments: repair, tags, numbers, empty, untranslated."""

from __future__ import annotations

import pytest

from iris.jobs.models import Origin, QaStatus
from iris.jobs.steps.verification import Verdict, verify


def verified(source: str, target: str, origin: Origin = Origin.ENGINE) -> Verdict:
    return verify(source, target, origin)


def checks(verdict: Verdict) -> list[str]:
    return [issue["check"] for issue in verdict.issues]


def test_a_good_translation_passes() -> None:
    verdict = verified("Pay <g1>42</g1> euros.", "Payez <g1>42</g1> euros.")
    assert verdict.status == QaStatus.PASSED
    assert verdict.issues == []


def test_a_dropped_tag_is_restored_with_a_warning() -> None:
    verdict = verified("Click <g1>Save</g1> now<x2/>.", "Cliquez sur Enregistrer maintenant.")
    assert "<g1>" in verdict.target
    assert "</g1>" in verdict.target
    assert "<x2/>" in verdict.target
    assert verdict.status == QaStatus.WARNING
    assert checks(verdict) == ["tags"]
    assert "repaired" in verdict.issues[0]["message"]


@pytest.mark.parametrize(
    ("target", "message"),
    [("Total 1 250 unités en 2025.", "numbers missing: 2024"), ("Total 1.250 unités.", "2024")],
)
def test_changed_numbers_warn(target: str, message: str) -> None:
    verdict = verified("Total 1,250 units in 2024.", target)
    assert verdict.status == QaStatus.WARNING
    assert any(message in issue["message"] for issue in verdict.issues)


def test_grouping_separators_may_change() -> None:
    assert verified("Total 1,250.5 units.", "Total 1 250,5 unités.").status == QaStatus.PASSED


def test_empty_translation_is_an_error() -> None:
    verdict = verified("Hello world.", "")
    assert verdict.status == QaStatus.ERROR
    assert "empty" in checks(verdict)


def test_untranslated_text_warns() -> None:
    verdict = verified("Hello world.", "Hello world.")
    assert verdict.status == QaStatus.WARNING
    assert checks(verdict) == ["untranslated"]


def test_untranslatable_segments_are_not_checked() -> None:
    verdict = verified("2024", "2024", origin=Origin.NOT_TRANSLATABLE)
    assert verdict.status == QaStatus.PASSED


@pytest.mark.parametrize(
    ("source", "target", "status"),
    [
        # digits of other scripts and full-width digits count by their value
        ("Room 42 is free.", "الغرفة ٤٢ متاحة.", QaStatus.PASSED),
        ("Room 42 is free.", "４２号室は空いています。", QaStatus.PASSED),
        ("Room ٤٢.", "Salle 42.", QaStatus.PASSED),
        # superscripts are digits after compatibility normalisation
        ("Area 10 m².", "Surface 10 m2.", QaStatus.PASSED),
        # a number appearing in a target whose source has none, in any script
        ("No numbers here.", "Pas de nombres ٣ ici.", QaStatus.WARNING),
        ("No numbers here.", "Aucun numéro ici.", QaStatus.PASSED),
    ],
)
def test_numbers_of_every_script(source: str, target: str, status: QaStatus) -> None:
    assert verified(source, target).status == status
