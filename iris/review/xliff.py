"""The XLIFF 2.1 review format: `write_xliff` exports a `ReviewPackage`, `read_xliff` reads a
reviewer's file back into a `ReadPackage`, `validate_xliff` checks a file against the OASIS
core schema shipped in ``schemas/`` (offline: the schema's import of ``xml.xsd`` resolves to
the copy next to it).

Iris tags map one for one onto XLIFF inline codes with the tag number as id: ``<gN>…</gN>``
is ``<pc id="N">…</pc>`` and ``<xN/>`` is ``<ph id="N"/>``.  Reading also accepts what CAT
tools make of them: a pair written as ``<sc id="N"/>…<ec startRef="N"/>``, annotations
(``<mrk>``, ``<sm/>``/``<em/>``) unwrapped, ``<cp hex=…/>`` characters, and a unit split
into several segments (joined back in target order).

What Iris needs to recognise its export travels in attributes of its own namespace, where
the core schema accepts ``##other`` attributes: ``iris:job`` and ``iris:package`` on
``<file>``, ``iris:base`` (the export fingerprint of the target) and ``iris:baseState``
(the state the export wrote, which tells a state the reviewer changed from one left as
exported) on ``<unit>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from lxml import etree

from iris.docx import TagError, TagToken, TokenKind, escape_text, tag_text, tokenize
from iris.review.package import (
    Note,
    PackageError,
    ReadPackage,
    ReadUnit,
    ReviewPackage,
    ReviewState,
    ReviewUnit,
    review_state,
    unit_key,
    unit_name,
)

__all__ = ["IRIS_NS", "XLIFF_NS", "read_xliff", "validate_xliff", "write_xliff"]

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
IRIS_NS = "urn:iris:review:1"
_XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_IRIS_JOB = f"{{{IRIS_NS}}}job"
_IRIS_PACKAGE = f"{{{IRIS_NS}}}package"
_IRIS_BASE = f"{{{IRIS_NS}}}base"
_IRIS_BASE_STATE = f"{{{IRIS_NS}}}baseState"
_COMMENT = "comment"  # the note category of the reviewer's comment
_SCHEMA = Path(__file__).with_name("schemas") / "xliff_core_2.0.xsd"

# XML 1.0 Char: what a document (this file, and the .docx the target ends up in) can hold.
_LEGAL = "\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
_LEGAL_OR_NOT_RE = re.compile(f"([{_LEGAL}]+)|(.)", re.DOTALL)
_ILLEGAL_RE = re.compile(f"[^{_LEGAL}]")
# Whitespace a tool may collapse unless xml:space="preserve" says it matters.
_FRAGILE_SPACE_RE = re.compile(r"^[ \t\r\n]|[ \t\r\n]$|[ \t\r\n]{2}|[\t\r\n]")
# What a reader collapses to one space where xml:space="preserve" is not in effect.
_SPACE_RUN_RE = re.compile(r"[ \t\r\n]+")
_TAG_NUMBER_RE = re.compile(r"[1-9][0-9]*")
_STATE_ORDER = list(ReviewState)  # initial < translated < reviewed < final
# lxml-stubs type nsmap keys as str; lxml takes None for the default namespace.
_NSMAP: Any = {None: XLIFF_NS, "iris": IRIS_NS}
_STATES = frozenset(state.value for state in ReviewState)


def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


_SEGMENT, _IGNORABLE, _SOURCE, _TARGET = _q("segment"), _q("ignorable"), _q("source"), _q("target")


# --- writing ------------------------------------------------------------------------------


def write_xliff(package: ReviewPackage) -> bytes:
    """The package as an XLIFF 2.1 document (UTF-8, valid against the core schema).

    One ``<file>``, one ``<unit id="s{key}">`` per unit with its notes and the reviewer's
    comment (a note of category "comment"), one ``<segment state=…>`` holding source and
    target; the target is left out when it is empty and the state is initial.  Characters
    XML cannot hold (none occur in well-formed Iris text) are written as ``<cp hex=…/>`` in
    source and target and as U+FFFD in attributes and notes.  Raises ValueError for a
    package without units (the schema needs one) or a unit whose text or notes Iris could
    not have produced (malformed tags, a note priority outside 1–10).
    """
    if not package.units:
        raise ValueError("A review package needs at least one unit.")
    root = etree.Element(_q("xliff"), nsmap=_NSMAP)
    root.set("version", "2.1")
    root.set("srcLang", _xml_safe(package.source_lang))
    root.set("trgLang", _xml_safe(package.target_lang))
    file = etree.SubElement(root, _q("file"), id="f1", original=_xml_safe(package.original))
    file.set(_IRIS_JOB, _xml_safe(package.job))
    file.set(_IRIS_PACKAGE, _xml_safe(package.package))
    contents: list[tuple[etree._Element, list[TagToken]]] = []
    for unit in package.units:
        contents += _write_unit(file, unit)
    # Indent the structure while source and target are still empty: whitespace added
    # inside them would become part of the text.
    etree.indent(root)
    for element, tokens in contents:
        _write_inline(element, tokens)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _write_unit(
    parent: etree._Element, unit: ReviewUnit
) -> list[tuple[etree._Element, list[TagToken]]]:
    """Write the unit's structure; return its source and target with their tokens."""
    name = unit_name(unit.key)
    element = etree.SubElement(parent, _q("unit"), id=name, name=_xml_safe(unit.name))
    element.set(_IRIS_BASE, unit.base)
    state = ReviewState(unit.state)
    element.set(_IRIS_BASE_STATE, state.value)
    _write_notes(element, unit.notes, unit.comment)
    segment = etree.SubElement(element, _SEGMENT, state=state.value)
    contents = [(etree.SubElement(segment, _SOURCE), _tokens(unit.source, name))]
    if unit.target or state != ReviewState.INITIAL:
        contents.append((etree.SubElement(segment, _TARGET), _tokens(unit.target, name)))
    return contents


def _tokens(tagged: str, name: str) -> list[TagToken]:
    try:
        return tokenize(tagged, require_balanced=True)
    except TagError as error:
        raise ValueError(f"Unit {name} has malformed tags: {error}") from error


def _write_notes(unit: etree._Element, notes: tuple[Note, ...], comment: str) -> None:
    if not notes and not comment:
        return  # <notes> must hold at least one <note>
    container = etree.SubElement(unit, _q("notes"))
    for note in notes:
        if not 1 <= note.priority <= 10:
            raise ValueError(f"Note priority {note.priority} is outside XLIFF's 1–10.")
        element = etree.SubElement(container, _q("note"), category=_xml_safe(note.category))
        element.set("priority", str(note.priority))
        element.text = _xml_safe(note.text)
    if comment:
        etree.SubElement(container, _q("note"), category=_COMMENT).text = _xml_safe(comment)


def _write_inline(element: etree._Element, tokens: list[TagToken]) -> None:
    plain = "".join(token.text for token in tokens if token.kind == "text")
    if _FRAGILE_SPACE_RE.search(plain):
        element.set(_XML_SPACE, "preserve")
    stack = [element]
    for token in tokens:
        if token.kind == "text":
            _append_text(stack[-1], token.text)
        elif token.kind == "open":
            stack.append(etree.SubElement(stack[-1], _q("pc"), id=str(token.id)))
        elif token.kind == "close":
            stack.pop()
        else:
            etree.SubElement(stack[-1], _q("ph"), id=str(token.id))


def _append_text(parent: etree._Element, text: str) -> None:
    """Append ``text`` after the last child of ``parent``; characters XML 1.0 cannot hold
    become ``<cp>`` elements, XLIFF's way to carry them."""
    for match in _LEGAL_OR_NOT_RE.finditer(text):
        legal, illegal = match.groups()
        if illegal is not None:
            etree.SubElement(parent, _q("cp"), hex=f"{ord(illegal):04X}")
        elif len(parent):
            parent[-1].tail = (parent[-1].tail or "") + legal
        else:
            parent.text = (parent.text or "") + legal


def _xml_safe(text: str) -> str:
    """Attribute values and notes cannot use ``<cp>``; they are for display only."""
    return _ILLEGAL_RE.sub("\ufffd", text)


# --- reading ------------------------------------------------------------------------------


def read_xliff(data: bytes) -> ReadPackage:
    """Read a reviewer's XLIFF 2 file.

    Raises `PackageError` when the data is not well-formed XML, declares a DTD, is not
    XLIFF 2.x (an XLIFF 1.2 file is named as such) or does not hold exactly one
    ``<file>``.  Everything else is reported per unit in `ReadUnit.problem`: an unknown
    inline element or inline id, an unknown state, a state that claims a translation
    without a target, a split unit only partly translated.  The file is not checked
    against the schema here; `validate_xliff` does that.
    """
    root = _parse(data)
    _require_xliff2(root)
    file = _only_file(root)
    return ReadPackage(
        job=file.get(_IRIS_JOB),
        package=file.get(_IRIS_PACKAGE),
        source_lang=root.get("srcLang"),
        target_lang=root.get("trgLang"),
        units=[_read_unit(unit) for unit in file.iter(_q("unit"))],
    )


def _parser() -> etree.XMLParser:
    """Hostile uploads: no network, no DTD, no entity expansion, libxml2's size limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _parse(data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise PackageError(f"The file is not well-formed XML ({error.msg}).") from None
    info = root.getroottree().docinfo
    # lxml reports an internal subset for every DOCTYPE, even one without brackets.
    if info.internalDTD is not None or info.externalDTD is not None:
        raise PackageError("The file declares a DTD, which a review file must not have.")
    return root


def _require_xliff2(root: etree._Element) -> None:
    name = etree.QName(root)
    version = root.get("version", "")
    if name.localname == "xliff" and (name.namespace == _XLIFF12_NS or version.startswith("1.")):
        raise PackageError(
            f"The file is XLIFF {version or '1.x'}; Iris needs XLIFF 2.x (2.0 or 2.1)."
        )
    if name.namespace != XLIFF_NS or name.localname != "xliff":
        raise PackageError(f"The file is not XLIFF 2: its root element is {name.text!r}.")
    if not version.startswith("2."):
        raise PackageError(f"The file says XLIFF version {version!r}; Iris needs XLIFF 2.x.")


def _only_file(root: etree._Element) -> etree._Element:
    files = root.findall(_q("file"))
    if not files:
        raise PackageError("The file has no <file> element, so it holds no units.")
    if len(files) > 1:
        raise PackageError(
            f"The file holds {len(files)} <file> elements; an Iris review package has one."
        )
    return files[0]


def _read_unit(unit: etree._Element) -> ReadUnit:
    raw_id = unit.get("id", "")
    label = repr(raw_id) if raw_id else "without id"
    problems: list[str] = []
    state = _read_state(unit, label, problems)
    target = _read_target(unit, state, label, problems)
    return ReadUnit(
        key=unit_key(raw_id),
        raw_id=raw_id,
        target=target,
        state=state,
        base=unit.get(_IRIS_BASE),
        comment=_read_comment(unit),
        problem=" ".join(problems) or None,
        base_state=review_state(unit.get(_IRIS_BASE_STATE)),
    )


def _read_state(unit: etree._Element, label: str, problems: list[str]) -> ReviewState | None:
    """The lowest state of the unit's segments; None when one has none or an unknown one."""
    values = [segment.get("state") for segment in unit.findall(_SEGMENT)]
    for value in values:
        if value is not None and value not in _STATES:
            problems.append(f"Unit {label} has the unknown state {value!r}.")
            return None
    if not values or None in values:
        return None
    return min((ReviewState(value) for value in values if value), key=_STATE_ORDER.index)


def _read_comment(unit: etree._Element) -> str:
    notes = unit.findall(f"{_q('notes')}/{_q('note')}")
    comments = [
        "".join(str(part) for part in n.itertext()) for n in notes if n.get("category") == _COMMENT
    ]
    return "\n".join(comments)


def _read_target(
    unit: etree._Element, state: ReviewState | None, label: str, problems: list[str]
) -> str | None:
    segments = unit.findall(_SEGMENT)
    with_target = [segment for segment in segments if segment.find(_TARGET) is not None]
    if not segments:
        problems.append(f"Unit {label} has no <segment>.")
        return None
    if not with_target:
        if state not in (None, ReviewState.INITIAL):
            problems.append(f"Unit {label} is marked {state} but has no target.")
        return None
    if len(with_target) < len(segments):
        problems.append(
            f"Unit {label} was split into {len(segments)} segments"
            " and only some of them have a target."
        )
        return None
    return "".join(
        _inline_text(part, label, problems) for part in _target_parts(unit, label, problems)
    )


def _target_parts(unit: etree._Element, label: str, problems: list[str]) -> list[etree._Element]:
    """The unit's target content in order: each segment's target, and each ignorable's
    target or, without one, its source (the whitespace a tool left between segments),
    placed by the targets' ``order`` attribute where a tool reordered them."""
    parts = [child for child in unit if child.tag in (_SEGMENT, _IGNORABLE)]
    placed: dict[int, etree._Element] = {}
    for position, part in enumerate(parts, start=1):
        content = part.find(_TARGET)
        if content is None:
            content = part.find(_SOURCE)
        if content is None:
            continue
        order = content.get("order", str(position)) if content.tag == _TARGET else str(position)
        slot = int(order) if _TAG_NUMBER_RE.fullmatch(order) else 0
        if slot in placed or not 1 <= slot <= len(parts):
            problems.append(f"Unit {label} has segments whose target order is inconsistent.")
            return []
        placed[slot] = content
    return [placed[slot] for slot in sorted(placed)]


def _inline_text(element: etree._Element, label: str, problems: list[str]) -> str:
    """Iris tagged text of a ``<target>``'s inline content.

    Whitespace is XML's: where ``xml:space="preserve"`` is not in effect (set on the
    element or inherited from an ancestor), each run of spaces, tabs and line ends is
    one space, so that a tool that wraps or indents text changes nothing. The export
    writes ``preserve`` wherever Iris's own text needs it (`_write_inline`)."""
    preserve = False
    for node in reversed([element, *element.iterancestors()]):
        preserve = _preserves(node, preserve)
    return "".join(_inline_pieces(element, label, problems, preserve))


def _preserves(element: etree._Element, inherited: bool) -> bool:
    """Whether ``xml:space="preserve"`` is in effect on ``element``, whose parent has
    ``inherited``."""
    value = element.get(_XML_SPACE)
    return inherited if value is None else value == "preserve"


def _spaced(text: str, preserve: bool) -> str:
    return escape_text(text if preserve else _SPACE_RUN_RE.sub(" ", text))


def _inline_pieces(
    element: etree._Element, label: str, problems: list[str], preserve: bool
) -> Iterator[str]:
    if element.text:
        yield _spaced(element.text, preserve)
    for child in element:
        yield from _child_pieces(child, label, problems, _preserves(child, preserve))
        if child.tail:
            yield _spaced(child.tail, preserve)


_XLIFF_KINDS: dict[str, TokenKind] = {"ph": "standalone", "sc": "open", "ec": "close"}


def _child_pieces(
    child: etree._Element, label: str, problems: list[str], preserve: bool
) -> Iterator[str]:
    name = etree.QName(child)
    kind = name.localname if name.namespace == XLIFF_NS else None
    if kind in ("pc", "ph", "sc", "ec"):
        number = _tag_number(child, label, problems)
        if number is not None and kind == "pc":
            yield tag_text("open", number)
            yield from _inline_pieces(child, label, problems, preserve)
            yield tag_text("close", number)
        elif number is not None:
            yield tag_text(_XLIFF_KINDS[kind], number)
    elif kind == "mrk":  # an annotation: its content is target text, the marker is not
        yield from _inline_pieces(child, label, problems, preserve)
    elif kind == "cp":
        yield escape_text(_code_point(child, label, problems))
    elif kind not in ("sm", "em"):
        problems.append(f"Unit {label} has an unknown inline element <{name.text}> in its target.")


def _tag_number(element: etree._Element, label: str, problems: list[str]) -> int | None:
    """The Iris tag number an inline code carries: its id, or for an ``<ec>`` the id of
    the ``<sc>`` it ends (``startRef``; an isolated ``<ec>`` has its own id)."""
    kind = etree.QName(element).localname
    attribute = "startRef" if kind == "ec" and element.get("startRef") is not None else "id"
    value = element.get(attribute)
    if value is not None and _TAG_NUMBER_RE.fullmatch(value):
        return int(value)
    problems.append(
        f"Unit {label} has <{kind} {attribute}={value!r}> in its target;"
        " Iris needs a positive number without leading zeros."
    )
    return None


def _code_point(element: etree._Element, label: str, problems: list[str]) -> str:
    value = element.get("hex", "")
    code = int(value, 16) if re.fullmatch(r"[0-9A-Fa-f]{1,6}", value) else -1
    character = chr(code) if 0 <= code <= 0x10FFFF else ""
    if not character or _ILLEGAL_RE.match(character):
        problems.append(f"Unit {label} has <cp hex={value!r}>, a character a document cannot hold.")
        return ""
    return character


# --- validation ---------------------------------------------------------------------------


def validate_xliff(data: bytes) -> list[str]:
    """Errors of ``data`` against the XLIFF 2 core schema, one message each; ``[]`` means
    valid.  Data that cannot be parsed (not XML, a DTD) gives that one message."""
    try:
        root = _parse(data)
    except PackageError as error:
        return [str(error)]
    # A validator keeps its error log: one per call keeps concurrent calls apart.
    schema = etree.XMLSchema(_schema_document())
    if schema.validate(root):
        return []
    entries = cast(Iterable[Any], schema.error_log)  # lxml-stubs declare the log empty
    return [f"Line {error.line}: {error.message}" for error in entries]


def _schema_document() -> etree._ElementTree:
    # Parsed from its path so that the import of xml.xsd resolves next to it, offline.
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.parse(str(_SCHEMA), parser)
