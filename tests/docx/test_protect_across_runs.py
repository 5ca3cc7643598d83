"""Protected text (URLs, e-mail addresses, template placeholders) split across runs of
different formatting is one placeholder: the engine never sees its pieces, and the
translated document has the span's characters unchanged, each in its own formatting."""

from __future__ import annotations

import pytest
from lxml import etree

from iris.docx import compare
from iris.docx.text.pseudo import pseudo_targets
from tests.docx.builders import W, body_of, make_docx, p, r, texts, translate, units_by_id
from tests.docx.conftest import corpus_files, require_corpus

BOLD, ITALIC = "<w:b/>", "<w:i/>"
LINK = '<w:hyperlink r:id="rIdLink" w:history="1">{}</w:hyperlink>'
UNIT = "word/document.xml#p0.s0"

# One of each kind protect.py knows.
SPANS = [
    "https://example.org/a_b?c=1",
    "ftp://files.example.net/x",
    "www.example.com/docs",
    "adm_name@mail.ru",
    "{{ user.name }}",
    "{% if paid %}",
    "{# note #}",
    "${HOME}",
    "%(count)d",
    "%1$s",
    "%s",
    "{0}",
    "{name}",
    "{0:N2}",
]

Formatted = list[tuple[str, bool, bool]]  # character, bold, italic


def characters(paragraph: etree._Element) -> Formatted:
    """Every character of the paragraph's runs with its bold and italic flags."""
    out: Formatted = []
    for run in paragraph.iter(f"{{{W}}}r"):
        rpr = run.find(f"{{{W}}}rPr")
        bold = rpr is not None and rpr.find(f"{{{W}}}b") is not None
        italic = rpr is not None and rpr.find(f"{{{W}}}i") is not None
        for t in run.iter(f"{{{W}}}t"):
            out.extend((c, bold, italic) for c in t.text or "")
    return out


def pseudo_round_trip(data: bytes) -> tuple[str, bytes]:
    """The first unit's tagged source and the pseudo-translated document."""
    units = units_by_id(data)
    output = translate(data, pseudo_targets(units.values()))
    return units[UNIT].source, output


def located(found: Formatted, span: str) -> Formatted:
    text = "".join(c for c, _, _ in found)
    assert text.count(span) == 1, f"{span!r} not kept verbatim in {text!r}"
    start = text.index(span)
    return found[start : start + len(span)]


@pytest.mark.parametrize("span", SPANS)
def test_a_span_split_in_two_formattings_at_any_position_is_kept(span: str) -> None:
    for cut in range(1, len(span)):
        runs = r("Write ") + r(span[:cut], BOLD) + r(span[cut:], ITALIC) + r(" today.")
        data = make_docx(p(runs))
        source, output = pseudo_round_trip(data)
        assert source == "Write <x1/> today.", (cut, source)
        (paragraph,) = body_of(output).iter(f"{{{W}}}p")
        found = characters(paragraph)
        expected = [(c, i < cut, i >= cut) for i, c in enumerate(span)]
        assert located(found, span) == expected, cut
        assert "Write" not in "".join(c for c, _, _ in found), "the rest is not translated"
        assert compare(data, output).clean, cut


def test_an_address_in_seven_runs_inside_a_hyperlink_is_one_placeholder() -> None:
    pieces = ["adm", "_", "name", "@", "mail", ".", "ru"]
    link = "".join(r(piece, BOLD if i % 2 else "") for i, piece in enumerate(pieces))
    body = p(r("Write to ") + LINK.format(link) + r(" for help."))
    data = make_docx(body, links={"rIdLink": "mailto:adm_name@mail.ru"})
    unit = units_by_id(data)[UNIT]
    assert unit.source == "Write to <g1><x2/></g1> for help."
    assert unit.tags == {1: "link", 2: "placeholder"}
    assert unit.plain == "Write to adm_name@mail.ru for help."
    _, output = pseudo_round_trip(data)
    (hyperlink,) = body_of(output).iter(f"{{{W}}}hyperlink")
    expected = [(c, i % 2 == 1, False) for i, piece in enumerate(pieces) for c in piece]
    assert characters(hyperlink) == expected
    assert compare(data, output).clean


def test_an_engine_that_moves_the_placeholder_cannot_split_the_span() -> None:
    runs = r("See ") + r("{{ first", BOLD) + r("_name }}", ITALIC) + r(" and more.")
    data = make_docx(p(runs))
    assert units_by_id(data)[UNIT].source == "See <x1/> and more."
    output = translate(data, {UNIT: "Und mehr, siehe <x1/>."})
    (paragraph,) = body_of(output).iter(f"{{{W}}}p")
    assert "".join(c for c, _, _ in characters(paragraph)) == "Und mehr, siehe {{ first_name }}."
    found = located(characters(paragraph), "{{ first_name }}")
    assert [(b, i) for _, b, i in found] == [(True, False)] * 8 + [(False, True)] * 8


def test_text_around_a_split_span_is_translated_and_only_the_span_is_protected() -> None:
    runs = r("Mail ") + r("info@", BOLD) + r("example.org", ITALIC) + r(" or call us.")
    data = make_docx(p(runs))
    unit = units_by_id(data)[UNIT]
    assert unit.source == "Mail <x1/> or call us."
    assert unit.translatable


def test_a_span_may_begin_or_end_inside_a_run_of_ordinary_text() -> None:
    runs = r("Open https://exa") + r("mple.org/", ITALIC) + r("x now.")
    data = make_docx(p(runs))
    assert units_by_id(data)[UNIT].source == "Open <x1/> now."
    output = translate(data, {UNIT: "Öffne <x1/> jetzt."})
    (paragraph,) = body_of(output).iter(f"{{{W}}}p")
    found = characters(paragraph)
    assert "".join(c for c, _, _ in found) == "Öffne https://example.org/x jetzt."
    flags = [italic for _, _, italic in located(found, "https://example.org/x")]
    assert flags == [False] * 11 + [True] * 9 + [False]
    assert compare(data, output).clean


def test_a_corpus_address_in_seventeen_coloured_runs_is_kept() -> None:
    """A source-code comment whose URL alternates two colours (``http://apache`` ``-``
    ``fop…/Auto`` ``-`` ``size`` …, 17 runs)."""
    path = next((f for f in corpus_files() if f.name == "docx4j__headers_footers.docx"), None)
    data = require_corpus(path).read_bytes()
    (unit,) = [u for u in units_by_id(data).values() if "nabble.com" in u.plain]
    assert unit.source == " * automatically: <x1/> "
    output = translate(data, pseudo_targets(units_by_id(data).values()))
    before, after = (coloured(paragraph_with(d, "nabble.com")) for d in (data, output))
    assert "automatically" not in "".join(c for c, _ in after)
    assert located_coloured(after, URL) == located_coloured(before, URL)
    assert len({colour for _, colour in located_coloured(before, URL)}) == 2
    assert compare(data, output).clean


URL = "http://apache-fop.1065347.n5.nabble.com/Auto-size-header-to-fit-with-content-td4455.html"


def paragraph_with(data: bytes, text: str) -> etree._Element:
    found = [p for p in body_of(data).iter(f"{{{W}}}p") if text in texts(p)]
    return found[0]


def coloured(paragraph: etree._Element) -> list[tuple[str, str]]:
    """Every character of the paragraph's runs with its colour."""
    out: list[tuple[str, str]] = []
    for run in paragraph.iter(f"{{{W}}}r"):
        colour = run.find(f"{{{W}}}rPr/{{{W}}}color")
        value = "" if colour is None else colour.get(f"{{{W}}}val", "")
        for t in run.iter(f"{{{W}}}t"):
            out.extend((c, value) for c in t.text or "")
    return out


def located_coloured(found: list[tuple[str, str]], span: str) -> list[tuple[str, str]]:
    text = "".join(c for c, _ in found)
    assert text.count(span) == 1, f"{span!r} not kept verbatim in {text!r}"
    start = text.index(span)
    return found[start : start + len(span)]
