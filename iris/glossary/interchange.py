"""Glossary files: CSV and TBX-Basic, read into checked :class:`TermData` and written
from it. No Django; errors name the file and the line.

CSV (UTF-8, a header row; ``source`` and ``target`` are required columns, the others
optional, in any order)::

    source,target,part_of_speech,case_sensitive,forbidden,do_not_translate,note
    contract,contrat | convention,noun,false,accord,false,legal sense

``target`` and ``forbidden`` hold several values separated by ``|`` (the first target
is preferred); a value cannot itself contain ``|`` (use TBX). Booleans are
``true``/``false``, ``yes``/``no``, ``1``/``0`` or empty (false).

TBX (TBX-Basic, TBX 2 / ISO 30042 ``<martif type="TBX-Basic">``; TBX 3's
``tbx/conceptEntry/langSec/termSec`` names are read as well): each ``termEntry``
with terms in both languages gives one term per source-language ``term``. Its
target-language terms are allowed renderings (``preferredTerm-admn-sts`` first, then
admitted or unmarked ones) or, when ``deprecatedTerm-admn-sts`` or
``supersededTerm-admn-sts``, forbidden variants. ``termNote type="partOfSpeech"`` on
the source term is its part of speech; every ``note`` and ``descrip
type="definition"`` of the entry is its note. Iris writes two flags TBX-Basic has no
data category for as ``termNote`` types other tools ignore: ``x-caseSensitive`` and
``x-doNotTranslate`` (value ``true``). A ``langSet`` matches the requested language
exactly or, when an entry has no exact one, by its primary subtag (``fr-FR`` for
``fr``). XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from iris.glossary.pairs import glossary_language

Format = Literal["csv", "tbx"]
FORMATS: dict[str, Format] = {".csv": "csv", ".tbx": "tbx", ".xml": "tbx"}

CSV_COLUMNS = (
    "source",
    "target",
    "part_of_speech",
    "case_sensitive",
    "forbidden",
    "do_not_translate",
    "note",
)
_SEPARATOR = "|"
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED = "preferredTerm-admn-sts", "admittedTerm-admn-sts"
DEPRECATED, SUPERSEDED = "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"
_STATUSES = (PREFERRED, ADMITTED, DEPRECATED, SUPERSEDED)
CASE_SENSITIVE_NOTE, DO_NOT_TRANSLATE_NOTE = "x-caseSensitive", "x-doNotTranslate"
_HAS_WORD = re.compile(r"\w")
MAX_SOURCE, MAX_PART_OF_SPEECH = 500, 32


class InvalidTermError(ValueError):
    """A term that cannot be stored (the message says why)."""


class InterchangeError(ValueError):
    """A glossary file that cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class TermData:
    """One term's content, as files and callers give it (see `GlossaryTerm`)."""

    source: str
    targets: tuple[str, ...] = ()
    part_of_speech: str = ""
    case_sensitive: bool = False
    forbidden: tuple[str, ...] = ()
    do_not_translate: bool = False
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """What identifies a term within its glossary."""
        return self.source, self.part_of_speech

    def checked(self) -> TermData:
        """This term tidied (values stripped, repeats dropped), or `InvalidTermError`."""
        source = self.source.strip()
        if not _HAS_WORD.search(source):
            raise InvalidTermError(f"the source term {self.source!r} has no letter or digit")
        if len(source) > MAX_SOURCE:
            raise InvalidTermError(f"the source term is over {MAX_SOURCE} characters")
        targets = _values(self.targets)
        if self.do_not_translate:
            targets = tuple(t for t in targets if t != source)
            if targets:
                raise InvalidTermError(f"{source!r} is do-not-translate but has targets")
        elif not targets:
            raise InvalidTermError(f"{source!r} has no target term")
        forbidden = _values(self.forbidden)
        clash = set(forbidden) & set(targets)
        if clash:
            raise InvalidTermError(f"{source!r}: {sorted(clash)[0]!r} is allowed and forbidden")
        pos = self.part_of_speech.strip().lower()
        if len(pos) > MAX_PART_OF_SPEECH:
            raise InvalidTermError(f"part of speech {pos!r} is too long")
        return replace(
            self, source=source, targets=targets, forbidden=forbidden, part_of_speech=pos,
            note=self.note.strip(),
        )  # fmt: skip


def _values(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def file_format(path: Path, fmt: str | None = None) -> Format:
    """``fmt`` checked, or the format ``path``'s suffix names."""
    if fmt is not None:
        if fmt not in ("csv", "tbx"):
            raise InterchangeError(f"unknown glossary format {fmt!r} (csv or tbx)")
        return "csv" if fmt == "csv" else "tbx"
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InterchangeError(f"{path.name}: cannot tell the format (use .csv or .tbx)")
    return found


def read_terms(
    path: Path, source_lang: str, target_lang: str, fmt: str | None = None
) -> list[TermData]:
    """The checked terms of a CSV or TBX file; any bad row or term fails the whole file."""
    if file_format(path, fmt) == "csv":
        found = _read_csv(path)
    else:
        found = _read_tbx(path, glossary_language(source_lang), glossary_language(target_lang))
    try:
        return _unique(path, found)
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot read it ({exc.strerror})") from None


def _unique(path: Path, found: Iterable[tuple[int, TermData]]) -> list[TermData]:
    seen: dict[tuple[str, str], int] = {}
    terms = []
    for line, data in found:
        try:
            term = data.checked()
        except InvalidTermError as exc:
            raise InterchangeError(f"{path.name}, line {line}: {exc}") from None
        if term.key in seen:
            raise InterchangeError(
                f"{path.name}, line {line}: {term.source!r} repeats line {seen[term.key]}"
            )
        seen[term.key] = line
        terms.append(term)
    return terms


# --- CSV ----------------------------------------------------------------------------


def _read_csv(path: Path) -> Iterator[tuple[int, TermData]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            columns = _header(path, next(reader, []))
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, _csv_term(path, reader.line_num, columns, row)
    except csv.Error as exc:
        raise InterchangeError(f"{path.name}, line {reader.line_num}: bad CSV: {exc}") from None
    except UnicodeDecodeError:
        raise InterchangeError(f"{path.name}: not UTF-8 text") from None


def _header(path: Path, row: Sequence[str]) -> list[str]:
    columns = [cell.strip().lower() for cell in row]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        expected = ", ".join(CSV_COLUMNS)
        raise InterchangeError(f"{path.name}, line 1: unknown column {unknown[0]!r} ({expected})")
    missing = [c for c in ("source", "target") if c not in columns]
    if missing:
        raise InterchangeError(f"{path.name}, line 1: the header has no {missing[0]!r} column")
    if len(set(columns)) != len(columns):
        raise InterchangeError(f"{path.name}, line 1: a column is named twice")
    return columns


def _csv_term(path: Path, line: int, columns: Sequence[str], row: Sequence[str]) -> TermData:
    if len(row) != len(columns):
        raise InterchangeError(
            f"{path.name}, line {line}: {len(row)} fields where the header has {len(columns)}"
        )
    cells = dict(zip(columns, row, strict=True))
    try:
        return TermData(
            source=cells["source"],
            targets=_split(cells["target"]),
            part_of_speech=cells.get("part_of_speech", ""),
            case_sensitive=_boolean(cells.get("case_sensitive", ""), "case_sensitive"),
            forbidden=_split(cells.get("forbidden", "")),
            do_not_translate=_boolean(cells.get("do_not_translate", ""), "do_not_translate"),
            note=cells.get("note", ""),
        )
    except InvalidTermError as exc:
        raise InterchangeError(f"{path.name}, line {line}: {exc}") from None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(cell.split(_SEPARATOR))


def _boolean(cell: str, column: str) -> bool:
    value = cell.strip().lower()
    if value not in _TRUE | _FALSE:
        raise InvalidTermError(f"{column} is {cell!r}, not true or false")
    return value in _TRUE


def write_csv(path: Path, terms: Iterable[TermData]) -> None:
    rows = [list(CSV_COLUMNS)]
    for term in terms:
        for value in (*term.targets, *term.forbidden):
            if _SEPARATOR in value:
                raise InterchangeError(f"{value!r} holds '|', which CSV cannot carry: use TBX")
        rows.append(
            [
                term.source,
                f" {_SEPARATOR} ".join(term.targets),
                term.part_of_speech,
                _flag(term.case_sensitive),
                f" {_SEPARATOR} ".join(term.forbidden),
                _flag(term.do_not_translate),
                term.note,
            ]
        )
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _flag(value: bool) -> str:
    return "true" if value else "false"


# --- TBX ----------------------------------------------------------------------------

_ENTRY, _LANG_SET, _TERM_GROUP = (
    ("termEntry", "conceptEntry"),
    ("langSet", "langSec"),
    (
        "tig",
        "ntig",
        "termSec",
    ),
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )


def _text(element: etree._Element) -> str:
    return "".join(str(part) for part in element.itertext()).strip()


def _line(element: etree._Element) -> int:
    return int(getattr(element, "sourceline", 0) or 0)


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _read_tbx(path: Path, source: str, target: str) -> Iterator[tuple[int, TermData]]:
    root = _tbx_root(path)
    languages: set[str] = set()
    for entry in (e for e in root.iter() if _name(e) in _ENTRY):
        sets = _lang_sets(path, entry)
        languages.update(sets)
        yield from _entry_terms(path, entry, _pick(sets, source), _pick(sets, target), target)
    wanted = {source.split("-")[0], target.split("-")[0]}
    if not any(lang.split("-")[0] in wanted for lang in languages):
        found = ", ".join(sorted(languages)) or "none"
        raise InterchangeError(f"{path.name}: no terms in {source} or {target} (found: {found})")


def _tbx_root(path: Path) -> etree._Element:
    try:
        root = etree.fromstring(path.read_bytes(), _parser())
    except etree.XMLSyntaxError as exc:
        where = f"{path.name}, line {exc.lineno}"
        raise InterchangeError(f"{where}: malformed XML: {exc.msg}") from None
    declared: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs lack its methods
    # A DOCTYPE naming the TBX DTD is common and harmless (never loaded); entities are
    # how XML bombs and file disclosure come in, so a file declaring any is refused.
    if declared is not None and any(True for _ in declared.iterentities()):
        raise InterchangeError(f"{path.name}: entity declarations are not accepted in TBX")
    if _name(root) not in ("martif", "tbx"):
        raise InterchangeError(f"{path.name}, line {_line(root)}: not TBX (<{_name(root)}>)")
    return root


def _lang_sets(path: Path, entry: etree._Element) -> dict[str, list[etree._Element]]:
    sets: dict[str, list[etree._Element]] = {}
    for lang_set in (e for e in entry if _name(e) in _LANG_SET):
        tag = lang_set.get(_XML_LANG, "")
        try:
            lang = glossary_language(tag)
        except ValueError:
            line = _line(lang_set)
            raise InterchangeError(f"{path.name}, line {line}: langSet xml:lang={tag!r}") from None
        sets.setdefault(lang, []).append(lang_set)
    return sets


def _pick(sets: dict[str, list[etree._Element]], lang: str) -> list[etree._Element]:
    if lang in sets:
        return sets[lang]
    primary = lang.split("-")[0]
    return [s for tag, group in sets.items() if tag.split("-")[0] == primary for s in group]


@dataclass(frozen=True)
class _TbxTerm:
    line: int
    text: str
    notes: dict[str, str]

    @property
    def status(self) -> str:
        return self.notes.get("administrativeStatus", "")

    def flag(self, name: str) -> bool:
        return self.notes.get(name, "").strip().lower() in _TRUE


def _entry_terms(
    path: Path,
    entry: etree._Element,
    sources: list[etree._Element],
    targets: list[etree._Element],
    target_lang: str,
) -> Iterator[tuple[int, TermData]]:
    if not sources and not targets:
        return  # an entry for other languages
    where = f"{path.name}, line {_line(entry)}"
    if not sources:
        raise InterchangeError(f"{where}: the entry has {target_lang} terms but no source term")
    source_terms = [t for s in sources for t in _tbx_terms(path, s)]
    target_terms = [t for s in targets for t in _tbx_terms(path, s)]
    allowed = [t.text for t in target_terms if t.status == PREFERRED]
    allowed += [t.text for t in target_terms if t.status in ("", ADMITTED)]
    forbidden = tuple(t.text for t in target_terms if t.status in (DEPRECATED, SUPERSEDED))
    note = "\n".join(_entry_notes(entry))
    for term in source_terms:
        keep = term.flag(DO_NOT_TRANSLATE_NOTE)
        if not targets and not keep:
            raise InterchangeError(f"{where}: the entry has no {target_lang} term")
        yield (
            term.line,
            TermData(
                source=term.text,
                targets=tuple(allowed),
                part_of_speech=term.notes.get("partOfSpeech", ""),
                case_sensitive=term.flag(CASE_SENSITIVE_NOTE),
                forbidden=forbidden,
                do_not_translate=keep,
                note=note,
            ),
        )


def _tbx_terms(path: Path, lang_set: etree._Element) -> Iterator[_TbxTerm]:
    for group in (e for e in lang_set if _name(e) in _TERM_GROUP):
        term = next((e for e in group.iter() if _name(e) == "term"), None)
        text = _text(term) if term is not None else ""
        if not text:
            raise InterchangeError(f"{path.name}, line {_line(group)}: empty term")
        notes = {str(e.get("type", "")): _text(e) for e in group.iter() if _name(e) == "termNote"}
        status = notes.get("administrativeStatus", "")
        if status and status not in _STATUSES:
            raise InterchangeError(
                f"{path.name}, line {_line(group)}: unknown administrativeStatus {status!r}"
            )
        yield _TbxTerm(_line(group), text, notes)


def _entry_notes(entry: etree._Element) -> Iterator[str]:
    for element in entry.iter():
        name = _name(element)
        if name == "note" or (name == "descrip" and element.get("type") == "definition"):
            text = _text(element)
            if text:
                yield text


def write_tbx(path: Path, terms: Iterable[TermData], source_lang: str, target_lang: str) -> None:
    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: source_lang})
    header = etree.SubElement(etree.SubElement(root, "martifHeader"), "fileDesc")
    description = etree.SubElement(etree.SubElement(header, "sourceDesc"), "p")
    description.text = f"Iris glossary, {source_lang} to {target_lang}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, 1):
        body.append(_tbx_entry(number, term, source_lang, target_lang))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    path.write_bytes(data)


def _tbx_entry(number: int, term: TermData, source_lang: str, target_lang: str) -> etree._Element:
    entry = etree.Element("termEntry", {"id": f"t{number}"})
    if term.note:
        etree.SubElement(entry, "note").text = term.note
    source_notes = {"partOfSpeech": term.part_of_speech}
    source_notes |= {CASE_SENSITIVE_NOTE: "true"} if term.case_sensitive else {}
    source_notes |= {DO_NOT_TRANSLATE_NOTE: "true"} if term.do_not_translate else {}
    _tbx_lang_set(entry, source_lang, [(term.source, source_notes)])
    targets = term.targets or ((term.source,) if term.do_not_translate else ())
    rendered = [
        (text, {"administrativeStatus": PREFERRED if i == 0 else ADMITTED})
        for i, text in enumerate(targets)
    ]
    rendered += [(text, {"administrativeStatus": DEPRECATED}) for text in term.forbidden]
    if rendered:
        _tbx_lang_set(entry, target_lang, rendered)
    return entry


def _tbx_lang_set(
    entry: etree._Element, lang: str, terms: Sequence[tuple[str, dict[str, str]]]
) -> None:
    lang_set = etree.SubElement(entry, "langSet", {_XML_LANG: lang})
    for text, notes in terms:
        tig = etree.SubElement(lang_set, "tig")
        etree.SubElement(tig, "term").text = text
        for kind, value in notes.items():
            if value:
                etree.SubElement(tig, "termNote", {"type": kind}).text = value
