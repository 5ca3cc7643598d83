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
    ALT_TEXT = "alt_text"
    WATERMARK = "watermark"
    LIST_ITEM = "list_item"
    FORM_HELP = "form_help"


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
    * ``alt_text``: extract the alternative text and titles of pictures, shapes, charts
      and SmartArt (``wp:docPr``/``pic:cNvPr`` ``@descr``/``@title``, VML ``@alt`` and
      ``@title``) as ``alt_text`` units. On by default: screen readers read them aloud.
    * ``properties``: which document-property categories are extracted as ``property``
      units: ``"core"`` (title, subject, description/comments, keywords, category),
      ``"app"`` (company, manager), ``"custom"`` (the ``vt:lpwstr`` values of custom
      properties, never their names). Default core and app: their values are shown in
      File > Info and printed by DOCPROPERTY/TITLE fields. Custom properties are off by
      default because they often hold identifiers (document numbers, workflow states,
      DMS keys) that macros, templates and document-management systems read back and
      compare; translating them would break those lookups.
    * ``watermarks``: extract the text of WordArt and watermarks (VML
      ``v:textpath/@string``; a watermark is such a shape in a header) as ``watermark``
      units.
    * ``list_items``: extract the display text of the list items of dropdown and
      combo-box content controls (``w:listItem/@w:displayText``, never ``@w:value``) as
      ``list_item`` units. ``legacy_list_entries``: extract the entries of legacy
      dropdown form fields (``w:ddList/w:listEntry/@w:val``). Off by default: there the
      entry is also the field's value, which macros and form data read, so translating
      it changes the data, not only its display.
    * ``form_help``: extract the help and status-bar texts of legacy form fields
      (``w:ffData/w:helpText``, ``w:statusText`` ``@w:val``) as ``form_help`` units.
    """

    revisions: Literal["accept", "keep"] = "accept"
    comments: bool = True
    hidden: bool = True
    allow_macros: bool = False
    excluded_styles: frozenset[str] = frozenset()
    numbering_labels: bool = True
    alt_text: bool = True
    properties: frozenset[str] = frozenset({"core", "app"})
    watermarks: bool = True
    list_items: bool = True
    legacy_list_entries: bool = False
    form_help: bool = True
