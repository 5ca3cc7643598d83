"""Damaged and hostile input: sniffing answers with a typed error, quickly, and reads little."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iris.docx.errors import DocxError
from iris.formats import SourceFormat, UnsupportedFormatError, sniff_format
from tests.formats.cfb import MAGIC, cfb_file


def odt_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


# A .doc-like compound file, an .odt-like zip and an RTF: the three parsers sniffing runs.
SEEDS = [
    cfb_file({"WordDocument": bytes.fromhex("eca5c100") + bytes(8), "1Table": b"\0" * 64}),
    odt_like(),
    b"{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0 Hello}",
]


@pytest.mark.parametrize("tail", [b"", b"/etc/passwd", bytes(600), b"\xff" * 5000])
def test_damaged_compound_file_is_refused_as_damaged(tail: bytes) -> None:
    # Short input after the magic must not be taken for a file name by olefile.
    with pytest.raises(UnsupportedFormatError, match="damaged Office 97-2003 file"):
        sniff_format(MAGIC + tail)


def test_huge_mimetype_entry_is_not_inflated() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"a" * 200_000_000)
    started = time.perf_counter()
    assert sniff_format(buffer.getvalue()) is SourceFormat.DOCX
    assert time.perf_counter() - started < 0.5


mutations = st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 255)), max_size=12)


@settings(max_examples=400, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(range(len(SEEDS))), changes=mutations, cut=st.integers(0, 20_000))
def test_mutated_input_gives_a_format_or_a_document_error(
    seed: int, changes: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(SEEDS[seed])
    for position, value in changes:
        data[position % len(data)] = value
    outcome = sniff_outcome(bytes(data[: max(cut, 8)]))
    # A format, or one of sniffing's own sentences: never a parser's exception or message.
    assert outcome in set(SourceFormat) or outcome.startswith("The file is")


def sniff_outcome(data: bytes) -> str:
    try:
        return sniff_format(data).value
    except DocxError as error:
        return str(error)


@pytest.mark.parametrize(
    ("mimetype", "named"),
    [
        ("application/vnd.oasis.opendocument.text", "an OpenDocument text (.odt)"),
        ("application/vnd.oasis.opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods)"),
    ],
)
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_an_odf_file_cut_short_is_refused_as_damaged_odf(
    mimetype: str, named: str, keep: float
) -> None:
    """Its central directory is gone, but its first entry still says what it was: the
    message names that, not "not a valid Word document (.docx)"."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>" * 400)
    data = buffer.getvalue()
    with pytest.raises(UnsupportedFormatError) as raised:
        sniff_format(data[: int(len(data) * keep)])
    assert str(raised.value) == (
        f"The file is {named} whose zip structure is damaged (cut short?); it cannot be read."
    )
