"""Shared checks for the tests of attribute texts and document properties: the identity
round trip and a pseudo-translation read back through the library."""

from __future__ import annotations

from iris.docx import Policy, UnitKind, compare, open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import identity_differences
from tests.docx.conftest import corpus_dir, require_corpus


def corpus_file(name: str) -> bytes:
    """The bytes of one corpus document (fails when the corpus is missing)."""
    path = corpus_dir() / name
    return require_corpus(path if path.is_file() else None).read_bytes()


def pseudo_round_trip(
    data: bytes, kinds: set[UnitKind], policy: Policy | None = None
) -> dict[str, tuple[str, str]]:
    """Pseudo-translate ``data`` and read the output back: for each translatable unit
    of ``kinds``, its source plain text and the plain text found at the same id.

    Also asserts what every such round trip must keep: the identity round trip is
    exact and `compare` finds no difference.
    """
    chosen = policy or Policy()
    assert identity_differences(data, chosen) == []
    document = open_document(data, policy=chosen)
    units = [unit for unit in document.units() if unit.kind in kinds and unit.translatable]
    output = document.apply(pseudo_targets(document.units()), "de")
    after = {unit.id: unit.plain for unit in open_document(output, policy=chosen).units()}
    report = compare(data, output, policy=chosen)
    assert report.differences == [], report.differences
    return {unit.id: (unit.plain, after.get(unit.id, "")) for unit in units}


def assert_all_translated(pairs: dict[str, tuple[str, str]]) -> None:
    """Every unit's text changed in the output and is not empty."""
    assert pairs
    left = {uid: texts for uid, texts in pairs.items() if not texts[1] or texts[0] == texts[1]}
    assert left == {}
