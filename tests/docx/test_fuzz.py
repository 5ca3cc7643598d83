"""Mutated corpus documents never escape with anything but a DocxError, nor hang.

Three families of mutation, 2,300 cases in all, derandomised so CI is reproducible:
bytes changed inside one XML part (re-zipped), well-formed structural changes to
one XML part (elements deleted, duplicated, moved; attributes dropped or garbled),
and bytes flipped, inserted or cut anywhere in the zip file itself. Every case runs
the whole library path: open, extract units, apply an empty translation, re-open.
"""

from __future__ import annotations

import io
import signal
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from iris.docx import open_document
from iris.docx.errors import DocxError
from tests.docx.test_package import CORPUS

pytestmark = pytest.mark.slow

CASE_SECONDS = 5.0
INTERESTING = (
    b"<", b">", b"&", b"&amp;", b"&#0;", b"&#xD800;", b"\x00", b"\xff\xfe", b"]]>",
    b"<!DOCTYPE d [<!ENTITY e 'x'>]>", b"<![CDATA[x]]>", b"<?pi x?>", b"<!-- c -->",
    b'xml:space="preserve"', b'r:id="rId999"', b'w:val="0"', b"<w:t>", b"</w:t>",
    b"<w:r>", b"</w:p>", b"<w:tab/>", b"<w:fldChar w:fldCharType=\"begin\"/>",
    b'<w:footnoteReference w:id="99"/>', b"<w:hyperlink>", b"\xe2\x80\xae", b"\t\n",
)  # fmt: skip


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,  # the hard per-case limit is enforced by time_limit() instead
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class CaseTooSlowError(Exception):
    """A single fuzz case ran longer than CASE_SECONDS."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise CaseTooSlowError(f"case exceeded {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def exercise(data: bytes) -> None:
    """Run the whole library path; only DocxError may escape, and only from the input."""
    with time_limit(CASE_SECONDS):
        try:
            document = open_document(data)
            document.units()
            output = document.apply({}, "fr")
        except DocxError:
            return
        # What the library accepted and wrote must open again without complaint.
        open_document(output).units()


@cache
def corpus_bytes(index: int) -> bytes:
    return CORPUS[index].read_bytes()


@cache
def xml_parts(index: int) -> tuple[str, ...]:
    with zipfile.ZipFile(io.BytesIO(corpus_bytes(index))) as archive:
        names = archive.namelist()
    return tuple(name for name in names if name.endswith((".xml", ".rels")))


def rezip(index: int, name: str, content: bytes) -> bytes:
    """The corpus file with one part's content replaced, written by zipfile itself."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(corpus_bytes(index))) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            data = content if info.filename == name else source.read(info)
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


def read_part(index: int, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(corpus_bytes(index))) as archive:
        return archive.read(name)


# -- byte mutations ------------------------------------------------------------------

Edit = tuple[str, int, int]
edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "interesting"]),
        st.integers(min_value=0, max_value=2**32),  # a position, taken modulo the length
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=4,
)


def apply_edits(data: bytes, changes: list[Edit]) -> bytes:
    buffer = bytearray(data)
    for kind, where, value in changes:
        at = where % len(buffer) if buffer else 0
        if kind == "flip" and buffer:
            buffer[at] ^= value or 1
        elif kind == "set" and buffer:
            buffer[at] = value
        elif kind == "insert":
            buffer[at:at] = bytes([value])
        elif kind == "delete":
            del buffer[at : at + 1 + value % 64]
        else:
            buffer[at:at] = INTERESTING[value % len(INTERESTING)]
    return bytes(buffer)


part_choice = st.tuples(st.integers(0, len(CORPUS) - 1), st.integers(0, 10_000))


@fuzz_settings(800)
@given(choice=part_choice, changes=edits)
def test_byte_mutations_inside_an_xml_part(choice: tuple[int, int], changes: list[Edit]) -> None:
    index, which = choice
    names = xml_parts(index)
    name = names[which % len(names)]
    exercise(rezip(index, name, apply_edits(read_part(index, name), changes)))


# -- structural (well-formed) mutations ------------------------------------------------

Surgery = tuple[str, int, int]
surgeries = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "move", "drop-attribute", "garble", "text"]),
        st.integers(0, 100_000),
        st.integers(0, 100_000),
    ),
    min_size=1,
    max_size=3,
)


def operate(root: etree._Element, kind: str, first: int, second: int) -> None:
    """One well-formed change to the tree; the root itself is never removed or moved."""
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    target = elements[first % len(elements)]
    other = elements[second % len(elements)]
    parent = target.getparent()
    movable = parent is not None and target is not other and target not in other.iterancestors()
    if kind == "delete" and parent is not None:
        parent.remove(target)
    elif kind == "duplicate" and parent is not None:
        target.addnext(etree.fromstring(etree.tostring(target)))
    elif kind == "move" and movable:
        other.append(target)
    elif kind == "drop-attribute" and target.attrib:
        del target.attrib[next(iter(target.attrib))]
    elif kind == "garble" and target.attrib:
        target.set(next(iter(target.attrib)), "\u202e-1")
    elif kind == "text":
        target.text = "x" * (second % 300) + "\u00a0 "


@fuzz_settings(700)
@given(choice=part_choice, changes=surgeries)
def test_structural_mutations_of_an_xml_part(
    choice: tuple[int, int], changes: list[Surgery]
) -> None:
    index, which = choice
    names = xml_parts(index)
    name = names[which % len(names)]
    root = etree.fromstring(read_part(index, name))
    for kind, first, second in changes:
        operate(root, kind, first, second)
    exercise(rezip(index, name, etree.tostring(root, xml_declaration=True, encoding="UTF-8")))


# -- zip-structure mutations -----------------------------------------------------------


in_place_edits = st.lists(
    st.tuples(st.sampled_from(["flip", "set"]), st.integers(0, 2**32), st.integers(0, 255)),
    min_size=1,
    max_size=3,
)


@fuzz_settings(800)
@given(
    index=st.integers(0, len(CORPUS) - 1),
    mode=st.sampled_from(["anywhere", "directory", "truncate"]),
    changes=edits,
    in_place=in_place_edits,
    cut=st.integers(min_value=0, max_value=2**32),
)
def test_zip_structure_mutations(
    index: int, mode: str, changes: list[Edit], in_place: list[Edit], cut: int
) -> None:
    data = corpus_bytes(index)
    if mode == "anywhere":
        data = apply_edits(data, changes)
    elif mode == "directory":
        # In-place changes to the central directory: shifting it only yields "not a zip".
        start = data.find(b"PK\x01\x02")
        data = data[:start] + apply_edits(data[start:], in_place)
    else:
        data = data[: cut % (len(data) + 1)]
    exercise(data)
