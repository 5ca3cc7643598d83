"""What a policy changed is reported: accepting tracked changes removes deletions (and
the fields in them) and unwraps insertions and moves; leaving comments, hidden text or
styles out keeps them untranslated; `Document.policy_changes` counts each, and a
policy that changed nothing reports nothing."""

from __future__ import annotations

from iris.docx import Policy, open_document, policy_summary
from iris.docx.text.pseudo import pseudo_targets
from tests.docx.builders import Part, body_of, make_docx, p, r, story
from tests.docx.test_exclude_styles import styled_docx

MARK = 'w:author="A" w:date="2024-01-01T00:00:00Z"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def deleted(content: str, number: int) -> str:
    return f'<w:del w:id="{number}" {MARK}>{content}</w:del>'


def inserted(content: str, number: int) -> str:
    return f'<w:ins w:id="{number}" {MARK}>{content}</w:ins>'


DELETED_FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:delInstrText xml:space="preserve"> PAGE </w:delInstrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:delText>3</w:delText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
BODY = (
    p(
        r("The price is ")
        + deleted('<w:r><w:delText xml:space="preserve">ten euros </w:delText></w:r>', 1)
        + inserted(r("twelve euros "), 2)
        + r("per item.")
    )
    + p(r("See page ") + deleted(DELETED_FIELD, 3) + inserted(r("four"), 4) + r(" for details."))
    + p(
        r("Moved ")
        + f'<w:moveFrom w:id="5" {MARK}><w:r><w:delText>away</w:delText></w:r></w:moveFrom>'
        + f'<w:moveTo w:id="6" {MARK}>{r("here")}</w:moveTo>'
        + r(" today.")
    )
    # A revision on a paragraph mark carries no text and stays tracked: not counted.
    + p(r("A paragraph mark inserted."), f'<w:rPr><w:ins w:id="7" {MARK}/></w:rPr>')
)
COMMENTS = Part(
    "word/comments.xml",
    "comments",
    story(
        "comments",
        '<w:comment w:id="0" w:author="A">' + p(r("Check the price.")) + "</w:comment>"
        '<w:comment w:id="1" w:author="A">' + p(r("And the page.")) + "</w:comment>",
    ),
)


def changes(policy: Policy, body: str = BODY) -> dict[str, object]:
    document = open_document(make_docx(body, parts=[COMMENTS]), policy=policy)
    document.apply(pseudo_targets(document.units()), "de")
    return document.policy_changes().as_json()


def test_accepting_revisions_counts_what_it_changed() -> None:
    assert changes(Policy()) == {
        "revisions_accepted": {"insertions": 2, "deletions": 2, "moves": 1, "fields_deleted": 1}
    }


def test_the_counts_match_the_written_document() -> None:
    document = open_document(make_docx(BODY, parts=[COMMENTS]))
    output = document.apply(pseudo_targets(document.units()), "de")
    body = body_of(output)
    assert next(body.iter("{*}del"), None) is None
    assert next(body.iter("{*}moveFrom"), None) is None
    assert next(body.iter("{*}fldChar"), None) is None  # the deleted PAGE field is gone
    counted = document.policy_changes()
    assert (counted.insertions_accepted, counted.deletions_removed) == (2, 2)


def test_keeping_revisions_reports_nothing() -> None:
    assert changes(Policy(revisions="keep")) == {}


def test_comments_left_out_are_counted() -> None:
    found = changes(Policy(revisions="keep", comments=False))
    assert found == {"comments_not_translated": 2}


def test_both_policies_together() -> None:
    found = changes(Policy(comments=False))
    assert found["comments_not_translated"] == 2
    assert found["revisions_accepted"] == {
        "insertions": 2,
        "deletions": 2,
        "moves": 1,
        "fields_deleted": 1,
    }


def test_a_document_without_revisions_reports_nothing() -> None:
    assert changes(Policy(), p(r("Plain text."))) == {}


def test_counts_are_known_before_apply() -> None:
    document = open_document(make_docx(BODY, parts=[COMMENTS]))
    assert document.policy_changes().deletions_removed == 2


def test_summary_in_words() -> None:
    text = policy_summary(changes(Policy(comments=False)))
    assert text == (
        "revisions accepted: 2 insertions, 2 deletions, 1 move, 1 deleted field removed; "
        "comments not translated: 2"
    )
    assert policy_summary({}) == ""


def test_hidden_runs_left_out_are_counted() -> None:
    body = p(r("Visible text. ") + r("Secret note.", "<w:vanish/>") + r("More text."))
    body += p(r("Not hidden.", '<w:vanish w:val="0"/>'))
    assert changes(Policy(hidden=False), body) == {"hidden_runs_not_translated": 1}
    assert changes(Policy(), body) == {}


def test_text_excluded_by_style_is_counted() -> None:
    policy = Policy(excluded_styles=frozenset({"HTML Preformatted", "Keep As Is"}))
    document = open_document(styled_docx(), policy=policy)
    # HTMLPreformatted and CodePython (based on it); one run in the character style
    assert document.policy_changes().as_json() == {
        "excluded_by_style": {"paragraphs": 2, "runs": 1}
    }
    text = policy_summary(document.policy_changes().as_json())
    assert text == "excluded by style: 2 paragraphs, 1 run"


CHUNK = Part(
    "word/afchunk.htm",
    "aFChunk",
    '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>An embedded sentence.</p></body></html>',
    rel_id="rIdChunk",
)


def test_embedded_chunks_are_reported_as_not_translated() -> None:
    """Content Word merges in from another file on opening (``w:altChunk``) is not
    translated; the report says so instead of "fidelity clean" alone."""
    body = p(r("Before the chunk.")) + '<w:altChunk r:id="rIdChunk"/>' + p(r("After it."))
    document = open_document(make_docx(body, parts=[CHUNK]))
    output = document.apply(pseudo_targets(document.units()), "de")
    assert next(body_of(output).iter("{*}altChunk")).get(f"{{{REL}}}id") == "rIdChunk"
    found = document.policy_changes().as_json()
    assert found == {"embedded_chunks_not_translated": 1}
    assert policy_summary(found) == "embedded documents (altChunk) not translated: 1"
