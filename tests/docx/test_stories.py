"""Every story part is read: all header and footer variants, normal footnotes and
endnotes (special notes are selected by type, never by id), and comments by policy."""

from __future__ import annotations

from iris.docx import Policy, UnitKind
from tests.docx.builders import Part, make_docx, p, r, story, units_by_id


def _notes(tag: str, kind: str) -> Part:
    # Special notes with ids 0/1 (as some producers write them), a real note with id 2.
    special = "".join(
        f'<w:{tag} w:type="{t}" w:id="{i}"><w:p>{r("—")}</w:p></w:{tag}>'
        for i, t in enumerate(("separator", "continuationSeparator"))
    )
    real = f'<w:{tag} w:id="2">{p(r(f"A real {tag}."))}</w:{tag}>'
    return Part(f"word/{kind}.xml", kind, story(kind, special + real))


def _document() -> bytes:
    parts = [
        Part("word/header1.xml", "header", story("hdr", p(r("Default header.")))),
        Part("word/header2.xml", "header", story("hdr", p(r("First page header.")))),
        Part("word/header3.xml", "header", story("hdr", p(r("Even page header.")))),
        Part("word/footer1.xml", "footer", story("ftr", p(r("A footer.")))),
        _notes("footnote", "footnotes"),
        _notes("endnote", "endnotes"),
        Part(
            "word/comments.xml",
            "comments",
            story("comments", f'<w:comment w:id="0" w:author="A">{p(r("A comment."))}</w:comment>'),
        ),
    ]
    return make_docx(p(r("Body.")), parts=parts)


def test_all_story_parts_are_read_with_their_kind() -> None:
    found = {(u.part, u.source, u.kind) for u in units_by_id(_document()).values()}
    assert ("word/header1.xml", "Default header.", UnitKind.HEADER) in found
    assert ("word/header2.xml", "First page header.", UnitKind.HEADER) in found
    assert ("word/header3.xml", "Even page header.", UnitKind.HEADER) in found
    assert ("word/footer1.xml", "A footer.", UnitKind.FOOTER) in found
    assert ("word/comments.xml", "A comment.", UnitKind.COMMENT) in found


def test_special_notes_are_skipped_by_type_even_with_low_ids() -> None:
    units = units_by_id(_document())
    notes = sorted(u.source for u in units.values() if u.part.endswith("notes.xml"))
    assert notes == ["A real endnote.", "A real footnote."]


def test_comments_follow_the_policy() -> None:
    units = units_by_id(_document(), policy=Policy(comments=False))
    assert not any(u.kind is UnitKind.COMMENT for u in units.values())


def test_locations_say_where_the_text_is() -> None:
    units = units_by_id(_document())
    note = next(u for u in units.values() if u.source == "A real footnote.")
    assert note.location == "footnotes ¶3 (footnote 2)"
