"""Public data types of the document library: units, their kinds, the extraction policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class UnitKind(StrEnum):
    """Where a unit's text lives; the innermost container wins (a text box in a table
    cell is a ``textbox`` unit)."""

    BODY = "body"
    TABLE_CELL = "table_cell"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    COMMENT = "comment"
    TEXTBOX = "textbox"
    CONTENT_CONTROL = "content_control"
    GLOSSARY = "glossary"
    SMARTART = "smartart"
    CHART = "chart"
    PROPERTY = "property"
    NUMBERING = "numbering"


@dataclass(frozen=True)
class Unit:
    """One translatable segment (usually a sentence) of a document.

    ``id`` is stable for the same input document: ``<part>#p<paragraph>.s<sentence>`` for
    WordprocessingML paragraphs, ``<part>#a<paragraph>.s<sentence>`` for DrawingML ones,
    ``<part>#v<index>`` for chart labels and ``docProps/core.xml#<property>``.
    ``source`` is tagged text (see `iris.docx.tags`); ``plain`` is the text a reader sees
    (tags removed, protected placeholders such as ``{{ name }}`` kept, tabs and breaks
    omitted); ``words`` counts the words an engine will translate (placeholders
    excluded); ``tags`` maps each tag number in ``source`` to a short description;
    ``heading_level`` is the outline level of a heading paragraph's units (0 =
    outermost, see `iris.docx.outline`), None for body text.
    """

    id: str
    part: str
    location: str
    kind: UnitKind
    source: str
    plain: str
    words: int
    translatable: bool
    tags: Mapping[int, str] = field(default_factory=dict)
    heading_level: int | None = None


@dataclass(frozen=True)
class Policy:
    """What to extract and how to treat revisions.

    * ``revisions="accept"`` (default): run-level tracked changes are accepted, as Word's
      "Accept All" would: text inside ``w:del``/``w:moveFrom`` is removed (never
      extracted, never translated as live text), ``w:ins``/``w:moveTo`` content becomes
      ordinary text. Revision marks on paragraph marks, table rows and properties carry
      no text and are kept as they are.
    * ``revisions="keep"``: deletions stay in place untranslated (one placeholder each),
      insertions stay tracked and their text is translated inside the ``w:ins`` wrapper.
    * ``comments``: extract the comments part. ``hidden``: extract hidden (``w:vanish``)
      text; when False hidden runs are kept untranslated as placeholders.
    * ``allow_macros``: accept .docm packages (the macros are kept untouched).
    * ``excluded_styles``: paragraph and character styles never extracted, matched
      case-insensitively by style id or by style name (``Code``, ``HTML Preformatted``,
      ``NoTranslate``). A style based on (``w:basedOn``) an excluded style is excluded
      too. A paragraph in an excluded style is left untouched; a run in an excluded
      character style stays untranslated as a placeholder inside its paragraph.
    * ``numbering_labels``: extract the words of numbering labels (``w:lvlText`` such as
      ``Article %1.``), once per numbering definition level; the ``%N`` level numbers
      are protected. On by default: the label is printed before every numbered
      paragraph, and a translated document with "Chapter 3" headings left in the
      source language is what a reader notices first.
    """

    revisions: Literal["accept", "keep"] = "accept"
    comments: bool = True
    hidden: bool = True
    allow_macros: bool = False
    excluded_styles: frozenset[str] = frozenset()
    numbering_labels: bool = True
