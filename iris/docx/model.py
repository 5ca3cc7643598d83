"""Public data types of the document library: units, their kinds, the extraction policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, get_args, get_origin, get_type_hints


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
    FIELD_TEXT = "field_text"


#: kinds whose unit is a whole value held in one place (an attribute, a property, a
#: numbering label, a field argument): never split into sentences, written back whole
VALUE_KINDS = frozenset(
    {
        UnitKind.PROPERTY,
        UnitKind.NUMBERING,
        UnitKind.ALT_TEXT,
        UnitKind.WATERMARK,
        UnitKind.LIST_ITEM,
        UnitKind.FORM_HELP,
        UnitKind.FIELD_TEXT,
    }
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable segment (usually a sentence) of a document.

    ``id`` is stable for the same input document: ``<part>#p<paragraph>.s<sentence>`` for
    WordprocessingML paragraphs, ``<part>#a<paragraph>.s<sentence>`` for DrawingML ones,
    ``<part>#v<index>`` for chart labels and ``docProps/core.xml#<property>``.
    ``source`` is tagged text (see `iris.docx.text.tags`); ``plain`` is the text a reader sees
    (tags removed, protected placeholders such as ``{{ name }}`` kept, tabs and breaks
    omitted); ``words`` counts the words an engine will translate (placeholders
    excluded); ``tags`` maps each tag number in ``source`` to a short description;
    ``heading_level`` is the outline level of a heading paragraph's units (0 =
    outermost, see `iris.docx.reading.outline`), None for body text.
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
    * ``field_literals``: the field types whose literal arguments are extracted as
      ``field_text`` units (see `iris.docx.reading.field_literals`): ``FILLIN`` and ``ASK``
      (prompt and ``\\d`` default answer), ``XE`` (index entry, ``\\t`` cross-reference
      text), ``TC`` (table-of-contents entry), ``HYPERLINK`` (the ``\\o`` tooltip only,
      never the address or bookmark), ``IF`` (the two result texts, never the compared
      expressions) and ``QUOTE`` (its text). The instruction stays valid: a translation
      is quoted and escaped in place of its source argument. Default: FILLIN, ASK, XE,
      TC and HYPERLINK, whose texts are only shown (prompts, tooltips) or printed
      (index and contents entries). HYPERLINK also covers the tooltip of a
      ``w:hyperlink`` element (``@w:tooltip``). IF and QUOTE are off: their texts are often values
      that other fields compare or format (``IF {MERGEFIELD Country} = "France" "Oui"
      "Non"`` feeding another IF, ``QUOTE "1/1/2025" \\@ "MMMM"`` computing a month),
      and a translated value silently changes what the document computes.
    """

    revisions: Literal["accept", "keep"] = "accept"
    comments: bool = True
    hidden: bool = True
    allow_macros: bool = False
    excluded_styles: frozenset[str] = frozenset()
    numbering_labels: bool = True
    alt_text: bool = True
    properties: frozenset[Literal["core", "app", "custom"]] = frozenset({"core", "app"})
    watermarks: bool = True
    list_items: bool = True
    legacy_list_entries: bool = False
    form_help: bool = True
    field_literals: frozenset[Literal["FILLIN", "ASK", "IF", "QUOTE", "XE", "TC", "HYPERLINK"]] = (
        frozenset({"FILLIN", "ASK", "XE", "TC", "HYPERLINK"})
    )


class PolicyError(ValueError):
    """A policy option that names no `Policy` field or has a value the field cannot take."""


_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def policy_from_options(options: Mapping[str, str]) -> Policy:
    """A `Policy` from text options (command line ``--policy key=value``, API, job form).

    Keys are `Policy` field names (``-`` may stand for ``_``); fields not given keep their
    defaults. Values by the field's type: a boolean is ``true``/``false`` (also
    ``yes``/``no``, ``on``/``off``, ``1``/``0``), a choice one of its literals, a set a
    comma-separated list (empty for none). Raises `PolicyError` with one sentence per
    problem: an unknown key, a bad boolean or an unknown choice is an error, never a
    default.
    """
    types = get_type_hints(Policy)
    known = {f.name for f in dataclasses.fields(Policy)}
    values: dict[str, Any] = {}
    for key, text in options.items():
        name = key.strip().replace("-", "_")
        if name not in known:
            choices = ", ".join(sorted(known))
            raise PolicyError(f"Unknown policy option {key!r}; the options are {choices}.")
        values[name] = _option_value(name, types[name], text.strip())
    return Policy(**values)


def _option_value(name: str, annotation: Any, text: str) -> Any:
    if annotation is bool:
        return _boolean(name, text)
    if get_origin(annotation) is Literal:
        return _choice(name, get_args(annotation), text)
    if get_origin(annotation) is frozenset:
        (member,) = get_args(annotation)
        items = [item.strip() for item in text.split(",") if item.strip()]
        if get_origin(member) is Literal:
            return frozenset(_choice(name, get_args(member), item) for item in items)
        return frozenset(items)
    if annotation is str:
        return text
    if annotation is int:
        return _integer(name, text)
    raise PolicyError(f"Policy option {name!r} cannot be set from text.")


def _boolean(name: str, text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise PolicyError(f"Policy option {name!r} takes true or false, not {text!r}.")


def _choice(name: str, choices: tuple[Any, ...], text: str) -> Any:
    if text in choices:
        return text
    allowed = ", ".join(str(choice) for choice in choices)
    raise PolicyError(f"Policy option {name!r} takes one of {allowed}, not {text!r}.")


def _integer(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise PolicyError(f"Policy option {name!r} takes a whole number, not {text!r}.") from None


def policy_as_json(policy: Policy) -> dict[str, Any]:
    """Every field of ``policy`` as plain JSON (sets as sorted lists): what a job
    records, and what `policy_from_options` reads back."""
    values = {f.name: getattr(policy, f.name) for f in dataclasses.fields(policy)}
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in values.items()}
