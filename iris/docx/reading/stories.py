"""Story parts of a package and the paragraphs in them, with their kind and location.

Parts are found through relationships of the main document part (never by file name):
headers and footers (every variant), footnotes and endnotes, comments (by policy) and
the glossary document (building-block placeholders). Notes of a special ``w:type``
(separator, continuation separator, continuation notice) are read only when their text
holds a letter, since Word prints that text ("(continued on next page)"); one made of
the separator mark or of dashes is left untouched. Every ``w:p`` of a part is a
paragraph, including those nested in text boxes (``w:txbxContent``, Strict
``wne:txbxContent``), content controls and tables, except a paragraph in a style the
policy excludes (`iris.docx.reading.style_exclusion`) and every paragraph nested in it: those
are left exactly as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from iris.docx.model import Policy, UnitKind
from iris.docx.opc.names import (
    MC_ALTERNATE,
    MC_CHOICE,
    MC_FALLBACK,
    WNE_TXBX,
    WORD_NAMESPACES,
    WordNames,
    namespace_of,
    word_names_for,
)
from iris.docx.opc.package import Package
from iris.docx.reading.style_exclusion import ExcludedStyles, excluded_styles

_RELATED_STORIES = (
    ("header", UnitKind.HEADER),
    ("footer", UnitKind.FOOTER),
    ("footnotes", UnitKind.FOOTNOTE),
    ("endnotes", UnitKind.ENDNOTE),
    ("comments", UnitKind.COMMENT),
    ("glossaryDocument", UnitKind.GLOSSARY),
)
_SPECIAL_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_PART_LABELS = {
    UnitKind.BODY: "body",
    UnitKind.FOOTNOTE: "footnotes",
    UnitKind.ENDNOTE: "endnotes",
    UnitKind.COMMENT: "comments",
    UnitKind.GLOSSARY: "glossary",
}


@dataclass(frozen=True)
class StoryPart:
    """A WordprocessingML part whose paragraphs are translated."""

    name: str
    kind: UnitKind
    root: etree._Element
    names: WordNames
    excluded: ExcludedStyles = field(default_factory=ExcludedStyles)


def story_parts(package: Package, policy: Policy) -> list[StoryPart]:
    """The main part, then the related story parts, each once, in a stable order."""
    main = package.main_part
    excluded = excluded_styles(package, policy)
    found = [_story(package, main, UnitKind.BODY, excluded)]
    seen = {main}
    for suffix, kind in _RELATED_STORIES:
        if kind is UnitKind.COMMENT and not policy.comments:
            continue
        for name in package.related(main, suffix):
            if name not in seen:
                seen.add(name)
                found.append(_story(package, name, kind, excluded))
    return [story for story in found if namespace_of(story.root.tag) in WORD_NAMESPACES]


def _story(package: Package, name: str, kind: UnitKind, excluded: ExcludedStyles) -> StoryPart:
    root = package.xml(name)
    return StoryPart(name, kind, root, word_names_for(root.tag), excluded)


class StoryParagraph:
    """A paragraph of a story part: its index in the part, kind and readable location.

    Kind and location are worked out on first use: most callers need them only for the
    paragraphs that hold text, and a structural check needs them for none.
    """

    def __init__(self, index: int, element: etree._Element, classifier: _Classifier) -> None:
        self.index = index
        self.element = element
        self._classifier = classifier
        self._classified: tuple[UnitKind, str] | None = None

    @property
    def kind(self) -> UnitKind:
        """The unit kind of the paragraph's text (the innermost container wins)."""
        return self._classification()[0]

    @property
    def location(self) -> str:
        """Where the paragraph is, for people: ``body ¶3 (table 1, row 2, cell 1)``."""
        return self._classification()[1]

    def _classification(self) -> tuple[UnitKind, str]:
        if self._classified is None:
            self._classified = self._classifier.classify(self.element, self.index)
        return self._classified


class _Classifier:
    """Kinds and locations of one story part's paragraphs (table positions read once)."""

    def __init__(self, story: StoryPart) -> None:
        self.story = story
        self.label = _PART_LABELS.get(story.kind, story.name.rpartition("/")[2])
        self._tables: dict[etree._Element, str] | None = None

    def classify(self, paragraph: etree._Element, index: int) -> tuple[UnitKind, str]:
        if self._tables is None:
            self._tables = _table_positions(self.story.root, self.story.names)
        kind, where = _classify(paragraph, self.story, self._tables)
        return kind, f"{self.label} ¶{index + 1}" + (f" ({where})" if where else "")


def story_paragraphs(story: StoryPart) -> Iterator[StoryParagraph]:
    """Every translatable ``w:p`` of a story part, in document order.

    The index counts every ``w:p`` of the part (also skipped separator notes without
    text), so unit ids stay stable.
    """
    skipped = _special_note_paragraphs(story) | _excluded_paragraphs(story)
    classifier = _Classifier(story)
    for index, paragraph in enumerate(story.root.iter(story.names.p)):
        if paragraph not in skipped:
            yield StoryParagraph(index, paragraph, classifier)


def _special_note_paragraphs(story: StoryPart) -> set[etree._Element]:
    if story.kind not in (UnitKind.FOOTNOTE, UnitKind.ENDNOTE):
        return set()
    names = story.names
    type_attr = names.q("type")
    skipped: set[etree._Element] = set()
    for note in story.root:
        if note.get(type_attr) in _SPECIAL_NOTES and not _holds_text(note, names):
            skipped.update(note.iter(names.p))
    return skipped


def _excluded_paragraphs(story: StoryPart) -> set[etree._Element]:
    """Paragraphs in an excluded style, with the paragraphs nested in them (text boxes)."""
    excluded = story.excluded.paragraph
    if not excluded:
        return set()
    names = story.names
    skipped: set[etree._Element] = set()
    for style in story.root.iter(names.q("pStyle")):
        properties = style.getparent()
        paragraph = None if properties is None else properties.getparent()
        if paragraph is not None and paragraph.tag == names.p and _style_of(style) in excluded:
            skipped.update(paragraph.iter(names.p))
    return skipped


def _style_of(style: etree._Element) -> str:
    return style.get(f"{{{etree.QName(style).namespace}}}val") or ""


def _holds_text(note: etree._Element, names: WordNames) -> bool:
    """A letter in the note: a separator drawn with dashes has nothing to translate."""
    return any(c.isalpha() for text in note.iter(names.t) for c in text.text or "")


def _table_positions(root: etree._Element, names: WordNames) -> dict[etree._Element, str]:
    """Readable position ("table 2, row 3, cell 1") of every table cell."""
    positions: dict[etree._Element, str] = {}
    for table_number, table in enumerate(root.iter(names.tbl), start=1):
        for row_number, row in enumerate(table.iterchildren(names.tr), start=1):
            for cell_number, cell in enumerate(row.iterchildren(names.tc), start=1):
                positions[cell] = f"table {table_number}, row {row_number}, cell {cell_number}"
    return positions


def _classify(
    paragraph: etree._Element, story: StoryPart, tables: dict[etree._Element, str]
) -> tuple[UnitKind, str]:
    names = story.names
    kind: UnitKind | None = None
    details: list[str] = []
    element = paragraph.getparent()
    while element is not None:
        tag = element.tag
        if tag == names.txbxContent or tag == WNE_TXBX:
            kind = kind or UnitKind.TEXTBOX
            details.append("text box")
        elif tag == names.tc:
            kind = kind or UnitKind.TABLE_CELL
            details.append(tables.get(element, "table cell"))
        elif tag == names.sdtContent:
            kind = kind or UnitKind.CONTENT_CONTROL
        elif tag in (names.footnote, names.endnote, names.comment):
            details.append(f"{_PART_LABELS[story.kind][:-1]} {element.get(names.q('id'))}")
        element = element.getparent()
    return kind or story.kind, ", ".join(reversed(details))


def alternate_pairs(
    root: etree._Element, names: WordNames
) -> Iterator[tuple[list[etree._Element], list[etree._Element]]]:
    """Paragraph lists of the first Choice and the Fallback of each AlternateContent."""
    for alternate in root.iter(MC_ALTERNATE):
        choice = next(alternate.iterchildren(MC_CHOICE), None)
        fallback = next(alternate.iterchildren(MC_FALLBACK), None)
        if choice is None or fallback is None:
            continue
        yield list(choice.iter(names.p)), list(fallback.iter(names.p))
