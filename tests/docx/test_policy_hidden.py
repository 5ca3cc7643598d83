"""Hidden text (``w:vanish``) follows the policy: translated by default, kept as an
untranslated placeholder with ``hidden=False``."""

from __future__ import annotations

from iris.docx import Policy
from tests.docx.builders import W, body_of, make_docx, p, r, translate, units_by_id

UNIT = "word/document.xml#p0.s0"
BODY = p(r("Visible text, ") + r("hidden note, ", "<w:vanish/>") + r("more visible text."))


def test_hidden_text_is_translated_by_default() -> None:
    unit = units_by_id(make_docx(BODY))[UNIT]
    assert unit.source == "Visible text, <g1>hidden note, </g1>more visible text."
    assert unit.tags == {1: "hidden"}


def test_hidden_text_can_be_kept_untranslated() -> None:
    policy = Policy(hidden=False)
    data = make_docx(BODY)
    unit = units_by_id(data, policy=policy)[UNIT]
    assert unit.source == "Visible text, <x1/>more visible text."
    assert unit.tags == {1: "hidden-text"}
    output = translate(data, {UNIT: "Sichtbar, <x1/>mehr."}, policy=policy)
    hidden = [
        r for r in body_of(output).iter(f"{{{W}}}r") if r.find(f".//{{{W}}}vanish") is not None
    ]
    assert [h.findtext(f"{{{W}}}t") for h in hidden] == ["hidden note, "]
