"""Structural fidelity of a translated document against its source.

`compare` counts, per story part, what translation must never change: paragraphs,
tables, rows, cells, sections, images and drawings, text boxes, content controls,
fields, footnote/endnote/comment references, bookmarks, hyperlinks, tabs and breaks;
it checks that both packages hold the same parts, and that every paragraph keeps its
text and its inline codes (the multiset of its standalone tag descriptions). Any change
there is a *difference*: the document lost structure, and ``clean`` is False.

Formatting is reported separately, as *formatting notes*: a paragraph whose number of
formatting stretches changed (see `model_signature`; an engine may merge or drop a
bold span), or a hyperlink split in two because an engine moved its tags across a
sentence boundary. They do not make a report unclean; ``exact`` requires neither.

The source is counted after the documented normalisation (so accepted revisions are not
reported as losses), and formatting is compared without the properties the target
typography sets (``w:lang``, ``w:rtl``, complex-script twins, East Asian font slots).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from iris.docx.model import Policy
from iris.docx.opc.names import local_name
from iris.docx.opc.package import Limits, Package, open_package
from iris.docx.reading.attributes import extract_attribute_texts
from iris.docx.reading.drawing_parts import extract_drawings, extract_properties
from iris.docx.reading.extract import Extraction, normalise_stories, paragraph_prefix
from iris.docx.reading.inline import WordParagraphReader
from iris.docx.reading.normalise import SimpleRuns
from iris.docx.reading.outline import Outline
from iris.docx.reading.paramodel import Node, ParagraphModel, Span, TextPiece, code_description
from iris.docx.reading.rprops import typography_blind
from iris.docx.reading.wordml import vocabulary
from iris.docx.text.protect import protected_spans

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


# Every namespace: a DrawingML a:p or a:tab inside a drawing counts like a w:p or w:tab.
_COUNTED_TAGS = tuple(f"{{*}}{local}" for local in COUNTED)

# Counts that may grow without loss: a hyperlink split by moved tags becomes two.
_MAY_GROW = frozenset({"hyperlinks"})

# A paragraph's number of formatting stretches and its sorted inline codes.
Signature = tuple[int, tuple[str, ...]]


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


def compare(
    source: bytes,
    target: bytes,
    *,
    policy: Policy | None = None,
    target_limits: Limits | None = None,
) -> FidelityReport:
    """Compare the structure of a translated document with its source.

    ``target_limits`` opens the target under other limits than the source: Iris's own
    output needs ``Limits(huge_text=True)``, its text having grown in translation.
    """
    chosen = policy or Policy()
    with typography_blind():
        before = _profile(source, chosen)
        after = _profile(target, chosen, target_limits)
    report = FidelityReport()
    _compare_parts(report, before.parts, after.parts)
    _compare_counts(report, before.counts, after.counts)
    _compare_paragraphs(report, before.signatures, after.signatures)
    return report


@dataclass
class _Profile:
    """What `compare` needs of one package: its part names, counts and signatures."""

    parts: list[str]
    counts: dict[str, dict[str, int]]
    signatures: dict[str, Signature]


def _profile(data: bytes, policy: Policy, limits: Limits | None = None) -> _Profile:
    """Read a package as `open_document` does, keeping only what `compare` needs.

    Story paragraphs are normalised and read like `iris.docx.reading.extract.extract` reads
    them, but each model is reduced to its signature at once and never tagged or
    segmented; chart, SmartArt and property text goes through the extraction code.
    """
    package = open_package(data, limits=limits, allow_macros=policy.allow_macros)
    # open_document reads the styles (for heading levels); reading them here too keeps a
    # damaged styles part an error, like a damage in any part open_document reads.
    Outline(package)
    extraction = Extraction(package)
    signatures = _story_signatures(package, policy, extraction)
    extract_drawings(extraction)
    extract_properties(extraction, policy)
    extract_attribute_texts(extraction, policy)
    signatures.update(paragraph_signatures(extraction))
    return _Profile(list(package.names), count_structure(extraction), signatures)


def _story_signatures(
    package: Package, policy: Policy, extraction: Extraction
) -> dict[str, Signature]:
    """Signatures of the story paragraphs that hold text; the stories are listed in
    ``extraction.story_parts``."""
    signatures: dict[str, Signature] = {}
    runs: SimpleRuns = {}
    for story, paragraphs in normalise_stories(package, policy, runs):
        extraction.story_parts.append(story.name)
        reader = WordParagraphReader(vocabulary(story.names), policy, protected_spans, runs)
        for paragraph in paragraphs:
            signature = model_signature(reader.shape(paragraph.element))
            if signature is not None:
                signatures[paragraph_prefix(story.name, paragraph.index)] = signature
    return signatures


def _compare_parts(report: FidelityReport, before: list[str], after: list[str]) -> None:
    old, new = set(before), set(after)
    for name in sorted(old - new):
        report.differences.append(f"part {name} is missing from the translation")
    for name in sorted(new - old):
        report.differences.append(f"part {name} was added by the translation")


def count_structure(extraction: Extraction) -> dict[str, dict[str, int]]:
    """Per story part, the number of each counted structure."""
    counts: dict[str, dict[str, int]] = {}
    for name in extraction.story_parts:
        # lxml filters the tags in C; Python sees only the counted elements.
        tags = Counter(element.tag for element in extraction.package.xml(name).iter(*_COUNTED_TAGS))
        tally: Counter[str] = Counter()
        for tag, number in tags.items():
            tally[COUNTED[local_name(tag)]] += number
        counts[name] = dict(tally)
    return counts


def _compare_counts(
    report: FidelityReport, before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]
) -> None:
    report.source_counts, report.target_counts = before, after
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


def paragraph_signatures(extraction: Extraction) -> dict[str, Signature]:
    """The signature (see `model_signature`) of every paragraph and value of an extraction."""
    signatures: dict[str, Signature] = {}
    for entry in extraction.paragraphs:
        signature = model_signature(entry.model)
        if signature is not None:  # always: an entry is a paragraph with text
            signatures[entry.unit_prefix] = signature
    for value in extraction.values:
        signatures[value.unit.id] = (1, ())
    return signatures


def model_signature(model: ParagraphModel) -> Signature | None:
    """A paragraph's number of formatting stretches and its sorted inline codes; None
    when it holds no text (it has no units then, and nothing to compare).

    A stretch is a maximal piece of text under the same set of paired tags; their number
    does not depend on which formatting is the untagged base, so it survives a change of
    the dominant formatting in translation. Codes include the untagged ones at the
    paragraph's edges, each code of a merged placeholder ("footnote-ref+image") counted
    on its own, so moving a code to the edge is not a loss. Works on the nodes, so an
    untagged model (`iris.docx.reading.paramodel.shape_model`) gives the same signature.
    """
    walk = _SignatureWalk()
    walk.visit(model.body, model)
    if not walk.has_text:
        return None
    edges = model.prefix + model.suffix + [e for f in model.frames for e in f.prefix + f.suffix]
    codes = walk.codes + [part for edge in edges for part in edge.desc.split("+")]
    return walk.stretches, tuple(sorted(codes))


class _SignatureWalk:
    """Visits the nodes the way `iris.docx.reading.paramodel.assign_tags` writes them: text,
    paired tags (spans) and standalone tags (everything else)."""

    def __init__(self) -> None:
        self.stretches = 0
        self.has_text = False
        self.codes: list[str] = []
        # The innermost span around the previous text (or the model at the top level):
        # it identifies the set of paired tags open there.
        self.context: object = None

    def visit(self, nodes: list[Node], scope: object) -> None:
        for node in nodes:
            if isinstance(node, TextPiece):
                if node.text and scope is not self.context:
                    self.context, self.stretches = scope, self.stretches + 1
                if not self.has_text and node.text.strip():
                    self.has_text = True
            elif isinstance(node, Span):
                self.visit(node.children, node)
            else:
                self.codes.extend(code_description(node).split("+"))


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
