"""Translation-memory interchange: TMX 1.4b and CSV files to and from tagged units.

A unit's text uses Iris's tag syntax (`iris.docx.text.tag_syntax`).  Reading a TMX maps its
inline codes to tags: a ``<bpt>``/``<ept>`` pair or a ``<hi>`` becomes ``<gK>…</gK>``;
a ``<ph>``, ``<it>`` or ``<ut>`` becomes ``<xK/>``.  K counts codes in order of first
appearance in the source; the target reuses the source's K for the same code (matched
by the ``x`` attribute, else by order among codes of the same kind), and codes found
only in the target are numbered after the source's.  The native code text is kept in
`InterchangeUnit.codes` (``"gK"`` opening, ``"/gK"`` closing, ``"xK"`` standalone) so
that writing puts it back; a tag without native code is written with its own tag as a
placeholder (``<bpt i="1" x="1">&lt;g1&gt;</bpt>``), and reading drops such
placeholders again, so read → write → read gives the same units.  ``<it>`` and ``<ut>``
come back as ``<ph>``, ``<hi>`` as ``<bpt>``/``<ept>``.

Reading streams: `lxml.etree.iterparse` hands over one ``<tu>`` at a time and each is
cleared once converted, so a million-unit file is read in flat memory.  We do not use
translate-toolkit's ``tmxfile``: it parses the whole document into one lxml tree (and a
Python object per unit) before the first unit can be used, which a 2 GB file cannot
afford.  Parsing loads no DTD, expands no entity and never touches the network.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

from lxml import etree

from iris.docx import TagError, escape_text, is_valid_syntax, scan, tag_text, tokenize

__all__ = [
    "InterchangeError",
    "InterchangeUnit",
    "TmxReader",
    "languages_match",
    "read_csv",
    "read_tmx",
    "write_csv",
    "write_tmx",
]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_DATE = "%Y%m%dT%H%M%SZ"
_TMX_DATE_RE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z")


@dataclass(frozen=True)
class InterchangeUnit:
    """One source/target pair read from or written to an interchange file."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    codes: Mapping[str, str] = field(default_factory=dict)
    created_by: str = ""
    created_at: datetime | None = None
    changed_at: datetime | None = None
    note: str = ""
    props: Mapping[str, str] = field(default_factory=dict)
    line: int = 0  # line of the <tu> (TMX) or row number (CSV, header is row 1)


class InterchangeError(ValueError):
    """A file that cannot be read or a unit that cannot be written; the message says where."""

    def __init__(self, message: str, *, line: int = 0, unit: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.unit = unit


class _Problem(Exception):
    """A fault inside one unit; the reader adds the file, line and unit number."""


def languages_match(wanted: str, found: str) -> bool:
    """True if ``found`` is ``wanted`` or a more specific tag of it (RFC 4647 basic filter).

    Case-insensitive, ``_`` read as ``-``: ``fr`` matches ``fr-FR`` and ``fr-CA``;
    ``fr-CA`` matches only ``fr-CA`` (and its own extensions).
    """
    want, got = _normal_lang(wanted), _normal_lang(found)
    return bool(want) and (got == want or got.startswith(want + "-"))


def _normal_lang(tag: str) -> str:
    return tag.strip().lower().replace("_", "-")


def _compatible(one: str, other: str) -> bool:
    """Neither tag contradicts the other (``en`` and ``en-US`` agree, ``en-GB`` does not)."""
    return languages_match(one, other) or languages_match(other, one)


def _check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise InterchangeError(
            f"{path.name} is {size:,} bytes, over the limit of {max_bytes:,} bytes; "
            "split it or raise the limit."
        )


# --- TMX reading ---------------------------------------------------------------------------


@dataclass
class _Code:
    """One native code of a <seg>; ``number`` is its tag number K once assigned."""

    kind: Literal["g", "x"]
    x: str | None
    label: str  # the number its placeholder would carry (x, else i)
    opening: str
    closing: str = ""
    number: int = 0


_Piece = str | tuple[Literal["open", "close", "single"], _Code]


class _Seg:
    """A <seg> flattened into escaped text and code events, pairs checked as they come."""

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.codes: list[_Code] = []
        self.blank = True  # no text but whitespace so far
        self._bpts: dict[str | None, _Code] = {}
        self._stack: list[_Code] = []

    def text(self, text: str) -> None:
        self.pieces.append(escape_text(text))
        if self.blank and not text.isspace():
            self.blank = False

    def open(self, code: _Code) -> None:
        self.codes.append(code)
        self._stack.append(code)
        self.pieces.append(("open", code))

    def close(self, code: _Code) -> None:
        if self._stack[-1] is not code:
            raise _Problem(
                "codes cross each other (a pair closes before a pair opened inside it), "
                "so they cannot become well-nested tags"
            )
        self._stack.pop()
        self.pieces.append(("close", code))

    def single(self, code: _Code) -> None:
        self.codes.append(code)
        self.pieces.append(("single", code))

    def begin(self, i: str | None, code: _Code) -> None:
        if i in self._bpts:
            raise _Problem(f'<bpt i="{i}"> opens again before its <ept>')
        self._bpts[i] = code
        self.open(code)

    def end(self, i: str | None, closing: str) -> None:
        code = self._bpts.pop(i, None)
        if code is None:
            raise _Problem(f'<ept i="{i}"> has no matching <bpt>')
        code.closing = _native(closing, f"</g{code.label}>")
        self.close(code)

    def finish(self) -> _Seg:
        if self._bpts:
            raise _Problem(f'<bpt i="{next(iter(self._bpts))}"> has no matching <ept>')
        return self


def _native(text: str, placeholder: str) -> str:
    """The code text worth keeping: Iris's own placeholder is no native code."""
    return "" if text == placeholder else text


def _code_text(element: etree._Element) -> str:
    if not len(element):
        return element.text or ""
    # <sub> holds translatable text inside a code; Iris keeps it as part of the code.
    return "".join(str(text) for text in element.itertext())


def _read_seg(seg: etree._Element) -> _Seg:
    out = _Seg()
    if len(seg):
        _read_content(seg, out)
    elif seg.text:  # most segments hold plain text only
        out.text(seg.text)
    return out.finish()


def _read_content(parent: etree._Element, out: _Seg) -> None:
    if parent.text:
        out.text(parent.text)
    for child in parent:
        _read_inline(child, out)
        if child.tail:
            out.text(child.tail)


def _read_inline(element: etree._Element, out: _Seg) -> None:
    tag = element.tag
    if tag == "bpt":
        label = element.get("x") or element.get("i") or ""
        opening = _native(_code_text(element), f"<g{label}>")
        out.begin(element.get("i"), _Code("g", element.get("x"), label, opening))
    elif tag == "ept":
        out.end(element.get("i"), _code_text(element))
    elif tag in ("ph", "it", "ut"):
        label = element.get("x") or ""
        text = _native(_code_text(element), f"<x{label}/>")
        out.single(_Code("x", element.get("x"), label, text))
    elif tag == "hi":
        span = _Code("g", element.get("x"), element.get("x") or "", "")
        out.open(span)
        _read_content(element, out)
        out.close(span)
    elif tag is etree.Entity:
        raise _Problem(f"the entity {element.text} is not expanded (entities are refused)")
    elif isinstance(tag, str):
        raise _Problem(f"<{tag}> is not allowed in <seg>")
    # comments and processing instructions carry no text


def _number_codes(source: _Seg, target: _Seg) -> dict[str, str]:
    """Give every code its tag number K; returns the native code text by tag name."""
    if not (source.codes or target.codes):
        return {}
    for number, code in enumerate(source.codes, 1):
        code.number = number
    unmatched = _match_target_codes(source.codes, target.codes)
    for number, code in enumerate(unmatched, len(source.codes) + 1):
        code.number = number
    codes: dict[str, str] = {}
    for code in source.codes + unmatched:
        _store_code(codes, code)
    return codes


def _match_target_codes(source: list[_Code], target: list[_Code]) -> list[_Code]:
    """Number target codes after the source codes they stand for; return those left over."""
    free = list(source)
    left = list(target)
    for same in (_same_x, _same_place):
        for code in list(left):
            match = next((s for s in free if same(s, code)), None)
            if match is not None:
                code.number = match.number
                free.remove(match)
                left.remove(code)
    return left


def _same_x(source: _Code, target: _Code) -> bool:
    return source.kind == target.kind and source.x is not None and source.x == target.x


def _same_place(source: _Code, target: _Code) -> bool:
    # Codes that both carry x and differ are different codes: order cannot pair them.
    return source.kind == target.kind and (source.x is None or target.x is None)


def _store_code(codes: dict[str, str], code: _Code) -> None:
    name = f"{code.kind}{code.number}"
    if code.opening:
        codes[name] = code.opening
    if code.closing:
        codes[f"/{name}"] = code.closing


def _tag(role: Literal["open", "close", "single"], code: _Code) -> str:
    number = code.number
    return tag_text("standalone" if role == "single" else role, number)


def _tagged(seg: _Seg) -> str:
    if seg.codes:
        tagged = "".join(p if isinstance(p, str) else _tag(*p) for p in seg.pieces)
    else:
        tagged = "".join(seg.pieces)  # type: ignore[arg-type]  # no codes: only strings
    # _Seg already refused unpaired and crossed codes and every code has its own number,
    # so syntax is all that is left to prove (one C-level regex: this runs per segment).
    if not is_valid_syntax(tagged):  # pragma: no cover - escape_text and _tag prevent it
        try:
            scan(tagged)
        except TagError as error:
            raise _Problem(f"the unit does not make valid tagged text: {error}") from None
    return tagged


def _tmx_date(value: str | None) -> datetime | None:
    return _parse_tmx_date(value) if value else None


@lru_cache(maxsize=4096)  # exports stamp many units with the same second
def _parse_tmx_date(value: str) -> datetime:
    match = _TMX_DATE_RE.fullmatch(value)  # strptime costs several µs a unit
    try:
        if match is None:
            raise ValueError(value)
        year, month, day, hour, minute, second = map(int, match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise _Problem(f"date {value!r} is not in the form YYYYMMDDThhmmssZ") from None


def _tuv_lang(tuv: etree._Element) -> str:
    return tuv.get(_XML_LANG) or tuv.get("lang") or ""


@lru_cache(maxsize=256)
def _pick_language(found: tuple[str, ...], wanted: str) -> int | None:
    """Index of the tuv in ``wanted``: the exact locale first, else the first more
    specific one.  Cached: a file repeats the same few language lists."""
    want = _normal_lang(wanted)
    exact = next((n for n, lang in enumerate(found) if _normal_lang(lang) == want), None)
    if exact is not None:
        return exact
    return next((n for n, lang in enumerate(found) if languages_match(wanted, lang)), None)


def _seg_of(tuv: etree._Element) -> _Seg:
    seg = tuv.find("seg")
    if seg is None:
        raise _Problem(f"the <tuv> in {_tuv_lang(tuv)!r} has no <seg>")
    result = _read_seg(seg)
    if result.blank:
        raise _Problem(f"the <seg> in {_tuv_lang(tuv)!r} is empty")
    return result


def _notes(*elements: etree._Element) -> str:
    return "\n".join(n.text or "" for e in elements for n in e.iterchildren("note"))


def _props(*elements: etree._Element) -> dict[str, str]:
    """Props of the given elements; a later element's prop wins over an earlier one's."""
    return {p.get("type", ""): p.text or "" for e in elements for p in e.iterchildren("prop")}


def _unit_from_tu(
    tu: etree._Element, source_tuv: etree._Element, target_tuv: etree._Element
) -> InterchangeUnit:
    source, target = _seg_of(source_tuv), _seg_of(target_tuv)
    codes = _number_codes(source, target)

    def attribute(name: str) -> str | None:
        return tu.get(name) or target_tuv.get(name)

    return InterchangeUnit(
        source=_tagged(source),
        target=_tagged(target),
        source_lang=_tuv_lang(source_tuv),
        target_lang=_tuv_lang(target_tuv),
        codes=codes,
        created_by=attribute("creationid") or "",
        created_at=_tmx_date(attribute("creationdate")),
        changed_at=_tmx_date(attribute("changedate")),
        note=_notes(tu, source_tuv, target_tuv),
        props=_props(source_tuv, target_tuv, tu),
        line=_line(tu),
    )


class TmxReader:
    """Streams the units of one language pair out of a TMX file.

    The size limit is checked when the reader is made, before any parsing.  `units`
    yields the units in file order; afterwards ``read`` counts the units yielded and
    ``skipped`` the ``<tu>``s that lack the source or the target language.  Raises
    `InterchangeError` naming the line and unit on a malformed file or unit, and at the
    end when no unit at all was in the pair (naming the languages found).
    """

    _MAX_LANGUAGES_KEPT = 50  # enough to name them; a hostile file cannot grow the set

    def __init__(self, path: Path, source_lang: str, target_lang: str, *, max_bytes: int):
        _check_size(path, max_bytes)
        self.path = path
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.read = 0
        self.skipped = 0
        self.languages: set[str] = set()
        self._index = 0

    def units(self) -> Iterator[InterchangeUnit]:
        with self.path.open("rb") as stream:
            events = etree.iterparse(
                stream,
                events=("end",),
                tag=("header", "tu"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=True,
            )
            try:
                yield from self._units(events)
            except etree.XMLSyntaxError as error:
                after = f" (after unit {self._index})" if self._index else ""
                raise self._error(error.lineno, f"malformed XML{after}: {error.msg}") from None
            self._check_root(events.root)
        if self.read == 0:
            found = ", ".join(sorted(self.languages)) or "none"
            raise InterchangeError(
                f"{self.path.name} has no unit in {self.source_lang} → {self.target_lang}; "
                f"languages found: {found}."
            )

    def _units(self, events: Iterable[tuple[str, etree._Element]]) -> Iterator[InterchangeUnit]:
        for _, element in events:
            if self._index == 0:
                self._check_root(element.getroottree().getroot())
            if element.tag == "header":
                self._check_header(element)
            else:
                self._index += 1
                unit = self._convert(element)
                if unit is not None:
                    self.read += 1
                    yield unit
            _forget(element)

    def _convert(self, tu: etree._Element) -> InterchangeUnit | None:
        tuvs = list(tu.iterchildren("tuv"))
        found = tuple(_tuv_lang(tuv) for tuv in tuvs)
        if len(self.languages) < self._MAX_LANGUAGES_KEPT:
            self.languages.update(found)
        source = _pick_language(found, self.source_lang)
        target = _pick_language(found, self.target_lang)
        if source is None or target is None:
            self.skipped += 1
            return None
        try:
            return _unit_from_tu(tu, tuvs[source], tuvs[target])
        except _Problem as problem:
            tuid = tu.get("tuid")
            named = f" (tuid {tuid!r})" if tuid else ""
            raise self._error(_line(tu), f"unit {self._index}{named}: {problem}") from None

    def _check_header(self, header: etree._Element) -> None:
        srclang = header.get("srclang") or ""
        if srclang and srclang.lower() != "*all*" and not _compatible(srclang, self.source_lang):
            raise self._error(
                _line(header),
                f"the header's srclang {srclang!r} contradicts the source language "
                f"{self.source_lang!r}",
            )

    def _check_root(self, root: etree._Element | None) -> None:
        if root is None or root.tag != "tmx":
            tag = "nothing" if root is None else f"<{root.tag}>"
            raise self._error(1, f"not a TMX file (the root element is {tag}, not <tmx>)")

    def _error(self, line: int | None, problem: str) -> InterchangeError:
        return InterchangeError(
            f"{self.path.name} line {line or '?'}: {problem}", line=line or 0, unit=self._index
        )


def _line(element: etree._Element) -> int:
    """The line of ``element``'s start tag, also past line 65,535.

    libxml2 stores an element's line in 16 bits; past 65,535 it reports instead the
    line where the first text inside the element *ends* (found by first-child descent),
    so the newlines of that text are taken off again.
    """
    line = element.sourceline  # lxml-stubs type it loosely; lxml gives an int or None
    if not isinstance(line, int):
        return 0
    if line < 65535:
        return line
    node = element
    while node.text is None and len(node) and isinstance(node[0].tag, str):
        node = node[0]
    return line - (node.text or "").count("\n")


def _forget(element: etree._Element) -> None:
    """Free a handled element and the siblings before it: memory stays flat."""
    element.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs predate keep_tail
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def read_tmx(
    path: Path, source_lang: str, target_lang: str, *, max_bytes: int
) -> Iterator[InterchangeUnit]:
    """The units of ``source_lang`` → ``target_lang`` in a TMX file, streamed.

    A file over ``max_bytes`` is refused at once (before the iterator is returned).
    Use `TmxReader` directly to learn how many ``<tu>``s were skipped.
    """
    return TmxReader(path, source_lang, target_lang, max_bytes=max_bytes).units()


# --- TMX writing ---------------------------------------------------------------------------


def write_tmx(
    units: Iterable[InterchangeUnit], out: BinaryIO, *, source_lang: str, tool: str = "Iris"
) -> int:
    """Write ``units`` to ``out`` as TMX 1.4b, one ``<tu>`` at a time; returns the count.

    Raises `InterchangeError` naming the unit when its text is not valid tagged text.
    """
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element("tmx", version="1.4"):
            xml.write("\n", _header(source_lang, tool))
            with xml.element("body"):
                for count, unit in enumerate(units, 1):
                    xml.write("\n", _tu_element(unit, count))
                xml.write("\n")
            xml.write("\n")
    return count


def _header(source_lang: str, tool: str) -> etree._Element:
    header = etree.Element("header")
    header.attrib.update(
        {
            "creationtool": tool,
            "creationtoolversion": _iris_version(),
            "segtype": "sentence",
            "o-tmf": tool,
            "adminlang": "en",
            "srclang": source_lang,
            "datatype": "plaintext",
        }
    )
    return header


def _iris_version() -> str:
    try:
        return metadata.version("iris")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _tu_element(unit: InterchangeUnit, index: int) -> etree._Element:
    tu = etree.Element("tu")
    for name, value in (
        ("creationid", unit.created_by),
        ("creationdate", _format_tmx_date(unit.created_at)),
        ("changedate", _format_tmx_date(unit.changed_at)),
    ):
        if value:
            tu.set(name, value)
    children = [_text_element("prop", value, type=key) for key, value in unit.props.items()]
    if unit.note:
        children.append(_text_element("note", unit.note))
    try:
        children.append(_tuv_element(unit.source_lang, unit.source, unit.codes))
        children.append(_tuv_element(unit.target_lang, unit.target, unit.codes))
    except (TagError, ValueError) as error:
        raise InterchangeError(f"unit {index} cannot be written: {error}", unit=index) from None
    _indent(tu, children, "\n  ", "\n")
    return tu


def _text_element(tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.Element(tag, attributes)
    element.text = text
    return element


def _indent(parent: etree._Element, children: list[etree._Element], inner: str, end: str) -> None:
    """Lay out structural elements one per line; never touches whitespace inside a <seg>."""
    parent.text = inner
    for child in children:
        child.tail = inner
        parent.append(child)
    children[-1].tail = end


def _tuv_element(lang: str, tagged: str, codes: Mapping[str, str]) -> etree._Element:
    tuv = etree.Element("tuv", {_XML_LANG: lang})
    seg = etree.Element("seg")
    last: etree._Element | None = None
    for token in tokenize(tagged, require_balanced=True):
        if token.kind == "text":
            if last is None:
                seg.text = (seg.text or "") + token.text
            else:
                last.tail = (last.tail or "") + token.text
            continue
        number = str(token.id)
        if token.kind == "open":
            last = _code_element(
                seg, "bpt", codes.get(f"g{number}"), token.text, i=number, x=number
            )
        elif token.kind == "close":
            last = _code_element(seg, "ept", codes.get(f"/g{number}"), token.text, i=number)
        else:
            last = _code_element(seg, "ph", codes.get(f"x{number}"), token.text, x=number)
    _indent(tuv, [seg], "\n    ", "\n  ")
    return tuv


def _code_element(
    seg: etree._Element, tag: str, code: str | None, placeholder: str, **attributes: str
) -> etree._Element:
    element = etree.SubElement(seg, tag, attributes)
    element.text = code or placeholder
    return element


def _format_tmx_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # naive times are taken as UTC, not local time
    return moment.astimezone(UTC).strftime(_TMX_DATE)


# --- CSV -----------------------------------------------------------------------------------

_CSV_COLUMNS = (
    "source",
    "target",
    "source_lang",
    "target_lang",
    "created_by",
    "created_at",
    "changed_at",
    "note",
    "context",
    "status",
)
_CSV_PROPS = {"context": "x-context", "status": "x-iris-status"}


def read_csv(
    path: Path, source_lang: str, target_lang: str, *, max_bytes: int
) -> Iterator[InterchangeUnit]:
    """The units of a UTF-8 CSV file (a BOM is accepted) with a header row.

    The header names at least ``source`` and ``target``; optional columns are
    ``source_lang``, ``target_lang``, ``created_by``, ``created_at``, ``changed_at``
    (ISO 8601 or TMX form; naive times are UTC), ``note``, and ``context``/``status``
    (into props ``x-context``/``x-iris-status``); others are ignored.  Text is tagged
    text.  A file over ``max_bytes`` is refused at once; a bad row raises
    `InterchangeError` naming its row (the header is row 1).
    """
    _check_size(path, max_bytes)
    return _csv_units(path, source_lang, target_lang)


def _csv_units(path: Path, source_lang: str, target_lang: str) -> Iterator[InterchangeUnit]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = csv.reader(stream)
        row = 1
        try:
            header = [name.strip().lower() for name in next(rows, [])]
            if not {"source", "target"} <= set(header):
                raise _Problem("the header row must name a source and a target column")
            for row, cells in enumerate(rows, 2):
                if any(cells):
                    yield _csv_unit(
                        dict(zip(header, cells, strict=False)), source_lang, target_lang, row
                    )
        except (_Problem, csv.Error, UnicodeDecodeError) as problem:
            raise InterchangeError(
                f"{path.name} row {row}: {problem}", line=row, unit=row - 1
            ) from None


def _csv_unit(
    cells: dict[str, str], source_lang: str, target_lang: str, row: int
) -> InterchangeUnit:
    source_lang = _csv_lang(cells.get("source_lang", ""), source_lang, "source")
    target_lang = _csv_lang(cells.get("target_lang", ""), target_lang, "target")
    return InterchangeUnit(
        source=_csv_text(cells.get("source", ""), "source"),
        target=_csv_text(cells.get("target", ""), "target"),
        source_lang=source_lang,
        target_lang=target_lang,
        created_by=cells.get("created_by", ""),
        created_at=_csv_date(cells.get("created_at", "")),
        changed_at=_csv_date(cells.get("changed_at", "")),
        note=cells.get("note", ""),
        props={prop: cells[column] for column, prop in _CSV_PROPS.items() if cells.get(column)},
        line=row,
    )


def _csv_lang(given: str, wanted: str, side: str) -> str:
    if not given.strip():
        return wanted
    if not _compatible(given, wanted):
        raise _Problem(f"the {side} language {given!r} is not {wanted!r}")
    return given.strip()


def _csv_text(tagged: str, side: str) -> str:
    try:
        tokens = tokenize(tagged, require_balanced=True)
    except TagError as error:
        raise _Problem(f"the {side} is not valid tagged text: {error}") from None
    if not "".join(t.text for t in tokens if t.kind == "text").strip():
        raise _Problem(f"the {side} is empty")
    return tagged


def _csv_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.strptime(value, _TMX_DATE) if "-" not in value else None
        moment = moment or datetime.fromisoformat(value)
    except ValueError:
        raise _Problem(f"date {value!r} is neither ISO 8601 nor YYYYMMDDThhmmssZ") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def write_csv(units: Iterable[InterchangeUnit], out: TextIO) -> int:
    """Write ``units`` as CSV with a header row (the columns `read_csv` knows); returns the count.

    Native codes and props other than ``x-context``/``x-iris-status`` have no column and
    are not written.
    """
    writer = csv.writer(out)
    writer.writerow(_CSV_COLUMNS)
    count = 0
    for unit in units:
        writer.writerow(_csv_row(unit))
        count += 1
    return count


def _csv_row(unit: InterchangeUnit) -> list[str]:
    return [
        unit.source,
        unit.target,
        unit.source_lang,
        unit.target_lang,
        unit.created_by,
        unit.created_at.isoformat() if unit.created_at else "",
        unit.changed_at.isoformat() if unit.changed_at else "",
        unit.note,
        *(unit.props.get(prop, "") for prop in _CSV_PROPS.values()),
    ]
