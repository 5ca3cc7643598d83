"""``python -m iris.docx units FILE --policy key=value`` previews what a policy extracts,
per part and kind with word counts; `policy_from_options` reads every `Policy` field
from text by its type and refuses what it cannot read."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Literal, get_args, get_origin, get_type_hints

import pytest

from iris.docx import Policy, open_document
from iris.docx.cli import main
from iris.docx.model import PolicyError, policy_from_options
from iris.docx.preview import preview
from tests.docx.builders import make_docx, p, r
from tests.docx.conftest import corpus_dir, require_corpus

BODY = (
    p(r("The first sentence has six words. Then three more."))
    + p(r("Hidden words here.", "<w:vanish/>"))
    + p(r("12345"))
)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.docx"
    path.write_bytes(make_docx(BODY, title="Quarterly report"))
    return path


def test_every_policy_field_is_read_from_text_by_its_type() -> None:
    defaults = Policy()
    for spec in dataclasses.fields(Policy):
        annotation = get_type_hints(Policy)[spec.name]
        default = getattr(defaults, spec.name)
        expected: object
        if annotation is bool:
            text, expected = str(not default).lower(), not default
        elif get_origin(annotation) is Literal:
            expected = next(c for c in get_args(annotation) if c != default)
            text = str(expected)
        else:
            assert get_origin(annotation) is frozenset, spec.name
            member = get_args(annotation)[0]
            choices = get_args(member) if get_origin(member) is Literal else ("A b", "c")
            text, expected = " , ".join(choices) + ",", frozenset(choices)
        policy = policy_from_options({spec.name: text})
        assert getattr(policy, spec.name) == expected, spec.name
        assert dataclasses.replace(policy, **{spec.name: default}) == defaults


def test_options_read_together_and_with_dashes() -> None:
    policy = policy_from_options(
        {"excluded-styles": "Code,NoTranslate", "numbering_labels": "OFF", "hidden": "no"}
    )
    assert policy == Policy(
        excluded_styles=frozenset({"Code", "NoTranslate"}), numbering_labels=False, hidden=False
    )
    assert policy_from_options({"excluded_styles": ""}).excluded_styles == frozenset()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"excluded_style": "Code"}, "Unknown policy option 'excluded_style'; the options are"),
        ({"hidden": "maybe"}, "Policy option 'hidden' takes true or false, not 'maybe'."),
        ({"revisions": "reject"}, "Policy option 'revisions' takes one of accept, keep"),
    ],
)
def test_bad_options_are_errors(options: dict[str, str], message: str) -> None:
    with pytest.raises(PolicyError, match="^" + message.replace("(", r"\(")):
        policy_from_options(options)


def test_preview_counts_units_and_words_per_part_and_kind(sample: Path) -> None:
    policy = Policy(hidden=False)
    units = open_document(sample, policy=policy).units()
    rows = preview("sample.docx", policy, units).rows
    counts = [(r.part, r.kind, r.units, r.translatable, r.words) for r in rows]
    assert counts == [
        ("word/document.xml", "body", 3, 2, 9),
        ("docProps/core.xml", "property", 2, 2, 4),
    ]


def test_units_prints_a_table_with_totals(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", str(sample)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "sample.docx"
    assert lines[1].split() == ["part", "kind", "units", "to", "translate", "words"]
    assert lines[2].split() == ["word/document.xml", "body", "4", "3", "12"]
    assert lines[-1].split() == ["total", "6", "5", "16"]


def test_units_json_follows_the_policy_options(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", str(sample), "--json", "--policy", "hidden=false"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert found["file"] == "sample.docx"
    assert found["policy"]["hidden"] is False
    assert found["rows"][0] == {
        "part": "word/document.xml",
        "kind": "body",
        "units": 3,
        "translatable": 2,
        "words": 9,
    }
    assert found["total"] == {"units": 5, "translatable": 4, "words": 13}


@pytest.mark.parametrize(
    ("option", "error"),
    [
        ("hidden=perhaps", "error: Policy option 'hidden' takes true or false"),
        ("colour=blue", "error: Unknown policy option 'colour'"),
    ],
)
def test_units_refuses_bad_policy_options(
    sample: Path, option: str, error: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", str(sample), "--policy", option]) == 2
    assert capsys.readouterr().err.startswith(error)


def test_units_refuses_an_option_without_a_value(sample: Path) -> None:
    with pytest.raises(SystemExit):
        main(["units", str(sample), "--policy", "hidden"])


def test_units_each_prints_one_line_per_unit(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", str(sample), "--each"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "word/document.xml#p0.s0\tbody\tT\tThe first sentence has six words. "


def test_corpus_preview_shows_what_excluding_code_styles_saves(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = corpus_dir() / "oxmlsdk__bookmark.docx"
    name = str(require_corpus(path if path.is_file() else None))
    assert main(["units", name, "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)[0]
    option = "excluded_styles=Code,Code fragment"
    assert main(["units", name, "--json", "--policy", option]) == 0
    kept = json.loads(capsys.readouterr().out)[0]
    assert kept["policy"]["excluded_styles"] == ["Code", "Code fragment"]
    body = {row["kind"]: row for row in kept["rows"] if row["part"] == "word/document.xml"}
    before = {r["kind"]: r for r in everything["rows"] if r["part"] == "word/document.xml"}
    assert body["body"]["units"] < before["body"]["units"]
    assert body["body"]["words"] < before["body"]["words"]
    assert kept["total"]["words"] == sum(row["words"] for row in kept["rows"])
