"""An engine this installation lacks a setting for (deepl without its key, openai without
a model) is refused when a job is submitted, naming the setting: before, the job was
accepted, extracted, and failed at its first batch. An estimate still works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iris.engines.registry import UnknownEngineError, engine_class
from iris.governance.models import Role
from iris.jobs.actions import JobRequestError, TranslationRequest, create_jobs
from iris.jobs.models import Job
from tests.api.conftest import make_member
from tests.api.uploads import assert_problem, upload
from tests.documents import build_document
from tests.jobs.test_cli import iris

pytestmark = pytest.mark.django_db

LACKING = {"deepl": "IRIS_DEEPL_AUTH_KEY", "openai": "IRIS_OPENAI_MODEL"}


@pytest.fixture
def nothing_set_up(settings: Any) -> None:
    settings.IRIS_DEEPL_AUTH_KEY = ""
    settings.IRIS_OPENAI_MODEL = ""


def _request(engine: str) -> TranslationRequest:
    return TranslationRequest("a.docx", build_document(), ["de"], "en", engine=engine)


@pytest.mark.parametrize(("engine", "setting"), LACKING.items())
def test_submission_is_refused_naming_the_setting(nothing_set_up, engine, setting) -> None:
    with pytest.raises(JobRequestError) as refused:
        create_jobs(_request(engine))
    assert str(refused.value) == f"the {engine} engine is not set up: {setting} is not set"
    assert not Job.objects.exists()


def test_an_engine_set_up_is_accepted(settings) -> None:
    settings.IRIS_DEEPL_AUTH_KEY = "a-key"
    settings.IRIS_OPENAI_MODEL = "a-model"
    assert engine_class("deepl").not_set_up() is None
    for engine in LACKING:
        (job,) = create_jobs(_request(engine), start=False)
        assert job.engine == engine


def test_unknown_engines_list_those_not_set_up_apart(nothing_set_up) -> None:
    with pytest.raises(UnknownEngineError) as refused:
        engine_class("babel")
    message = str(refused.value)
    configured, lacking = message.split("; not set up: ")
    assert "configured: apertium, " in configured
    assert "deepl" not in configured
    assert "openai" not in configured
    expected = "deepl (IRIS_DEEPL_AUTH_KEY is not set), openai (IRIS_OPENAI_MODEL is not set))"
    assert lacking == expected


def test_the_api_answers_400(nothing_set_up) -> None:
    manager = make_member("manager", Role.MANAGER, ["alpha"])
    problem = assert_problem(upload(manager.client, engine="deepl"), 400, "invalid-request")
    assert "IRIS_DEEPL_AUTH_KEY is not set" in problem["detail"]
    assert not Job.objects.exists()


def test_the_command_line_exits_2_and_an_estimate_still_works(tmp_path: Path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    args = ("translate", str(source), "--to", "de", "--from", "en", "--engine", "openai")
    done = iris(tmp_path, *args, IRIS_OPENAI_MODEL="")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "the openai engine is not set up: IRIS_OPENAI_MODEL is not set" in done.stderr
    estimate = iris(tmp_path, *args, "--estimate", IRIS_OPENAI_MODEL="")
    assert estimate.returncode == 0, estimate.stderr
