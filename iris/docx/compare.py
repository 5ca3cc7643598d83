"""Structural fidelity of a translated document against its source.

`compare` counts, per story part, what translation must never change: paragraphs,
tables, rows, cells, sections, images and drawings, text boxes, content controls,
fields, footnote/endnote/comment references, bookmarks, hyperlinks, tabs and breaks;
it checks that both packages hold the same parts, and that every paragraph keeps its
text and its inline codes (the multiset of its standalone tag descriptions). Any change
there is a *difference*: the document lost structure, and ``clean`` is False.

Formatting is reported separately, as *formatting notes*: a paragraph whose number of
formatting stretches changed (see `paragraph_signatures`; an engine may merge or drop a
bold span), or a hyperlink split in two because an engine moved its tags across a
sentence boundary. They do not make a report unclean; ``exact`` requires neither.

The source is counted after the documented normalisation (so accepted revisions are not
reported as losses), and formatting is compared without the properties the target
typography sets (``w:lang``, ``w:rtl``, complex-script twins, East Asian font slots).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from iris.docx.document import load
from iris.docx.extract import Extraction
from iris.docx.model import Policy
from iris.docx.names import local_name
from iris.docx.paramodel import Span
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


# Counts that may grow without loss: a hyperlink split by moved tags becomes two.
_MAY_GROW = frozenset({"hyperlinks"})


@dataclass
class FidelityReport:
    """Result of `compare`: ``clean`` when no structural difference was found."""

    differences: list[str] = field(default_factory=list)
    formatting: list[str] = field(default_factory=list)
    source_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    target_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    paragraphs_compared: int = 0

    @property
    def clean(self) -> bool:
        """True when the target keeps the source's structure (formatting notes allowed)."""
        return not self.differences

    @property
    def exact(self) -> bool:
        """True when the target also keeps every formatting stretch and hyperlink."""
        return not self.differences and not self.formatting

    def summary(self) -> str:
        """One line: clean, or the number of differences and the first one."""
        notes = f"; {len(self.formatting)} formatting note(s)" if self.formatting else ""
        if self.clean:
            return f"clean ({self.paragraphs_compared} paragraphs compared{notes})"
        return f"{len(self.differences)} difference(s){notes}; first: {self.differences[0]}"


def compare(source: bytes, target: bytes, *, policy: Policy | None = None) -> FidelityReport:
    """Compare the structure of a translated document with its source."""
    chosen = policy or Policy()
    with typography_blind():
        before = load(source, "en", chosen, None)
        after = load(target, "en", chosen, None)
    report = FidelityReport()
    _compare_parts(report, before, after)
    _compare_counts(report, before, after)
    _compare_paragraphs(report, paragraph_signatures(before), paragraph_signatures(after))
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
            if was == now:
                continue
            found = report.formatting if label in _MAY_GROW and now > was else report.differences
            found.append(f"{part}: {label} {was} → {now}")


Signature = tuple[int, tuple[str, ...]]


def paragraph_signatures(extraction: Extraction) -> dict[str, Signature]:
    """Per paragraph: its number of formatting stretches and the sorted inline codes.

    A stretch is a maximal piece of text under the same set of paired tags; their number
    does not depend on which formatting is the untagged base, so it survives a change of
    the dominant formatting in translation. Codes include the untagged ones at the
    paragraph's edges, each code of a merged placeholder ("footnote-ref+image") counted
    on its own, so moving a code to the edge is not a loss.
    """
    signatures: dict[str, Signature] = {}
    for entry in extraction.paragraphs:
        model = entry.model
        codes = [
            part
            for number, node in model.tags.items()
            if not isinstance(node, Span)
            for part in model.descriptions[number].split("+")
        ]
        edges = model.prefix + model.suffix + [e for f in model.frames for e in f.prefix + f.suffix]
        codes += [part for edge in edges for part in edge.desc.split("+")]
        signatures[entry.unit_prefix] = (_stretches(model.tagged), tuple(sorted(codes)))
    for value in extraction.values:
        signatures[value.unit.id] = (1, ())
    return signatures


def _stretches(tagged: str) -> int:
    count, context, open_tags = 0, None, set()
    for token in tokenize(tagged):
        if token.kind == "open" and token.id is not None:
            open_tags.add(token.id)
        elif token.kind == "close" and token.id is not None:
            open_tags.discard(token.id)
        elif token.kind == "text" and token.text:
            current = frozenset(open_tags)
            if current != context:
                context, count = current, count + 1
    return count


def _compare_paragraphs(
    report: FidelityReport, old: dict[str, Signature], new: dict[str, Signature]
) -> None:
    report.paragraphs_compared = len(old)
    for paragraph, (pairs, codes) in old.items():
        found = new.get(paragraph)
        if found is None:
            report.differences.append(f"{paragraph}: paragraph text is gone")
            continue
        if found[1] != codes:
            report.differences.append(f"{paragraph}: inline codes {codes} → {found[1]}")
        if found[0] != pairs:
            report.formatting.append(f"{paragraph}: formatting stretches {pairs} → {found[0]}")
    for paragraph in sorted(new.keys() - old.keys()):
        report.differences.append(f"{paragraph}: paragraph text appeared")
