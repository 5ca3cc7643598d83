"""What a person does at the command line (``iris``, ``manage.py tm``) is audited as
them, ``os:<their operating-system user>``; what the pipeline then does stays the
system's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command

from iris.cli import commands
from iris.governance.actions import command_line_actor
from iris.governance.models import AuditRecord
from iris.jobs.models import JobState
from iris.memory.models import TranslationUnit, UnitStatus
from tests.documents import build_document
from tests.jobs.helpers import submit
from tests.jobs.test_cli import iris

#: the operating-system user the tests run as (getpass reads LOGNAME first)
OS_USER = "ops-alice"


@pytest.fixture(autouse=True)
def _os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", OS_USER)


def test_the_actor_is_the_operating_system_user() -> None:
    actor = command_line_actor()
    assert (actor.label, actor.role, actor.user) == (f"os:{OS_USER}", "cli", None)


def _job_audit(job_id: int) -> list[tuple[str, str]]:
    records = AuditRecord.objects.filter(object_type="jobs.job", object_id=str(job_id))
    return list(records.values_list("action", "actor_label"))


@pytest.mark.django_db
def test_iris_control_commands(monkeypatch, django_capture_on_commit_callbacks, capsys) -> None:
    # Django is set up already, on the test database: main() must not set it up again.
    monkeypatch.setattr(commands, "_setup_django", lambda: None)
    (job,) = submit(build_document(), "fr")  # by the system, not started (never commits)
    with django_capture_on_commit_callbacks(execute=True):
        assert commands.main(["pause", str(job.pk)]) == commands.EXIT_OK
    # The budget is set at once; the resume itself would run when the test commits.
    assert commands.main(["resume", "--budget", "2", str(job.pk)]) == commands.EXIT_OK
    with django_capture_on_commit_callbacks(execute=True):
        assert commands.main(["cancel", str(job.pk)]) == commands.EXIT_OK
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    os_user = f"os:{OS_USER}"
    assert _job_audit(job.pk) == [
        ("job.created", "system"),
        ("job.paused", os_user),
        ("job.budget", os_user),
        ("job.cancelled", os_user),
    ]


def test_iris_translate_creates_as_the_person_and_runs_as_the_system(tmp_path: Path) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    done = iris(tmp_path, "translate", "in.docx", "--to", "fr", "--from", "en", "-q",
                LOGNAME="translator")  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "var" / "iris.sqlite3") as database:
        rows = database.execute(
            "SELECT action, actor_label FROM governance_auditrecord"
            " WHERE object_type = 'jobs.job' ORDER BY id"
        ).fetchall()
    assert rows[0] == ("job.created", "os:translator")
    assert rows[-1] == ("job.completed", "system")
    assert {label for _, label in rows[1:]} == {"system"}


@pytest.mark.django_db
@pytest.mark.everywhere
def test_tm_changes(tmp_path: Path) -> None:
    memory_file = tmp_path / "m.csv"
    memory_file.write_text("source,target\nThe contract ends.,Le contrat prend fin.\n")
    call_command("tm", "import", str(memory_file), "--source", "en", "--target", "fr")
    unit = TranslationUnit.objects.get()
    call_command("tm", "promote", "--unit", str(unit.pk))
    call_command("tm", "delete", "--unit", str(unit.pk), "--reason", "test")
    records = AuditRecord.objects.values_list("action", "actor_label")
    os_user = f"os:{OS_USER}"
    assert list(records) == [
        ("memory.import", os_user),
        ("memory.promote", os_user),
        ("memory.delete", os_user),
    ]
    assert (unit.created_by, unit.status) == (os_user, UnitStatus.CANDIDATE)
