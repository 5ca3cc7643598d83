"""Tracked changes follow the policy. Default "accept": deleted text is never extracted
or written back, inserted text is ordinary text. "keep": deletions stay as they are,
insertions stay tracked with their text translated."""

from __future__ import annotations

from iris.docx import Policy
from iris.docx.verification.check import identity_differences
from tests.docx.builders import W, body_of, make_docx, p, r, translate, units_by_id

UNIT = "word/document.xml#p0.s0"
BODY = p(
    r("The price is ") + '<w:del w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
    '<w:delText xml:space="preserve">ten euros </w:delText></w:r></w:del>'
    + '<w:ins w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">'
    + r("twelve euros ")
    + "</w:ins>"
    + r("per item.")
)


def test_accept_extracts_inserted_text_and_never_deleted_text() -> None:
    unit = units_by_id(make_docx(BODY))[UNIT]
    assert unit.source == "The price is twelve euros per item."


def test_accept_writes_a_document_without_the_revisions() -> None:
    output = translate(make_docx(BODY), {UNIT: "Der Preis ist zwölf Euro pro Stück."})
    body = body_of(output)
    assert next(body.iter(f"{{{W}}}del"), None) is None
    assert next(body.iter(f"{{{W}}}ins"), None) is None
    assert next(body.iter(f"{{{W}}}delText"), None) is None


def test_keep_leaves_deletions_and_tracks_translated_insertions() -> None:
    keep = Policy(revisions="keep")
    data = make_docx(BODY)
    unit = units_by_id(data, policy=keep)[UNIT]
    assert unit.source == "The price is <x1/><g2>twelve euros </g2>per item."
    assert unit.tags == {1: "deleted-text", 2: "insertion"}
    output = translate(
        data, {UNIT: "Der Preis ist <x1/><g2>zwölf Euro </g2>pro Stück."}, policy=keep
    )
    body = body_of(output)
    assert [t.text for t in body.iter(f"{{{W}}}delText")] == ["ten euros "]
    inserted = next(body.iter(f"{{{W}}}ins"))
    assert "".join(t.text or "" for t in inserted.iter(f"{{{W}}}t")) == "zwölf Euro "


def test_both_policies_round_trip_exactly() -> None:
    data = make_docx(BODY)
    assert identity_differences(data) == []
    assert identity_differences(data, Policy(revisions="keep")) == []
