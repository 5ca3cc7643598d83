"""Safety limits for untrusted .docx packages and the checks that enforce them.

The checks here look only at the zip directory (names, declared sizes, offsets);
:func:`iris.docx.opc.zipio.inflate` then refuses to produce more bytes than an entry
declares, because a hostile archive can declare sizes its data does not honour.

Zip bombs are decided by absolute limits on what would be unpacked (per part and in
total), never by compression ratio: a legitimately repetitive document (one sentence
repeated over pages, a table of zeros) compresses as well as a bomb, and deflate's
ratio is bounded anyway (about 1,000:1), so the absolute limits are what bound the work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from iris.docx.errors import MalformedPackageError, UnsafePackageError
from iris.docx.opc.zipio import ZipEntry

__all__ = ["Limits", "check_entries", "check_name"]

MiB = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_STORED = 0
_DEFLATED = 8


@dataclass(frozen=True)
class Limits:
    """Bounds applied to every package opened; the defaults suit real Word documents."""

    max_total_uncompressed: int = 512 * MiB
    max_part_size: int = 128 * MiB
    max_parts: int = 2000
    max_input_size: int = 512 * MiB
    #: lift the XML parser's own bounds (a text node of 10 MB, nesting 256 deep): only
    #: for Iris's own output, whose text grew in translation but whose structure is the
    #: source's, which passed them
    huge_text: bool = False


def check_name(name: str) -> None:
    """Reject entry names that could escape a folder or alias another entry."""
    if not name:
        raise UnsafePackageError("The document contains a zip entry with an empty name.")
    bad = (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or _DRIVE.match(name) is not None
        or any(seg in ("..", ".") for seg in name.split("/"))
    )
    if bad:
        raise UnsafePackageError(
            f"The document contains a zip entry with an unsafe name ({name!r}); "
            "it was not produced by Word and cannot be opened."
        )


def check_entries(entries: Sequence[ZipEntry], input_size: int, limits: Limits) -> None:
    """Check names, count, declared sizes and overlaps of entries."""
    if len(entries) > limits.max_parts:
        raise UnsafePackageError(
            f"The document has {len(entries)} parts, more than the limit of {limits.max_parts}."
        )
    _check_unique_names(entries)
    for entry in entries:
        check_name(entry.name)
        _check_entry_size(entry, limits)
    _check_total(entries, limits)
    _check_layout(entries, input_size)


def _check_unique_names(entries: Sequence[ZipEntry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        # OPC part names compare case-insensitively, so "A.xml" and "a.xml" collide.
        key = entry.name.lower()
        if key in seen:
            raise UnsafePackageError(
                f"The document contains the zip entry {entry.name!r} twice; "
                "it was not produced by Word and cannot be opened."
            )
        seen.add(key)


def _check_entry_size(entry: ZipEntry, limits: Limits) -> None:
    if entry.compress_type not in (_STORED, _DEFLATED):
        raise MalformedPackageError(
            f"The part {entry.name!r} uses a zip compression method Word never writes; "
            "re-save the document in Word."
        )
    if entry.file_size > limits.max_part_size:
        raise UnsafePackageError(
            f"The part {entry.name!r} would expand to {entry.file_size} bytes, "
            f"more than the limit of {limits.max_part_size} bytes."
        )


def _check_total(entries: Sequence[ZipEntry], limits: Limits) -> None:
    total = sum(e.file_size for e in entries)
    if total > limits.max_total_uncompressed:
        raise UnsafePackageError(
            f"The document would expand to {total} bytes, "
            f"more than the limit of {limits.max_total_uncompressed} bytes."
        )


def _check_layout(entries: Sequence[ZipEntry], input_size: int) -> None:
    """Entries must lie inside the file and must not overlap (overlap = quoted-overlap bomb)."""
    ordered = sorted(entries, key=lambda e: e.header_offset)
    for entry, following in zip(ordered, [*ordered[1:], None], strict=True):
        end = entry.data_offset + entry.compress_size
        limit = following.header_offset if following is not None else input_size
        if end > input_size:
            raise MalformedPackageError(
                f"The document is truncated: the data of part {entry.name!r} is missing."
            )
        if end > limit:
            raise UnsafePackageError(
                "The document's zip entries overlap each other (a zip bomb technique); "
                "it cannot be opened."
            )
