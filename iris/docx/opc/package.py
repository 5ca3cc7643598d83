"""Safe reading and writing of the OPC (zip) package behind a .docx file.

:func:`open_package` checks the container before anything is decompressed (type
sniffing, entry names, declared sizes, ratios, overlaps, encryption, macros), then
checks every entry's local header name and streams its data once through zlib to
check its size and CRC (nothing is kept); parts are then decompressed lazily, with the
same bounds enforced on the real bytes.
XML parts are parsed without DTDs, entities or network access, and any DOCTYPE is
rejected. :meth:`Package.to_bytes` copies untouched entries' compressed bytes as
they are, so only the parts a caller modified are re-serialised and re-deflated.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from iris.docx.errors import (
    MacroEnabledError,
    MalformedPackageError,
    NotADocxError,
    UnsafePackageError,
)
from iris.docx.opc.limits import Limits, check_entries, check_name
from iris.docx.opc.zipio import (
    OutEntry,
    ZipEntry,
    ZipWriter,
    compress,
    inflate,
    inflate_head,
    raw_data,
    read_entries,
    read_source,
    sniff,
    verify,
)

__all__ = ["Limits", "Package", "Relationship", "open_package"]

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_REL_PREFIX = "http://purl.oclc.org/ooxml/"
CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"

_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
# Macro-enabled main types and the macro-free type each becomes once macros are stripped.
_MACRO_MAIN = {
    "application/vnd.ms-word.document.macroenabled.main+xml": _DOCUMENT_MAIN,
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": _TEMPLATE_MAIN,
}
_ACCEPTED_MAIN = {_DOCUMENT_MAIN, _TEMPLATE_MAIN, "application/xml", "text/xml"}
_PROLOG_SCAN = 1024 * 1024
_PROLOG_PEEK = 4096
_UTF16_MARKERS = (
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_VBA_TYPES = {"application/vnd.ms-office.vbaproject", "application/vnd.ms-word.vbadata+xml"}


@dataclass(frozen=True)
class Relationship:
    """One relationship; ``target`` is a part name for internal ones, verbatim if external."""

    id: str
    type: str
    target: str
    external: bool


def open_package(
    source: bytes | str | os.PathLike[str],
    *,
    limits: Limits | None = None,
    allow_macros: bool = False,
) -> Package:
    """Open a .docx package from bytes or a path, checking it against ``limits``.

    Raises a :class:`~iris.docx.errors.DocxError` subclass for anything that is not a
    safe, macro-free Word package. With ``allow_macros`` a macro-enabled package is
    accepted and its VBA project is stripped, so the written package is a plain .docx.
    """
    limits = limits or Limits()
    data = read_source(source, limits.max_input_size)
    sniff(data)
    entries = read_entries(data)
    check_entries(entries, len(data), limits)
    package = Package(data, entries, limits)
    package._check_data()
    package._check_prologs()
    package._check_word_package(allow_macros)
    return package


class _ContentTypes:
    """[Content_Types].xml: extension defaults and per-part overrides, case-insensitive."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for element in root:
            if element.tag == f"{{{CT_NS}}}Default":
                self.defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
            elif element.tag == f"{{{CT_NS}}}Override":
                key = _part_key(element.get("PartName", ""))
                self.overrides[key] = element.get("ContentType", "")

    def lookup(self, name: str) -> str | None:
        found = self.overrides.get(_part_key(name))
        if found is None and "." in posixpath.basename(name):
            found = self.defaults.get(name.rsplit(".", 1)[1].lower())
        return found


def _part_key(part_name: str) -> str:
    return unquote(part_name).lstrip("/").lower()


def rels_name(part: str) -> str:
    """Name of the relationships part of ``part`` ("" means the package itself)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _source_of_rels(name: str) -> str | None:
    folder, base = posixpath.split(name)
    if posixpath.basename(folder) != "_rels" or not base.lower().endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


class Package:
    """An opened OPC package: lazy, bounded part access and a faithful writer."""

    def __init__(self, data: bytes, entries: list[ZipEntry], limits: Limits) -> None:
        self.names: list[str] = [entry.name for entry in entries]
        self._data = data
        self._limits = limits
        self._entries = {entry.name: entry for entry in entries}
        self._by_lower = {name.lower(): name for name in self.names}
        self._parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=limits.huge_text,
            collect_ids=False,
        )
        self._trees: dict[str, etree._Element] = {}
        self._standalone: dict[str, bool | None] = {}
        self._modified: set[str] = set()
        self._replaced: dict[str, bytes] = {}
        self._rels: dict[str, list[Relationship]] = {}
        self._inflated = 0
        self._types: _ContentTypes | None = None
        self._main = ""
        self._main_rel_type = ""

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._by_lower.get(name.lower()) == name

    # -- reading ---------------------------------------------------------------

    def read(self, name: str) -> bytes:
        """Current bytes of part ``name`` (decompressed, bounded and CRC-checked)."""
        if name in self._replaced:
            return self._replaced[name]
        if name in self._modified:
            return self._serialise(name)
        entry = self._entry(name)
        raw = raw_data(entry, self._data)
        data = inflate(entry, raw)
        self._count(len(data))
        return data

    def _entry(self, name: str) -> ZipEntry:
        entry = self._entries.get(name)
        if entry is None or name not in self:
            raise MalformedPackageError(f"The document refers to a part {name!r} that is missing.")
        return entry

    def _count(self, size: int) -> None:
        self._inflated += size
        if self._inflated > self._limits.max_total_uncompressed:
            raise UnsafePackageError(
                "The document expands beyond the size limit of "
                f"{self._limits.max_total_uncompressed} bytes."
            )

    def xml(self, name: str) -> etree._Element:
        """Root element of XML part ``name``, parsed safely once and cached."""
        tree = self._trees.get(name)
        if tree is None:
            tree = self._parse(name, self.read(name))
            self._trees[name] = tree
        return tree

    def _parse(self, name: str, data: bytes) -> etree._Element:
        if _prolog_has_doctype(data):
            raise _dtd_error(name)
        try:
            root = etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError as exc:
            if getattr(exc, "code", None) == etree.ErrorTypes.ERR_RESOURCE_LIMIT:  # not in stubs
                raise UnsafePackageError(
                    f"The part {name!r} is beyond what Iris reads safely "
                    f"({_resource_limit(exc.msg)}); the document cannot be translated."
                ) from exc
            raise MalformedPackageError(
                f"The part {name!r} is not well-formed XML; re-save the document in Word."
            ) from exc
        info = root.getroottree().docinfo
        # lxml reports an internal subset for every DOCTYPE, even one without brackets.
        if info.internalDTD is not None or info.externalDTD is not None:
            raise _dtd_error(name)
        self._standalone[name] = info.standalone
        return root

    def content_type(self, name: str) -> str | None:
        """Content type of part ``name`` from [Content_Types].xml, or None if it has none."""
        return self._content_types().lookup(name)

    def _content_types(self) -> _ContentTypes:
        if CONTENT_TYPES not in self:
            raise NotADocxError(
                "The file is not a Word document (.docx): it has no [Content_Types].xml part."
            )
        if self._types is None:
            self._types = _ContentTypes(self.xml(CONTENT_TYPES))
        return self._types

    # -- relationships ---------------------------------------------------------

    def rels(self, part: str) -> list[Relationship]:
        """Relationships whose source is ``part`` ("" for the package), [] if none."""
        cached = self._rels.get(part)
        if cached is None:
            cached = self._load_rels(part)
            self._rels[part] = cached
        return cached

    def _load_rels(self, part: str) -> list[Relationship]:
        name = self._by_lower.get(rels_name(part).lower())
        if name is None:
            return []
        root = self.xml(name)
        return [
            self._relationship(part, el) for el in root if el.tag == f"{{{RELS_NS}}}Relationship"
        ]

    def _relationship(self, part: str, element: etree._Element) -> Relationship:
        rel_type, target = element.get("Type"), element.get("Target")
        if not rel_type or target is None:
            raise MalformedPackageError(
                f"A relationship of part {part or 'package'!r} lacks its type or target; "
                "re-save the document in Word."
            )
        external = (element.get("TargetMode") or "").lower() == "external"
        if not external:
            target = self._resolve(part, target)
        return Relationship(element.get("Id", ""), rel_type, target, external)

    def _resolve(self, source: str, target: str) -> str:
        path = target.split("#", 1)[0]
        if path.startswith("/"):
            joined = path.lstrip("/")
        else:
            joined = posixpath.join(posixpath.dirname(source), path)
        normal = posixpath.normpath(joined) if joined else "."
        if normal in (".", "..") or normal.startswith("../"):
            raise MalformedPackageError(
                f"A relationship of part {source or 'package'!r} points outside the document "
                f"({target!r}); re-save the document in Word."
            )
        for candidate in (unquote(normal), normal):
            found = self._by_lower.get(candidate.lower())
            if found is not None:
                return found
        return unquote(normal)

    def related(self, part: str, type_suffix: str) -> list[str]:
        """Existing internal targets of ``part`` whose type ends with "/" + ``type_suffix``.

        Works for Transitional and Strict (purl) relationship types alike; targets that
        name a missing part are skipped, as Word does when it repairs such a file.
        """
        wanted = "/" + type_suffix
        return [
            rel.target
            for rel in self.rels(part)
            if not rel.external and rel.type.endswith(wanted) and rel.target in self
        ]

    @property
    def main_part(self) -> str:
        """Name of the main document part (the package's officeDocument target)."""
        return self._main

    @property
    def is_strict(self) -> bool:
        """True for Strict OOXML (purl.oclc.org namespaces)."""
        if self._main_rel_type.startswith(STRICT_REL_PREFIX):
            return True
        return etree.QName(self.xml(self._main)).namespace == W_STRICT_NS

    # -- checks run by open_package -------------------------------------------

    def _check_data(self) -> None:
        """Check every entry against the directory (its local header's name, its data's
        real size and CRC): the parts Iris copies into the translation compressed as they
        are (pictures, thumbnails, embedded files) would otherwise carry damage or a lying
        header into it, found only by whoever opens the translation."""
        view = memoryview(self._data)
        for entry in self._entries.values():
            verify(entry, view[entry.data_offset : entry.data_offset + entry.compress_size])

    def _check_prologs(self) -> None:
        """Refuse a DOCTYPE in every XML part, parsed or not: a part Iris never parses is
        still copied into the translation, and its DTD would reach whoever opens that.
        Only the head of each part is decompressed: a few KiB, more only for a prolog
        that long."""
        for entry in self._entries.values():
            raw = raw_data(entry, self._data)
            for size in (_PROLOG_PEEK, _PROLOG_SCAN):
                head = inflate_head(entry, raw, size)
                found = _head_has_doctype(head, whole=len(head) >= entry.file_size)
                if found is not None:
                    break
            if found:
                raise _dtd_error(entry.name)
            if found is None:
                raise UnsafePackageError(
                    f"The part {entry.name!r} has more than {_PROLOG_SCAN} bytes before its "
                    "root element, which Word never writes; the document cannot be opened."
                )

    def _check_word_package(self, allow_macros: bool) -> None:
        types = self._content_types()
        self._find_main_part()
        main_type = (types.lookup(self._main) or "application/xml").lower()
        vba = self._vba_parts(types)
        if main_type in _MACRO_MAIN or vba:
            if not allow_macros:
                raise MacroEnabledError(
                    "The document contains macros (.docm), which are not translated; "
                    "save it as a plain Word document (.docx) without macros and "
                    "translate that."
                )
            self._strip_macros(types, vba, _MACRO_MAIN.get(main_type))
        elif main_type not in _ACCEPTED_MAIN:
            raise NotADocxError(
                f"The file is not a Word document: its main part is of type {main_type!r}."
            )

    def _find_main_part(self) -> None:
        for rel in self.rels(""):
            if rel.type.endswith("/officeDocument") and not rel.external and rel.target in self:
                self._main, self._main_rel_type = rel.target, rel.type
                return
        raise NotADocxError(
            "The file is not a Word document (.docx): it has no main document part."
        )

    def _vba_parts(self, types: _ContentTypes) -> set[str]:
        found = {
            name
            for name in self.names
            if (types.lookup(name) or "").lower() in _VBA_TYPES
            or posixpath.basename(name).lower() == "vbaproject.bin"
        }
        for name in list(found):
            found.update(rel.target for rel in self.rels(name) if not rel.external)
        return {name for name in found if name in self}

    # -- macro stripping -------------------------------------------------------

    def _strip_macros(self, types: _ContentTypes, vba: set[str], plain_type: str | None) -> None:
        doomed = vba | {n for n in (self._by_lower.get(rels_name(p).lower()) for p in vba) if n}
        for name in self.names:
            if _source_of_rels(name) is not None and name not in doomed:
                self._drop_relationships_to(name, doomed)
        self._drop_content_types(types, doomed, plain_type)
        for name in doomed:
            self.remove_part(name)

    def _drop_relationships_to(self, rels_part: str, doomed: set[str]) -> None:
        source = _source_of_rels(rels_part) or ""
        root = self.xml(rels_part)
        for element in list(root):
            target = element.get("Target")
            if (element.get("TargetMode") or "").lower() == "external" or target is None:
                continue
            if self._resolve(source, target) in doomed:
                root.remove(element)
                self.mark_modified(rels_part)

    def _drop_content_types(
        self, types: _ContentTypes, doomed: set[str], plain_type: str | None
    ) -> None:
        doomed_keys = {name.lower() for name in doomed}
        for element in list(types.root):
            if _declares_vba(element, doomed_keys):
                types.root.remove(element)
            elif _part_key(element.get("PartName", "")) == self._main.lower() and plain_type:
                element.set("ContentType", plain_type)
        self.mark_modified(CONTENT_TYPES)

    # -- changing ---------------------------------------------------------------

    def mark_modified(self, name: str) -> None:
        """Re-serialise the tree returned by ``xml(name)`` when the package is written."""
        self.xml(name)
        self._modified.add(name)
        self._replaced.pop(name, None)
        self._forget_derived()

    def _forget_derived(self) -> None:
        # Relationships and content types are derived from parts a caller may change.
        self._rels.clear()
        self._types = None

    def set_bytes(self, name: str, data: bytes) -> None:
        """Replace (or add, deflated, at the end) part ``name`` with ``data``."""
        check_name(name)
        if name not in self._entries and name not in self._replaced:
            self.names.append(name)
            self._by_lower[name.lower()] = name
        self._replaced[name] = data
        self._modified.discard(name)
        self._trees.pop(name, None)
        self._forget_derived()

    def remove_part(self, name: str) -> None:
        """Leave part ``name`` out of the written package."""
        if name in self.names:
            self.names.remove(name)
            self._by_lower.pop(name.lower(), None)
        for cache in (self._trees, self._replaced):
            cache.pop(name, None)
        self._modified.discard(name)
        self._forget_derived()

    # -- writing ----------------------------------------------------------------

    def _serialise(self, name: str) -> bytes:
        tree = self._trees[name].getroottree()
        standalone = self._standalone.get(name)
        # Serialise the tree, not the root, so processing instructions before the
        # root (e.g. <?mso-contentType?>) survive.
        if standalone is None:
            return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=standalone)

    def to_bytes(self) -> bytes:
        """The package as .docx bytes: entry order and compression kept, untouched
        entries copied compressed as they were, modified XML re-serialised."""
        writer = ZipWriter()
        for name in self.names:
            writer.add(*self._output(name))
        return writer.finish()

    def _output(self, name: str) -> tuple[OutEntry, bytes]:
        entry = self._entries.get(name)
        changed = name in self._modified or name in self._replaced
        if entry is not None and not changed:
            raw = raw_data(entry, self._data)
            return OutEntry.copy_of(entry), raw
        data = self.read(name)
        compress_type = entry.compress_type if entry is not None else zipfile.ZIP_DEFLATED
        return OutEntry.fresh(name, data, compress_type, entry), compress(data, compress_type)


def _declares_vba(element: etree._Element, doomed_keys: set[str]) -> bool:
    """True for an Override of a removed VBA part or a Default typing files as VBA."""
    if element.tag == f"{{{CT_NS}}}Override":
        return _part_key(element.get("PartName", "")) in doomed_keys
    return (element.get("ContentType") or "").lower() in _VBA_TYPES


def _prolog_has_doctype(data: bytes) -> bool:
    """True when a <!DOCTYPE appears before the root element (only PIs/comments may precede)."""
    return _prolog_doctype(_as_ascii_compatible(data)) is True


def _prolog_doctype(data: bytes) -> bool | None:
    """Whether the prolog of ``data`` declares a DOCTYPE; None when ``data`` ends before
    the prolog does (a head cut short)."""
    for position in _markup_starts(data):
        if data.startswith(b"<!DOCTYPE", position) or data.startswith(b"<!doctype", position):
            return True
        if not data.startswith((b"<?", b"<!--"), position):
            return False
    return None


def _head_has_doctype(head: bytes, whole: bool) -> bool | None:
    """For a part's first bytes (all of them when ``whole``): whether it is XML with a
    DOCTYPE; None when the head is too short to tell. A part that is not XML has none."""
    text = _as_ascii_compatible(head).removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if not text.startswith(b"<"):
        return False if text or whole else None
    found = _prolog_doctype(text)
    if found is None and whole:
        return False
    return found


def _as_ascii_compatible(data: bytes) -> bytes:
    """UTF-16 parts are transcoded (their head only) so the byte scan sees their markup."""
    head = data[:_PROLOG_SCAN]
    for marker, codec in _UTF16_MARKERS:
        if head.startswith(marker):
            return head.decode(codec, "ignore").encode("utf-8")
    return data


def _markup_starts(data: bytes) -> Iterator[int]:
    position = data.find(b"<")
    while position != -1:
        yield position
        closer = b"-->" if data.startswith(b"<!--", position) else b">"
        end = data.find(closer, position)
        if end == -1:
            return
        position = data.find(b"<", end)


def _resource_limit(message: str) -> str:
    """The parser's resource limit that a part exceeds, in a user's words."""
    if "Text node too long" in message:
        return "a text of more than 10,000,000 bytes in one piece"
    if "depth" in message:
        return "elements nested more than 256 deep"
    return message.split(",", 1)[0]


def _dtd_error(name: str) -> UnsafePackageError:
    return UnsafePackageError(
        f"The part {name!r} declares a DTD or entities, which Word never writes; "
        "the document cannot be opened."
    )
