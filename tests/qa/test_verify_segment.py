"""The initial QA checks on single segments: repair, tags, numbers, empty, untranslated."""

from __future__ import annotations

import pytest

from iris.jobs.models import Origin, QaStatus, Segment
from iris.jobs.steps.verification import verify_segment


def verified(source: str, target: str, origin: Origin = Origin.ENGINE) -> Segment:
    segment = Segment(source=source, target=target, origin=origin)
    verify_segment(segment)
    return segment


def checks(segment: Segment) -> list[str]:
    return [issue["check"] for issue in segment.qa_issues]


def test_a_good_translation_passes() -> None:
    segment = verified("Pay <g1>42</g1> euros.", "Payez <g1>42</g1> euros.")
    assert segment.qa_status == QaStatus.PASSED
    assert segment.qa_issues == []


def test_a_dropped_tag_is_restored_with_a_warning() -> None:
    segment = verified("Click <g1>Save</g1> now<x2/>.", "Cliquez sur Enregistrer maintenant.")
    assert "<g1>" in segment.target
    assert "</g1>" in segment.target
    assert "<x2/>" in segment.target
    assert segment.qa_status == QaStatus.WARNING
    assert checks(segment) == ["tags"]
    assert "repaired" in segment.qa_issues[0]["message"]


@pytest.mark.parametrize(
    ("target", "message"),
    [("Total 1 250 unités en 2025.", "numbers missing: 2024"), ("Total 1.250 unités.", "2024")],
)
def test_changed_numbers_warn(target: str, message: str) -> None:
    segment = verified("Total 1,250 units in 2024.", target)
    assert segment.qa_status == QaStatus.WARNING
    assert any(message in issue["message"] for issue in segment.qa_issues)


def test_grouping_separators_may_change() -> None:
    assert verified("Total 1,250.5 units.", "Total 1 250,5 unités.").qa_status == QaStatus.PASSED


def test_empty_translation_is_an_error() -> None:
    segment = verified("Hello world.", "")
    assert segment.qa_status == QaStatus.ERROR
    assert "empty" in checks(segment)


def test_untranslated_text_warns() -> None:
    segment = verified("Hello world.", "Hello world.")
    assert segment.qa_status == QaStatus.WARNING
    assert checks(segment) == ["untranslated"]


def test_untranslatable_segments_are_not_checked() -> None:
    segment = verified("2024", "2024", origin=Origin.NOT_TRANSLATABLE)
    assert segment.qa_status == QaStatus.PASSED
