"""CAT-style analysis: a document's words and segments by translation memory band.

Bands, as translation vendors quote them: context match (101 %), 100 %, 95–99 %,
85–94 %, 75–84 %, 50–74 %, repetitions (a segment whose source already occurred
earlier in the document, counted once translated), no match. A segment is counted in
one band: a repetition's own memory score is not counted again. Scores come from the
memory's best match of any status (candidate or promoted), as CAT tools analyse
against the whole memory; only promoted units are applied without the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from iris.memory.scoring import FORMULA

BANDS: tuple[tuple[str, str], ...] = (
    ("context", "context match (101 %)"),
    ("100", "100 %"),
    ("95-99", "95–99 %"),
    ("85-94", "85–94 %"),
    ("75-84", "75–84 %"),
    ("50-74", "50–74 %"),
    ("repetitions", "repetitions"),
    ("no_match", "no match"),
)
_LOWER_BOUNDS = ((101, "context"), (100, "100"), (95, "95-99"), (85, "85-94"), (75, "75-84"))


def band(score: int | None) -> str:
    if score is None or score < 50:
        return "no_match"
    return next((name for bound, name in _LOWER_BOUNDS if score >= bound), "50-74")


@dataclass
class Analysis:
    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(dict(BANDS), 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(dict(BANDS), 0))

    def add(self, score: int | None, words: int, repetition: bool) -> None:
        name = "repetitions" if repetition else band(score)
        self.segments[name] += 1
        self.words[name] += words

    def as_dict(self) -> dict[str, Any]:
        return {
            "formula": FORMULA,
            "bands": [
                {
                    "band": name,
                    "label": label,
                    "segments": self.segments[name],
                    "words": self.words[name],
                }
                for name, label in BANDS
            ],
            "segments": sum(self.segments.values()),
            "words": sum(self.words.values()),
        }


def analyse(rows: Iterable[tuple[int | None, int, bool]]) -> Analysis:
    """An analysis of ``(best score, words, is a repetition)`` per translatable segment."""
    found = Analysis()
    for score, words, repetition in rows:
        found.add(score, words, repetition)
    return found


def render(analysis: dict[str, Any]) -> list[str]:
    """The analysis as lines of a terminal table."""
    lines = [f"{'band':<22}{'segments':>10}{'words':>10}"]
    total_words = analysis["words"] or 1
    for row in analysis["bands"]:
        share = 100 * row["words"] / total_words
        lines.append(f"{row['label']:<22}{row['segments']:>10,}{row['words']:>10,}  {share:5.1f} %")
    lines.append(f"{'total':<22}{analysis['segments']:>10,}{analysis['words']:>10,}")
    return lines
