"""Inline tags come back through the engine's real output: each exactly once, in order."""

from __future__ import annotations

from iris.docx.text.tags import validate_tags
from tests.engine_contract.harness import Contract

TAGGED = (
    "The <g1>quarterly</g1> report is ready for our customers. ",
    "Welcome to the <g1>annual <g2>general</g2> meeting</g1> of our members.",
    "<x1/>The house is <g2>big</g2>.<x3/>",
    "Total 1250 units<x2/> were delivered in 2024.",
    "Call &amp; see <g3>our <g4>new</g4></g3> offices today.",
)


def test_tags_and_escapes_are_kept_in_real_translations(contract: Contract) -> None:
    result = contract.translate(contract.request(*TAGGED))
    for key, source in enumerate(TAGGED):
        target = result.targets[f"s{key}"]
        assert validate_tags(source, target) == [], (source, target)
        assert target != source
    assert "&amp;" in result.targets["s4"]
    assert result.targets["s0"].endswith(" ")  # the space joining it to the next sentence
    assert not result.flags
