"""Tags and segmentation on every unit of the real corpus.

For each unit: its source validates against itself; three engine-style damages (all tags
dropped, tags moved to the end in reverse order, tags moved to the front with the text
reversed) are repaired into valid targets carrying every source tag exactly once; and
segmenting a unit again does not split it further (units already are sentences; a
value unit, such as a picture's description or a document property, is a whole value).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iris.docx import VALUE_KINDS, open_document
from iris.docx.text.segment import split_tagged
from iris.docx.text.tags import escape_text, plain_text, repair_tags, validate_tags
from tests.docx.conftest import corpus_params, require_corpus

TAG_RE = re.compile(r"</?g\d+>|<x\d+/>")


def damaged(source: str) -> list[str]:
    tags = TAG_RE.findall(source)
    text = plain_text(source)
    return [
        escape_text(text),
        escape_text(text) + "".join(reversed(tags)),
        "".join(tags) + escape_text(text[::-1]),
    ]


@pytest.mark.parametrize("path", corpus_params())
def test_every_unit_survives_damage_and_resegmentation(path: Path | None) -> None:
    document = open_document(require_corpus(path).read_bytes())
    for unit in document.units():
        assert validate_tags(unit.source, unit.source) == [], unit.id
        expected = sorted(TAG_RE.findall(unit.source))
        for target in damaged(unit.source):
            repaired = repair_tags(unit.source, target)
            assert validate_tags(unit.source, repaired) == [], (unit.id, target)
            assert sorted(TAG_RE.findall(repaired)) == expected, (unit.id, target)
        if unit.kind not in VALUE_KINDS:
            assert split_tagged(unit.source, "en") == [unit.source], unit.id
