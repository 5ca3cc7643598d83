"""``manage.py glossary``: each action, and failures as one line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from iris.glossary.models import Glossary, GlossaryTerm
from iris.governance.actions import command_line_actor
from iris.governance.models import AuditRecord

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

FIXTURES = Path(__file__).parent / "fixtures"
PAIR = ("--source", "en", "--target", "fr")


def glossary(*args: str) -> str:
    out = StringIO()
    call_command("glossary", *args, stdout=out)
    return out.getvalue()


def test_import_list_export(tmp_path: Path) -> None:
    assert glossary("import", str(FIXTURES / "terms.tbx"), *PAIR) == (
        "4 added, 0 updated, 0 unchanged, 0 removed; glossary version 1\n"
    )
    listed = glossary("list", *PAIR).splitlines()
    assert "contract → contrat | convention  [noun; forbidden: accord, pacte]" in listed
    assert "Acme Cloud → (do not translate)  [case-sensitive]" in listed
    out = tmp_path / "out.csv"
    assert glossary("export", str(out), *PAIR) == f"4 terms written to {out}\n"
    assert out.read_text(encoding="utf-8").startswith("source,target,part_of_speech")


def test_add_and_delete() -> None:
    glossary("add", "contract", "contrat", "convention", *PAIR, "--pos", "noun",
             "--forbidden", "accord")  # fmt: skip
    term = GlossaryTerm.objects.get()
    assert (term.targets, term.forbidden) == (["contrat", "convention"], ["accord"])
    assert glossary("delete", "contract", *PAIR).startswith("deleted: contract")
    assert not GlossaryTerm.objects.exists()
    # audited as the person at the command line, not as the system
    labels = list(AuditRecord.objects.values_list("actor_label", flat=True))
    assert labels == [command_line_actor().label] * 2


def test_stats() -> None:
    glossary("add", "contract", "contrat", *PAIR)
    glossary("add", "Iris", "--dnt", "--source", "en", "--target", "de-CH")
    assert glossary("stats").splitlines()[0].startswith("en → de-ch: 1 terms, version 1, updated")
    assert Glossary.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", str(FIXTURES / "missing.csv"), *PAIR), "missing.csv: cannot read it"),
        (("add", "contract", *PAIR), "'contract' has no target term"),
        (("delete", "nothing", *PAIR), "the glossary has no term 'nothing'"),
        (("export", "out.csv", *PAIR), "there is no en → fr glossary"),
        (("list", "--source", "xx-??", "--target", "fr"), "not a known language tag"),
    ],
)
def test_failures_are_one_clear_line(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        glossary(*args)


def test_a_bad_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("source,target\na,b\n,c\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv, line 3"):
        glossary("import", str(path), *PAIR)
    assert not GlossaryTerm.objects.exists()
