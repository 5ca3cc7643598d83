"""A very long segment goes in one request and comes back whole, its tags kept."""

from __future__ import annotations

import re
from itertools import cycle

from iris.docx.text.tags import validate_tags
from tests.engine_contract.harness import SENTENCES, Contract

LONG_SENTENCES = (
    *SENTENCES,
    "The manager wrote a short letter to the new customers.",
    "Every morning the workers open the windows of the building.",
    "The price of the tickets will change in the summer.",
    "She reads the newspaper while the children play in the park.",
)


def long_segment(size: int = 3500) -> str:
    """Varied numbered sentences, with tags at its start, middle and end."""
    parts = ["<g1>Summary</g1> of the year. "]
    for number, sentence in enumerate(cycle(LONG_SENTENCES), start=1):
        if sum(len(part) for part in parts) >= size:
            break
        middle = "<x2/>" if number == 20 else ""
        parts.append(f"Point {number}: {middle}{sentence} ")
    parts.append("The <g3>end</g3>.")
    return "".join(parts)


def test_a_long_segment_is_translated_whole_in_one_request(contract: Contract) -> None:
    source = long_segment()
    assert len(source) >= 3500
    result = contract.translate(contract.request(source))
    target = result.targets["s0"]
    assert contract.sent() == [[source]]
    assert validate_tags(source, target) == [], target
    assert target != source
    # nothing cut off: every numbered point came back, in order
    assert re.findall(r"\d+", target) == re.findall(r"\d+", source)
    assert not result.flags
