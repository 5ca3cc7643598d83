"""Edits through the service: each bumps the version, is audited, and imports are
all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.glossary import service
from iris.glossary.backends import GlossaryBackendError
from iris.glossary.models import Glossary, GlossaryTerm
from iris.glossary.service import (
    GlossaryError,
    InterchangeError,
    InvalidTermError,
    TermData,
    add_term,
    delete_term,
    export_terms,
    import_terms,
    update_term,
)
from iris.governance.actions import Actor
from iris.governance.models import AuditRecord

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACT = TermData("contract", ("contrat",))


def version() -> int:
    return Glossary.objects.get().version


def test_every_edit_bumps_the_version_and_is_audited() -> None:
    term = add_term("EN", "fr_CA", CONTRACT)
    glossary = Glossary.objects.get()
    assert (glossary.source_lang, glossary.target_lang, glossary.version) == ("en", "fr-ca", 1)
    update_term(term.pk, TermData("contract", ("entente",)))
    assert version() == 2
    delete_term(term.pk)
    assert version() == 3
    records = list(AuditRecord.objects.values_list("action", "object_id", "before", "after"))
    assert [r[:2] for r in records] == [
        ("glossary.term_added", str(term.pk)),
        ("glossary.term_updated", str(term.pk)),
        ("glossary.term_deleted", str(term.pk)),
    ]
    assert records[1][2]["targets"] == ["contrat"]
    assert records[1][3]["targets"] == ["entente"]
    assert records[2][2]["source"] == "contract"
    assert records[2][3] == {"version": 3}


def test_audit_names_the_actor(django_user_model) -> None:
    user = django_user_model.objects.create(username="terminologist")
    add_term("en", "fr", CONTRACT, actor=Actor(user, "10.0.0.1"))
    record = AuditRecord.objects.get()
    assert (record.actor_label, record.source_ip) == ("terminologist", "10.0.0.1")


def test_system_actor_by_default() -> None:
    add_term("en", "fr", CONTRACT)
    assert AuditRecord.objects.get().actor_label == "system"


def test_a_duplicate_term_is_refused_and_changes_nothing() -> None:
    add_term("en", "fr", CONTRACT)
    with pytest.raises(GlossaryError, match="already has 'contract'"):
        add_term("en", "fr", TermData("contract", ("accord",)))
    assert version() == 1
    assert GlossaryTerm.objects.count() == 1


def test_same_source_with_another_part_of_speech_is_another_term() -> None:
    add_term("en", "fr", TermData("record", ("enregistrement",), part_of_speech="noun"))
    add_term("en", "fr", TermData("record", ("enregistrer",), part_of_speech="Verb"))
    assert sorted(GlossaryTerm.objects.values_list("part_of_speech", flat=True)) == ["noun", "verb"]


def test_invalid_terms_are_refused() -> None:
    with pytest.raises(InvalidTermError, match="no target"):
        add_term("en", "fr", TermData("contract"))
    with pytest.raises(InvalidTermError, match="do-not-translate but has targets"):
        add_term("en", "fr", TermData("Iris", ("Irene",), do_not_translate=True))
    assert not Glossary.objects.exists()


def test_editing_a_missing_term() -> None:
    with pytest.raises(GlossaryError, match="no glossary term 99"):
        delete_term(99)


def test_import_adds_updates_and_counts_once() -> None:
    add_term("en", "fr", TermData("contract", ("accord",), part_of_speech="noun"))
    add_term("en", "fr", TermData("obsolete", ("obsolète",)))
    report = import_terms(FIXTURES / "terms.csv", "en", "fr")
    assert (report.added, report.updated, report.unchanged, report.removed) == (4, 1, 0, 0)
    assert report.version == version() == 3
    contract = GlossaryTerm.objects.get(source="contract")
    assert contract.targets == ["contrat", "convention"]
    record = AuditRecord.objects.get(action="glossary.imported")
    assert record.after["added"] == 4
    assert record.after["file"] == "terms.csv"


def test_reimporting_the_same_file_changes_nothing() -> None:
    import_terms(FIXTURES / "terms.csv", "en", "fr")
    report = import_terms(FIXTURES / "terms.csv", "en", "fr")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert report.version == version() == 1


def test_import_with_replace_removes_what_the_file_lacks() -> None:
    add_term("en", "fr", TermData("obsolete", ("obsolète",)))
    report = import_terms(FIXTURES / "terms.tbx", "en", "fr", replace=True)
    assert report.removed == 1
    assert not GlossaryTerm.objects.filter(source="obsolete").exists()


def test_import_of_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    add_term("en", "fr", CONTRACT)
    path = tmp_path / "bad.csv"
    path.write_text("source,target\nnew,nouveau\nbroken,\n", encoding="utf-8")
    with pytest.raises(InterchangeError, match="line 3"):
        import_terms(path, "en", "fr", replace=True)
    assert list(GlossaryTerm.objects.values_list("source", flat=True)) == ["contract"]
    assert version() == 1


def test_import_failing_midway_rolls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    add_term("en", "fr", CONTRACT)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(service, "record_audit", fail)
    with pytest.raises(RuntimeError):
        import_terms(FIXTURES / "terms.csv", "en", "fr", replace=True)
    assert list(GlossaryTerm.objects.values_list("targets", flat=True)) == [["contrat"]]
    assert version() == 1


def test_export_then_import_elsewhere_gives_the_same_terms(tmp_path: Path) -> None:
    import_terms(FIXTURES / "terms.tbx", "en", "fr")
    for fmt, target in (("csv", "fr-be"), ("tbx", "fr-ch")):
        path = tmp_path / f"out.{fmt}"
        assert export_terms("en", "fr", path) == 4
        import_terms(path, "en", target)
    for target in ("fr-be", "fr-ch"):
        copied = GlossaryTerm.objects.filter(glossary__target_lang=target)
        original = GlossaryTerm.objects.filter(glossary__target_lang="fr")
        fields = ("source", "targets", "forbidden", "part_of_speech", "case_sensitive",
                  "do_not_translate", "note")  # fmt: skip
        assert list(copied.values_list(*fields)) == list(original.values_list(*fields))


def test_export_of_a_missing_glossary(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no en → fr glossary"):
        export_terms("en", "fr", tmp_path / "out.csv")


def test_edits_sync_the_backend_once_committed(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    synced: list[int] = []

    class Recording:
        def sync(self, glossary: Glossary) -> None:
            synced.append(glossary.version)

    monkeypatch.setattr(service, "backend", Recording)
    with django_capture_on_commit_callbacks(execute=True):
        term = add_term("en", "fr", CONTRACT)
        assert synced == []
    with django_capture_on_commit_callbacks(execute=True):
        delete_term(term.pk)
    assert synced == [1, 2]


def test_a_failed_sync_says_the_edit_is_saved(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    class Down:
        def sync(self, glossary: Glossary) -> None:
            raise GlossaryBackendError("OpenSearch could not sync: connection refused")

    monkeypatch.setattr(service, "backend", Down)
    with (
        pytest.raises(GlossaryBackendError, match=r"saved \(glossary version 1\).*glossary sync"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        add_term("en", "fr", CONTRACT)
    assert GlossaryTerm.objects.count() == 1


def test_a_glossary_into_its_own_source_language_is_refused() -> None:
    with pytest.raises(GlossaryError, match="the target language en-gb is the source language"):
        add_term("en", "en-GB", CONTRACT)
    with pytest.raises(GlossaryError, match="is the source language"):
        import_terms(FIXTURES / "terms.csv", "en", "en")
    assert not Glossary.objects.exists()
