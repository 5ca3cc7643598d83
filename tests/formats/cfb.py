"""A minimal writer of OLE compound files (CFB v3) for tests.

olefile only reads, and the CFB files the tests need (an Excel-like workbook, a .doc
whose Word stream is garbage) cannot be produced by LibreOffice Writer. The layout is
the smallest one every reader accepts: one FAT sector, one directory sector, and each
stream padded with zeros to the 4096-byte mini-stream cutoff (streams shorter than the
cutoff would live in the mini stream), so no mini FAT is needed.
"""

from __future__ import annotations

import struct

MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
SECTOR = 512
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")
_ROOT, _STREAM = 5, 2


def cfb_file(streams: dict[str, bytes]) -> bytes:
    """A compound file whose root storage holds ``streams`` (name → content), at most 3."""
    if len(streams) > 3:
        raise ValueError("one directory sector holds the root entry and three streams")
    names = sorted(streams, key=lambda name: (len(name), name.upper()))  # CFB's sibling order
    fat = [FAT_SECTOR, END_OF_CHAIN]
    entries, data = [], b""
    for index, name in enumerate(names, start=1):
        content = streams[name].ljust(MINI_CUTOFF, b"\0")
        size = len(content)
        content = content.ljust(-(-size // SECTOR) * SECTOR, b"\0")
        start, count = len(fat), len(content) // SECTOR
        fat += [*range(start + 1, start + count), END_OF_CHAIN]
        right = index + 1 if index < len(names) else NO_STREAM
        entries.append(_entry(name, _STREAM, start, size, right=right))
        data += content
    if len(fat) > SECTOR // 4:
        raise ValueError("streams too large for one FAT sector")
    root = _entry("Root Entry", _ROOT, END_OF_CHAIN, 0, child=1 if names else NO_STREAM)
    directory = b"".join([root, *entries]).ljust(SECTOR, b"\0")
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *fat, *[FREE] * (SECTOR // 4 - len(fat)))
    return _header() + fat_sector + directory + data


def _header() -> bytes:
    difat = struct.pack("<109I", 0, *[FREE] * 108)  # the one FAT sector is sector 0
    fields = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        MAGIC,
        bytes(16),
        0x3E,  # minor version
        3,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift (512)
        6,  # mini sector shift (64)
        bytes(6),
        0,  # directory sectors (always 0 in v3)
        1,  # FAT sectors
        1,  # first directory sector
        0,
        MINI_CUTOFF,
        END_OF_CHAIN,  # no mini FAT
        0,
        END_OF_CHAIN,  # no DIFAT sectors
        0,
    )
    return fields + difat


def _entry(
    name: str, kind: int, start: int, size: int, *, right: int = NO_STREAM, child: int = NO_STREAM
) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    black = 1
    return _ENTRY.pack(
        encoded, len(encoded), kind, black, NO_STREAM, right, child, bytes(16), 0, 0, 0, start, size
    )
