"""XLIFF whitespace as XML defines it: without xml:space="preserve" in effect (on the
element or an ancestor), a run of spaces, tabs and line ends in a target is one space,
so text a tool wrapped over lines reads back as one line; with it, every character
stays. Iris's export marks preserve where its own text needs it, so its round trips
stay exact."""

from __future__ import annotations

import pytest
from lxml import etree

from iris.review.package import ReviewPackage, ReviewState, ReviewUnit
from iris.review.xliff import XLIFF_NS, read_xliff, write_xliff

SPACE = "{http://www.w3.org/XML/1998/namespace}space"
WRAPPED = "Primer tiempo de respuesta\n          medio bajó"


def _package(*targets: str) -> ReviewPackage:
    units = [
        ReviewUnit(key, f"p{key}", "Source <g1>text</g1>", target, ReviewState.TRANSLATED)
        for key, target in enumerate(targets, start=1)
    ]
    return ReviewPackage("job", "package", "en", "es", "report.docx", units)


def _first(root: etree._Element, name: str) -> etree._Element:
    found = root if name == "xliff" else root.find(f".//{{{XLIFF_NS}}}{name}")
    assert found is not None
    return found


def _read_with(target_xml: str, where: str = "", value: str = "") -> str | None:
    """The target read back after a tool wrote ``target_xml`` as the first target's
    content (and xml:space=``value`` on the element ``where``, when given)."""
    root = etree.fromstring(write_xliff(_package("Tiempo")))
    target = _first(root, "target")
    content = etree.fromstring(f'<target xmlns="{XLIFF_NS}">{target_xml}</target>')
    target.text, target[:] = content.text, list(content)
    if where:
        _first(root, where).set(SPACE, value)
    return read_xliff(etree.tostring(root)).units[0].target


def test_text_a_tool_wrapped_over_lines_reads_as_one_line() -> None:
    assert _read_with(WRAPPED) == "Primer tiempo de respuesta medio bajó"


def test_runs_of_tabs_and_line_ends_inside_inline_codes_are_one_space() -> None:
    read = _read_with('Un <pc id="1">texto\t\r\n  largo</pc>  <ph id="2"/>\n fin')
    assert read == "Un <g1>texto largo</g1> <x2/> fin"


@pytest.mark.parametrize("where", ["target", "segment", "unit", "file", "xliff"])
def test_preserve_on_the_target_or_an_ancestor_keeps_every_character(where: str) -> None:
    assert _read_with(WRAPPED, where, "preserve") == WRAPPED


def test_default_on_the_target_overrides_an_ancestors_preserve() -> None:
    root = etree.fromstring(write_xliff(_package("Tiempo")))
    _first(root, "file").set(SPACE, "preserve")
    target = _first(root, "target")
    target.set(SPACE, "default")
    target.text = WRAPPED
    assert (
        read_xliff(etree.tostring(root)).units[0].target == "Primer tiempo de respuesta medio bajó"
    )


def test_iris_text_whose_whitespace_matters_is_written_preserve_and_reads_back_exactly() -> None:
    targets = (
        "línea\nsiguiente",
        "tab\there",
        "dos  espacios",
        " borde ",
        "a <x1/> b",
        "<g1>a </g1> b",
        "simple text",
    )
    read = read_xliff(write_xliff(_package(*targets)))
    assert [unit.target for unit in read.units] == list(targets)
