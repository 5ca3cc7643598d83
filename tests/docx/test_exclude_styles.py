"""Paragraph and character styles named in `Policy.excluded_styles` are never extracted:
an excluded paragraph is left exactly as it is, an excluded run becomes a placeholder
inside its paragraph. Styles match by id or by name, case-insensitively, and a style
based on an excluded style is excluded too."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from iris.docx import Policy, open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import identity_differences
from iris.docx.verification.leftover import find_leftovers
from tests.docx.builders import DECLARATIONS, W, body_of, make_docx, p, r, read_part, xpath
from tests.docx.conftest import corpus_dir, require_corpus

STYLES = (
    f"<w:styles {DECLARATIONS}>"
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="HTMLPreformatted">'
    '<w:name w:val="HTML Preformatted"/><w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="CodePython"><w:name w:val="Code Python"/>'
    '<w:basedOn w:val="HTMLPreformatted"/></w:style>'
    '<w:style w:type="character" w:styleId="NoTranslate"><w:name w:val="Keep As Is"/>'
    "</w:style>"
    "</w:styles>"
)
BODY = (
    p(r("The printer prints the page."))
    + p(r("print(page) # prints the page"), '<w:pStyle w:val="HTMLPreformatted"/>')
    + p(r("for page in pages: print(page)"), '<w:pStyle w:val="CodePython"/>')
    + p(r("Call ") + r("print_page()", '<w:rStyle w:val="NoTranslate"/>') + r(" to print."))
)


def styled_docx(body: str = BODY) -> bytes:
    """A package whose styles part defines the styles the tests exclude."""
    source = zipfile.ZipFile(io.BytesIO(make_docx(body)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = STYLES.encode() if name == "word/styles.xml" else source.read(name)
            archive.writestr(name, data)
    return buffer.getvalue()


def sources(data: bytes, policy: Policy) -> list[str]:
    return [unit.source for unit in open_document(data, policy=policy).units()]


def pseudo(data: bytes, policy: Policy) -> bytes:
    document = open_document(data, policy=policy)
    return document.apply(pseudo_targets(document.units()), "de")


def test_styles_are_extracted_by_default() -> None:
    found = sources(styled_docx(), Policy())
    assert "print(page) # prints the page" in found
    assert "Call <g1>print_page()</g1> to print." in found


def test_excluded_paragraph_style_by_name_is_not_extracted() -> None:
    policy = Policy(excluded_styles=frozenset({"html preformatted"}))
    found = sources(styled_docx(), policy)
    assert found[0] == "The printer prints the page."
    assert not any("print(page)" in source for source in found)


def test_excluded_style_matches_its_id_too() -> None:
    policy = Policy(excluded_styles=frozenset({"HTMLPREFORMATTED", "notranslate"}))
    found = sources(styled_docx(), policy)
    assert not any("print(page)" in source for source in found)
    assert "Call <x1/> to print." in found


def test_a_style_based_on_an_excluded_style_is_excluded() -> None:
    policy = Policy(excluded_styles=frozenset({"HTML Preformatted"}))
    assert not any("for page in pages" in source for source in sources(styled_docx(), policy))
    only_derived = Policy(excluded_styles=frozenset({"Code Python"}))
    found = sources(styled_docx(), only_derived)
    assert "print(page) # prints the page" in found
    assert not any("for page in pages" in source for source in found)


def test_excluded_paragraphs_are_left_byte_identical() -> None:
    policy = Policy(excluded_styles=frozenset({"HTML Preformatted"}))
    data = styled_docx()
    before = list(body_of(data).iterchildren(f"{{{W}}}p"))
    after = list(body_of(pseudo(data, policy)).iterchildren(f"{{{W}}}p"))
    assert [etree.tostring(e) for e in after[1:3]] == [etree.tostring(e) for e in before[1:3]]
    assert etree.tostring(after[0]) != etree.tostring(before[0])


def test_excluded_character_style_is_a_placeholder_kept_in_its_run() -> None:
    policy = Policy(excluded_styles=frozenset({"Keep As Is"}))
    data = styled_docx()
    (unit,) = [u for u in open_document(data, policy=policy).units() if "Call" in u.source]
    assert unit.source == "Call <x1/> to print."
    assert unit.tags == {1: "excluded-style"}
    assert unit.words == 3
    output = open_document(data, policy=policy).apply({unit.id: "Rufe <x1/> auf."}, "de")
    runs = body_of(output).findall(f".//{{{W}}}r")
    styled = [run for run in runs if run.find(f".//{{{W}}}rStyle") is not None]
    assert [run.findtext(f"{{{W}}}t") for run in styled] == ["print_page()"]
    assert "".join(t.text or "" for t in body_of(output).iter(f"{{{W}}}t")).endswith(
        "Rufe print_page() auf."
    )


def test_identity_round_trip_holds_with_excluded_styles() -> None:
    policy = Policy(excluded_styles=frozenset({"HTML Preformatted", "NoTranslate"}))
    assert identity_differences(styled_docx(), policy) == []


def test_corpus_code_paragraphs_and_code_fragments_are_excluded() -> None:
    # oxmlsdk__bookmark.docx (the C# 3.0 specification) sets its listings in the
    # paragraph style "Code" and inline identifiers in the character style "Code fragment".
    path = corpus_dir() / "oxmlsdk__bookmark.docx"
    data = require_corpus(path if path.is_file() else None).read_bytes()
    policy = Policy(excluded_styles=frozenset({"Code", "code fragment"}))
    everything = open_document(data).units()
    kept = open_document(data, policy=policy).units()
    listing = "var i = 5;"
    assert any(listing in unit.source for unit in everything)
    assert not any(listing in unit.source for unit in kept)
    assert any("excluded-style" in unit.tags.values() for unit in kept)
    assert sum(u.words for u in kept) < sum(u.words for u in everything)
    assert identity_differences(data, policy) == []
    output = pseudo(data, policy)
    in_code = "//w:p[w:pPr/w:pStyle/@w:val='Code']"
    code = [etree.tostring(e) for e in xpath(read_part(data, "word/document.xml"), in_code)]
    after = [etree.tostring(e) for e in xpath(read_part(output, "word/document.xml"), in_code)]
    assert len(code) > 100
    assert after == code
    assert find_leftovers(data, output, policy) == []


def test_the_independent_source_left_check_leaves_excluded_text_alone() -> None:
    policy = Policy(excluded_styles=frozenset({"HTML Preformatted", "Keep As Is"}))
    data = styled_docx()
    assert find_leftovers(data, pseudo(data, policy), policy) == []
    everything = find_leftovers(data, pseudo(data, policy))
    assert {left.text for left in everything} >= {"print", "page", "for", "pages"}
