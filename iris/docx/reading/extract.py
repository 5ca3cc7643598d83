"""Reading a package into paragraph entries and value entries, ready for units and apply.

`extract` normalises every story paragraph in place (see `iris.docx.reading.normalise`) and builds
its `ParagraphModel`; `segment` then splits the models into units. Paragraphs of an
``mc:Fallback`` whose tagged text equals the matching ``mc:Choice`` paragraph share the
Choice paragraph's units: they are translated once and written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from iris.docx.model import Policy, Unit, UnitKind
from iris.docx.opc.package import Package
from iris.docx.reading.data_binding import Binding
from iris.docx.reading.inline import WordParagraphReader
from iris.docx.reading.normalise import SimpleRuns, accept_revisions, normalise_paragraph
from iris.docx.reading.outline import Outline
from iris.docx.reading.paramodel import ParagraphModel
from iris.docx.reading.stories import (
    StoryParagraph,
    StoryPart,
    alternate_pairs,
    story_paragraphs,
    story_parts,
)
from iris.docx.reading.wordml import vocabulary
from iris.docx.stages import stage
from iris.docx.text.protect import protected_spans
from iris.docx.text.tags import plain_text
from iris.docx.text.units import paragraph_units
from iris.docx.verification.policy_changes import PolicyChanges
from iris.docx.writing.dialects import WordDialect
from iris.docx.writing.reassemble import Dialect


@dataclass(eq=False, slots=True)
class ParagraphEntry:
    """A paragraph with its model, units and the dialect that rebuilds it."""

    part: str
    unit_prefix: str
    kind: UnitKind
    location: str
    model: ParagraphModel
    dialect: Dialect
    drawing: bool = False
    units: list[Unit] = field(default_factory=list)
    master: ParagraphEntry | None = None
    heading_level: int | None = None

    def source_units(self) -> list[Unit]:
        """Units whose targets this paragraph receives (its master's for an alias)."""
        return self.master.units if self.master is not None else self.units


@dataclass(eq=False)
class ValueEntry:
    """A plain-text value (chart label, document property, attribute text) and where it
    is written: the element's text, or its ``attribute`` when one is named (see
    `iris.docx.reading.attributes`). ``max_length`` cuts a translation to what the schema
    allows for the value.
    """

    unit: Unit
    element: etree._Element
    attribute: str | None = None
    max_length: int | None = None

    def target_text(self, tagged: str) -> str:
        """The value for a unit's tagged target (see `iris.docx.text.units.unit_target`);
        a value whose unit carries tags (`iris.docx.reading.numbering`) reads them itself."""
        return plain_text(tagged)

    def write(self, text: str) -> None:
        """Put ``text`` (plain, unescaped: lxml escapes it) where the value lives."""
        if self.max_length is not None:
            text = text[: self.max_length]
        if self.attribute is None:
            self.element.text = text
        else:
            self.element.set(self.attribute, text)


@dataclass(eq=False)
class Extraction:
    """Everything read from one package."""

    package: Package
    paragraphs: list[ParagraphEntry] = field(default_factory=list)
    values: list[ValueEntry] = field(default_factory=list)
    story_parts: list[str] = field(default_factory=list)
    drawing_parts: list[str] = field(default_factory=list)
    chart_parts: list[str] = field(default_factory=list)
    core_part: str | None = None
    field_types: set[str] = field(default_factory=set)
    changes: PolicyChanges = field(default_factory=PolicyChanges)
    bindings: list[Binding] = field(default_factory=list)

    def units(self) -> list[Unit]:
        """All units in document order: story paragraphs, then drawings, then values."""
        found = [unit for entry in self.paragraphs for unit in entry.units]
        return found + [value.unit for value in self.values]


def normalise_stories(
    package: Package,
    policy: Policy,
    runs: SimpleRuns | None = None,
    changes: PolicyChanges | None = None,
) -> list[tuple[StoryPart, list[StoryParagraph]]]:
    """Normalise every story paragraph of ``package`` in place; return them per part.

    ``runs`` receives what normalisation learnt about simple runs (`SimpleRuns`),
    ``changes`` what the policy accepts or leaves out (`PolicyChanges.count_story`).
    """
    stories = []
    for story in story_parts(package, policy):
        vocab = vocabulary(story.names)
        if changes is not None:
            changes.count_story(story.root, vocab, policy, story.excluded)
        if policy.revisions == "accept":
            accept_revisions(story.root, vocab)
        paragraphs = list(story_paragraphs(story))
        for paragraph in paragraphs:
            normalise_paragraph(paragraph.element, vocab, runs)
        stories.append((story, paragraphs))
    return stories


def extract(package: Package, policy: Policy) -> Extraction:
    """Normalise and read every story of ``package`` into paragraph models.

    Units are not made here: `segment` adds them, so that a caller that needs only the
    models (`iris.docx.verification.compare`) does not pay for sentence segmentation.
    """
    extraction = Extraction(package)
    outline = Outline(package)
    runs: SimpleRuns = {}
    with stage("normalise"):
        stories = normalise_stories(package, policy, runs, extraction.changes)
    with stage("read"):
        for story, paragraphs in stories:
            extraction.story_parts.append(story.name)
            _read_story(extraction, story, paragraphs, policy, outline, runs)
    return extraction


def segment(extraction: Extraction, source_lang: str) -> None:
    """Give every paragraph that is not an alias its sentence units."""
    for entry in extraction.paragraphs:
        if entry.master is None:
            entry.units = paragraph_units(
                entry.unit_prefix,
                entry.part,
                entry.model,
                entry.kind,
                entry.location,
                source_lang,
                heading_level=entry.heading_level,
            )


def paragraph_prefix(part: str, index: int) -> str:
    """Unit id prefix of the ``index``-th ``w:p`` of a story part (``word/document.xml#p3``)."""
    return f"{part}#p{index}"


def _read_story(
    extraction: Extraction,
    story: StoryPart,
    paragraphs: list[StoryParagraph],
    policy: Policy,
    outline: Outline,
    runs: SimpleRuns,
) -> None:
    reader = WordParagraphReader(
        vocabulary(story.names), policy, protected_spans, runs, story.excluded.character
    )
    dialect = WordDialect(story.names)
    entries: dict[etree._Element, ParagraphEntry] = {}
    for paragraph in paragraphs:
        model = reader.read(paragraph.element)
        if not model.has_text:
            continue
        entry = ParagraphEntry(
            story.name,
            paragraph_prefix(story.name, paragraph.index),
            paragraph.kind,
            paragraph.location,
            model,
            dialect,
            heading_level=outline.level(paragraph.element),
        )
        entries[paragraph.element] = entry
        extraction.paragraphs.append(entry)
    extraction.field_types |= reader.field_types
    _link_alternates(story, entries)


def _link_alternates(story: StoryPart, entries: dict[etree._Element, ParagraphEntry]) -> None:
    for choice, fallback in alternate_pairs(story.root, story.names):
        if len(choice) != len(fallback):
            continue
        for first, second in zip(choice, fallback, strict=True):
            master, copy = entries.get(first), entries.get(second)
            if master is None or copy is None or not same_structure(master.model, copy.model):
                continue
            copy.master = master.master or master


def same_structure(first: ParagraphModel, second: ParagraphModel) -> bool:
    """True when two paragraphs have the same tagged text and tag descriptions."""
    return first.tagged == second.tagged and first.descriptions == second.descriptions
