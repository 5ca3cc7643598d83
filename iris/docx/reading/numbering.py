"""Words of numbering labels (``w:lvlText`` such as ``Article %1.``), by policy.

Word prints a level's ``w:lvlText`` before every paragraph numbered with that level,
replacing ``%1``..``%9`` by the current number of levels 1..9. The words around them
("Article", "Chapter", "Annex") are text a reader sees, so with
`Policy.numbering_labels` each label that holds a word becomes one `UnitKind.NUMBERING`
unit per numbering definition level (an ``w:abstractNum`` level, or a level a
``w:num`` overrides): a label is translated once, however many paragraphs it numbers.

The ``%N`` references are standalone tags (``Article <x1/>.``), which an engine cannot
change; writing back puts each one's reference in its place. A translation that brings
a reference of its own into the text (``%2`` typed by an engine) would renumber the
list, so the label then keeps its source. Bullet levels (``w:numFmt="bullet"``) hold a
symbol, never words, and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from iris.docx.model import Policy, Unit, UnitKind
from iris.docx.opc.names import WordNames, word_names_for
from iris.docx.reading.extract import Extraction, ValueEntry
from iris.docx.text.protect import is_translatable
from iris.docx.text.tag_syntax import tag_text
from iris.docx.text.tags import escape_text, tokenize
from iris.docx.text.units import count_words

_REFERENCE_RE = re.compile(r"%[1-9]")
LEVEL_NUMBER = "level-number"


@dataclass(eq=False)
class LabelEntry(ValueEntry):
    """A numbering label: ``unit`` holds the label with its references as tags."""

    references: dict[int, str] = field(default_factory=dict)

    def target_text(self, tagged: str) -> str:
        """The label for a tagged target (its tags repaired, see
        `iris.docx.text.units.unit_target`): tags back to their ``%N`` references; the source
        label when the target brings references of its own."""
        pieces: list[str] = []
        for token in tokenize(tagged):
            if token.id is None:
                if _REFERENCE_RE.search(token.text):
                    return self.unit.plain
                pieces.append(token.text)
            elif token.id in self.references:
                pieces.append(self.references[token.id])
        return "".join(pieces)


def extract_numbering_labels(extraction: Extraction, policy: Policy) -> None:
    """Add a `LabelEntry` for every numbering label that holds a word, by policy."""
    if not policy.numbering_labels:
        return
    package = extraction.package
    for part in package.related(package.main_part, "numbering")[:1]:
        root = package.xml(part)
        names = word_names_for(root.tag)
        for index, label in enumerate(root.iter(names.q("lvlText"))):
            entry = _label_entry(part, index, label, names)
            if entry is not None:
                extraction.values.append(entry)


def _label_entry(
    part: str, index: int, label: etree._Element, names: WordNames
) -> LabelEntry | None:
    text = label.get(names.q("val"))
    if not text or _is_bullet(label, names):
        return None
    words = _REFERENCE_RE.sub(" ", text)
    if not is_translatable(words):
        return None
    source, references = _tagged(text)
    unit = Unit(
        id=f"{part}#l{index}",
        part=part,
        location=_location(label, names),
        kind=UnitKind.NUMBERING,
        source=source,
        plain=text,
        words=count_words(words),
        translatable=True,
        tags=dict.fromkeys(references, LEVEL_NUMBER),
    )
    return LabelEntry(unit, label, names.q("val"), references=references)


def _tagged(text: str) -> tuple[str, dict[int, str]]:
    """``Article %1.`` -> (``Article <x1/>.``, {1: "%1"})."""
    pieces: list[str] = []
    references: dict[int, str] = {}
    position = 0
    for match in _REFERENCE_RE.finditer(text):
        pieces.append(escape_text(text[position : match.start()]))
        number = len(references) + 1
        references[number] = match.group()
        pieces.append(tag_text("standalone", number))
        position = match.end()
    pieces.append(escape_text(text[position:]))
    return "".join(pieces), references


def _is_bullet(label: etree._Element, names: WordNames) -> bool:
    level = label.getparent()
    found = None if level is None else level.find(names.q("numFmt"))
    return found is not None and found.get(names.q("val")) == "bullet"


def _location(label: etree._Element, names: WordNames) -> str:
    """``numbering list 3, level 2`` (an ``w:abstractNum``) or ``numbering 5, level 1``
    (a level a ``w:num`` overrides)."""
    level = label.getparent()
    ilvl = "" if level is None else level.get(names.q("ilvl"), "")
    depth = int(ilvl) + 1 if ilvl.isdigit() else "?"
    owner = None if level is None else level.getparent()
    while owner is not None and owner.tag not in (names.q("abstractNum"), names.q("num")):
        owner = owner.getparent()
    if owner is None:
        return f"numbering level {depth}"
    if owner.tag == names.q("abstractNum"):
        return f"numbering list {owner.get(names.q('abstractNumId'))}, level {depth}"
    return f"numbering {owner.get(names.q('numId'))}, level {depth}"
