"""Structural fidelity of a translated document against its source.

`compare` counts, per story part, what translation must never change: paragraphs,
tables, rows, cells, sections, images and drawings, text boxes, content controls,
fields, footnote/endnote/comment references, bookmarks, hyperlinks, tabs and breaks;
it checks that both packages hold the same parts, and that every paragraph keeps its
inline codes (the multiset of its standalone tag descriptions) and its number of
formatting stretches (see `paragraph_signatures`). The source is counted after the documented
normalisation (so accepted revisions are not reported as losses), and formatting is
compared without the properties the target typography sets (``w:lang``, ``w:rtl``,
complex-script twins, East Asian font slots).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from iris.docx.document import load
from iris.docx.extract import Extraction
from iris.docx.model import Policy, Unit
from iris.docx.names import local_name
from iris.docx.rprops import typography_blind
from iris.docx.tags import tokenize

COUNTED = {
    "p": "paragraphs",
    "tbl": "tables",
    "tr": "rows",
    "tc": "cells",
    "sectPr": "sections",
    "drawing": "drawings",
    "pict": "pictures",
    "object": "objects",
    "txbxContent": "text boxes",
    "sdt": "content controls",
    "fldSimple": "fields",
    "fldChar": "field characters",
    "instrText": "field codes",
    "footnoteReference": "footnote references",
    "endnoteReference": "endnote references",
    "commentReference": "comment references",
    "bookmarkStart": "bookmarks",
    "hyperlink": "hyperlinks",
    "tab": "tabs",
    "br": "breaks",
    "sym": "symbols",
    "oMath": "equations",
}


@dataclass
class FidelityReport:
    """Result of `compare`: ``clean`` when no structural difference was found."""

    differences: list[str] = field(default_factory=list)
    source_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    target_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    paragraphs_compared: int = 0

    @property
    def clean(self) -> bool:
        """True when the target keeps the source's structure."""
        return not self.differences

    def summary(self) -> str:
        """One line: clean, or the number of differences and the first one."""
        if self.clean:
            return f"clean ({self.paragraphs_compared} paragraphs compared)"
        return f"{len(self.differences)} difference(s); first: {self.differences[0]}"


def compare(source: bytes, target: bytes, *, policy: Policy | None = None) -> FidelityReport:
    """Compare the structure of a translated document with its source."""
    chosen = policy or Policy()
    with typography_blind():
        before = load(source, "en", chosen, None)
        after = load(target, "en", chosen, None)
    report = FidelityReport()
    _compare_parts(report, before, after)
    _compare_counts(report, before, after)
    _compare_paragraphs(report, before.units(), after.units())
    return report


def _compare_parts(report: FidelityReport, before: Extraction, after: Extraction) -> None:
    old, new = set(before.package.names), set(after.package.names)
    for name in sorted(old - new):
        report.differences.append(f"part {name} is missing from the translation")
    for name in sorted(new - old):
        report.differences.append(f"part {name} was added by the translation")


def count_structure(extraction: Extraction) -> dict[str, dict[str, int]]:
    """Per story part, the number of each counted structure."""
    counts: dict[str, dict[str, int]] = {}
    for name in extraction.story_parts:
        tally: Counter[str] = Counter()
        for element in extraction.package.xml(name).iter():
            label = COUNTED.get(local_name(element.tag))
            if label is not None:
                tally[label] += 1
        counts[name] = dict(tally)
    return counts


def _compare_counts(report: FidelityReport, before: Extraction, after: Extraction) -> None:
    report.source_counts = count_structure(before)
    report.target_counts = count_structure(after)
    for part, counts in report.source_counts.items():
        other = report.target_counts.get(part)
        if other is None:
            report.differences.append(f"story part {part} is not a story in the translation")
            continue
        for label in sorted(counts.keys() | other.keys()):
            was, now = counts.get(label, 0), other.get(label, 0)
            if was != now:
                report.differences.append(f"{part}: {label} {was} → {now}")


def paragraph_signatures(units: list[Unit]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Per paragraph (unit id without the sentence): formatting stretches, inline codes.

    A stretch is a maximal piece of text under the same set of paired tags; their number
    does not depend on which formatting is the untagged base, so it survives a change of
    the dominant formatting in translation.
    """
    stretches: dict[str, int] = {}
    contexts: dict[str, frozenset[int] | None] = {}
    codes: dict[str, list[str]] = {}
    for unit in units:
        paragraph = unit.id.rpartition(".s")[0] or unit.id
        found = codes.setdefault(paragraph, [])
        stretches.setdefault(paragraph, 0)
        open_tags: set[int] = set()
        for token in tokenize(unit.source):
            if token.kind == "standalone" and token.id is not None:
                found.append(unit.tags.get(token.id, "?"))
            elif token.kind == "open" and token.id is not None:
                open_tags.add(token.id)
            elif token.kind == "close" and token.id is not None:
                open_tags.discard(token.id)
            elif token.kind == "text" and token.text:
                context = frozenset(open_tags)
                if contexts.get(paragraph) != context:
                    contexts[paragraph] = context
                    stretches[paragraph] += 1
    return {p: (stretches[p], tuple(sorted(c))) for p, c in codes.items()}


def _compare_paragraphs(report: FidelityReport, before: list[Unit], after: list[Unit]) -> None:
    old, new = paragraph_signatures(before), paragraph_signatures(after)
    report.paragraphs_compared = len(old)
    for paragraph, (pairs, codes) in old.items():
        found = new.get(paragraph)
        if found is None:
            report.differences.append(f"{paragraph}: paragraph text is gone")
            continue
        if found[1] != codes:
            report.differences.append(f"{paragraph}: inline codes {codes} → {found[1]}")
        if found[0] != pairs:
            report.differences.append(f"{paragraph}: formatting stretches {pairs} → {found[0]}")
    for paragraph in sorted(new.keys() - old.keys()):
        report.differences.append(f"{paragraph}: paragraph text appeared")
