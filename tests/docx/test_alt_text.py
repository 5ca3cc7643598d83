"""Alt text and titles of pictures and shapes (``wp:docPr``, ``pic:cNvPr``, VML ``@alt``
and ``@title``) are ``alt_text`` units behind ``Policy.alt_text``; translations are
written back into the attributes."""

from __future__ import annotations

from iris.docx import Policy, UnitKind
from tests.docx.attribute_checks import assert_all_translated, corpus_file, pseudo_round_trip
from tests.docx.builders import NAMESPACES, make_docx, one, p, r, read_part, translate, units_by_id

V = NAMESPACES["v"]
WP = NAMESPACES["wp"]
PIC = NAMESPACES["pic"]
O_NS = "urn:schemas-microsoft-com:office:office"
PART = "word/document.xml"

PICTURE = (
    "<w:r><w:drawing><wp:inline>"
    '<wp:extent cx="100" cy="100"/>'
    '<wp:docPr id="1" name="Picture 1" descr="A red &amp; blue &quot;logo&quot;" '
    'title="Company logo"/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="logo.png" descr="A red &amp; blue '
    '&quot;logo&quot;"/><pic:cNvPicPr/></pic:nvPicPr></pic:pic>'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)
VML = (
    f'<w:r><w:pict xmlns:o="{O_NS}">'
    '<v:shape id="s1" style="width:10pt;height:10pt" alt="Sales chart for 2024" '
    'title="Sales">'
    '<v:imagedata r:id="rIdMissing" o:title="image001"/></v:shape></w:pict></w:r>'
)


def _document() -> bytes:
    return make_docx(p(r("Our logo: ") + PICTURE) + p(r("Chart: ") + VML))


def test_docpr_cnvpr_and_vml_alt_texts_are_units() -> None:
    units = units_by_id(_document())
    found = {uid: (u.kind, u.plain) for uid, u in units.items() if u.kind is UnitKind.ALT_TEXT}
    logo = (UnitKind.ALT_TEXT, 'A red & blue "logo"')
    assert found == {
        f"{PART}#docPr0@descr": logo,
        f"{PART}#docPr0@title": (UnitKind.ALT_TEXT, "Company logo"),
        f"{PART}#cNvPr0@descr": logo,
        f"{PART}#shape0@alt": (UnitKind.ALT_TEXT, "Sales chart for 2024"),
        f"{PART}#shape0@title": (UnitKind.ALT_TEXT, "Sales"),
    }
    descr = units[f"{PART}#docPr0@descr"]
    assert (descr.source, descr.tags, descr.words, descr.translatable) == (
        'A red &amp; blue "logo"',
        {},
        4,
        True,
    )


def test_translations_are_written_into_the_attributes_escaped_by_lxml() -> None:
    targets = {
        f"{PART}#docPr0@descr": 'Ein rotes &amp; blaues &lt;Logo&gt; "x"',
        f"{PART}#docPr0@title": "Firmenlogo",
        f"{PART}#shape0@alt": "Umsatzdiagramm\nfür 2024",
    }
    output = translate(_document(), targets)
    root = read_part(output, PART)
    doc_pr = one(root, f".//{{{WP}}}docPr")
    assert doc_pr.get("descr") == 'Ein rotes & blaues <Logo> "x"'
    assert (doc_pr.get("title"), doc_pr.get("name")) == ("Firmenlogo", "Picture 1")
    # A unit without a target keeps its source; the picture's file name is not alt text.
    c_nv_pr = one(root, f".//{{{PIC}}}cNvPr")
    assert (c_nv_pr.get("descr"), c_nv_pr.get("name")) == ('A red & blue "logo"', "logo.png")
    shape = one(root, f".//{{{V}}}shape")
    assert (shape.get("alt"), shape.get("title")) == ("Umsatzdiagramm\nfür 2024", "Sales")
    assert one(shape, f"{{{V}}}imagedata").get(f"{{{O_NS}}}title") == "image001"
    again = units_by_id(output)
    assert again[f"{PART}#shape0@alt"].plain == "Umsatzdiagramm\nfür 2024"


def test_switched_off_alt_texts_are_neither_units_nor_touched() -> None:
    data = _document()
    policy = Policy(alt_text=False)
    units = units_by_id(data, policy=policy)
    assert not [u for u in units.values() if u.kind is UnitKind.ALT_TEXT]
    output = translate(data, {f"{PART}#p0.s0": "Unser Logo: "}, policy=policy)
    doc_pr = one(read_part(output, PART), f".//{{{WP}}}docPr")
    assert doc_pr.get("descr") == 'A red & blue "logo"'


def test_file_names_and_paths_written_as_descriptions_are_not_translatable() -> None:
    pictures = "".join(
        PICTURE.replace('id="1" name="Picture 1"', f'id="{n}" name="P{n}"').replace(
            "A red &amp; blue &quot;logo&quot;", descr
        )
        for n, descr in enumerate(
            ["C:\\Users\\me\\logo.png", "mohr_result", "http://x.org/a.gif", "Table"], 1
        )
    )
    units = units_by_id(make_docx(p(pictures)))
    judged = {u.plain: u.translatable for u in units.values() if u.id.endswith("@descr")}
    assert judged == {
        "C:\\Users\\me\\logo.png": False,
        "mohr_result": False,
        "http://x.org/a.gif": False,
        "Table": True,
    }


def test_alt_text_of_a_deleted_picture_is_not_read_when_revisions_are_kept() -> None:
    deleted = f'<w:del w:id="1" w:author="a">{PICTURE}</w:del>'
    units = units_by_id(make_docx(p(r("Kept. ") + deleted)), policy=Policy(revisions="keep"))
    assert not [u for u in units.values() if u.kind is UnitKind.ALT_TEXT]


def test_generated_document_round_trips_and_translates_every_alt_text() -> None:
    assert_all_translated(pseudo_round_trip(_document(), {UnitKind.ALT_TEXT}))


def test_corpus_inline_images_alt_texts_and_titles_are_translated() -> None:
    """pandoc__inline_images.docx: two pictures with a description and a title each."""
    pairs = pseudo_round_trip(corpus_file("pandoc__inline_images.docx"), {UnitKind.ALT_TEXT})
    assert pairs[f"{PART}#docPr0@descr"][0] == "This one is green and looks like Sideshow Bob."
    assert pairs[f"{PART}#docPr1@title"][0] == "Second identicon"
    assert len(pairs) == 4
    assert_all_translated(pairs)


def test_corpus_real_descriptions_are_translated_and_paths_kept() -> None:
    """docx4j__sample-docx.docx: three pictures described in wp:docPr and pic:cNvPr, two
    of them by the picture's path or URL (as older Word wrote), one in words."""
    data = corpus_file("docx4j__sample-docx.docx")
    pairs = pseudo_round_trip(data, {UnitKind.ALT_TEXT})
    assert sorted(pairs) == [f"{PART}#cNvPr1@descr", f"{PART}#docPr1@descr"]
    assert pairs[f"{PART}#docPr1@descr"][0] == "Escher: Liberation"
    assert_all_translated(pairs)
    kept = [u for u in units_by_id(data).values() if u.kind is UnitKind.ALT_TEXT]
    assert (
        sorted(u.plain[:7] for u in kept if not u.translatable)
        == ["C:\\Docu"] * 2 + ["http://"] * 2
    )
