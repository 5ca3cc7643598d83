"""POST /api/v1/jobs: an upload makes one job per target language; a request that
cannot be served is refused with a problem before anything is stored."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from iris.api.models import IdempotentRequest
from iris.artifacts.models import Artifact, ArtifactKind
from iris.governance.models import AuditRecord, Role
from iris.jobs.models import Job
from tests.api.conftest import Member
from tests.api.uploads import JOBS, REPORT, assert_problem, job_ids, upload
from tests.documents import build_document

pytestmark = pytest.mark.everywhere


def assert_nothing_stored(storage: Path) -> None:
    assert not Job.objects.exists()
    assert not Artifact.objects.exists()
    assert not IdempotentRequest.objects.exists()
    assert not AuditRecord.objects.filter(action="job.created").exists()
    assert not [path for path in storage.rglob("*") if path.is_file()]


def test_the_extraction_policy_is_taken_and_shown_as_applied(
    cast: dict[str, Member], local_storage: Path
) -> None:
    policy = {"extraction": {"excluded_styles": ["Code"], "alt_text": False}}
    response = upload(cast["manager"].client, policy=json.dumps(policy))
    assert response.status_code == 201, response.content
    (job_id,) = job_ids(response)
    shown = cast["manager"].client.get(f"{JOBS}{job_id}/").json()["extraction"]
    assert shown == Job.objects.get(pk=job_id).extraction
    assert (shown["excluded_styles"], shown["alt_text"], shown["hidden"]) == (["Code"], False, True)


@pytest.mark.parametrize("targets", [["fr", "de"], "fr,de"], ids=["repeated", "comma"])
def test_an_upload_makes_one_job_per_target(
    cast: dict[str, Member], local_storage: Path, targets: Any
) -> None:
    response = upload(cast["manager"].client, target_langs=targets)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [job["target_lang"] for job in body["jobs"]] == ["fr", "de"]
    for job in body["jobs"]:
        assert job["request_id"] == body["request_id"]
        assert job["source_name"] == "report.docx"
        assert (job["source_lang"], job["engine"], job["state"]) == ("en", "pseudo", "queued")
        assert (job["creator"], job["team"]) == ("manager", "alpha")
    jobs = Job.objects.filter(request_id=body["request_id"]).order_by("pk")
    assert [job.pk for job in jobs] == job_ids(response)
    digest = hashlib.sha256(REPORT.read_bytes()).hexdigest()
    sources = Artifact.objects.filter(job__in=jobs, kind=ArtifactKind.SOURCE)
    assert sorted(sources.values_list("sha256", flat=True)) == [digest, digest]


TEXT = b"Dear team,\nthe report is attached.\n"
DAMAGED = build_document()[:4000]


@pytest.mark.parametrize(
    ("data", "fields", "status", "kind"),
    [
        pytest.param(None, {"file": None}, 400, "invalid-request", id="missing-file"),
        pytest.param(TEXT, {}, 415, "unsupported-document", id="text-renamed-docx"),
        pytest.param(DAMAGED, {}, 422, "unreadable-document", id="truncated-zip"),
        pytest.param(None, {"target_langs": "en-GB"}, 400, "invalid-request", id="same-language"),
        pytest.param(None, {"target_langs": ""}, 400, "invalid-request", id="no-target"),
        pytest.param(None, {"target_langs": "xx"}, 400, "unknown-language", id="unknown-target"),
        pytest.param(None, {"source_lang": "klingon"}, 400, "unknown-language", id="bad-source"),
        pytest.param(None, {"engine": "babel"}, 400, "unknown-engine", id="unknown-engine"),
        pytest.param(
            None, {"engine_options": '{"delay_ms": "soon"}'}, 400, "engine-refused", id="option"
        ),
        pytest.param(None, {"policy": '{"colour": 1}'}, 400, "invalid-request", id="policy-key"),
        pytest.param(None, {"policy": "{"}, 400, "invalid-request", id="policy-not-json"),
        pytest.param(None, {"policy": "[]"}, 400, "invalid-request", id="policy-not-object"),
        pytest.param(
            None, {"policy": '{"review_required": "yes"}'}, 400, "invalid-request", id="review"
        ),
        pytest.param(None, {"policy": '{"budget": "ten"}'}, 400, "invalid-request", id="budget"),
        pytest.param(None, {"policy": '{"budget": -1}'}, 400, "invalid-request", id="negative"),
        pytest.param(
            None, {"policy": '{"qa": {"disable": ["lenght"]}}'}, 400, "invalid-request", id="qa"
        ),
        pytest.param(
            None, {"policy": '{"retention": {"delivery": 0}}'}, 400, "invalid-request", id="keep"
        ),
        pytest.param(
            None, {"policy": '{"retention": {"movie": 3}}'}, 400, "invalid-request", id="kind"
        ),
        pytest.param(
            None, {"policy": '{"extraction": ["alt_text"]}'}, 400, "invalid-request", id="extract"
        ),
        pytest.param(
            None,
            {"policy": '{"extraction": {"alt_text": "maybe"}}'},
            400,
            "invalid-request",
            id="switch-value",
        ),
        pytest.param(
            None,
            {"policy": '{"extraction": {"colour": true}}'},
            400,
            "invalid-request",
            id="switch-name",
        ),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_stored(
    cast: dict[str, Member],
    local_storage: Path,
    data: bytes | None,
    fields: dict[str, Any],
    status: int,
    kind: str,
) -> None:
    response = upload(cast["manager"].client, data, **fields)
    assert_problem(response, status, kind)
    assert_nothing_stored(local_storage)


def test_validation_errors_name_their_fields(cast: dict[str, Member], local_storage: Path) -> None:
    response = upload(cast["manager"].client, file=None, policy='{"colour": 1}')
    errors = assert_problem(response, 400, "invalid-request")["errors"]
    assert set(errors) == {"file", "policy"}
    assert "colour" in str(errors["policy"])


@pytest.mark.parametrize(
    ("size", "kind"),
    [(2 * 2**20, None), (3 * 2**19, "document-too-large")],
    ids=["2MiB", "1.5MiB"],
)
def test_an_upload_over_the_limit_is_413(
    cast: dict[str, Member], local_storage: Path, settings: Any, size: int, kind: str | None
) -> None:
    settings.IRIS_MAX_UPLOAD_MB = 1
    document = build_document()
    response = upload(cast["manager"].client, document + bytes(size - len(document)))
    body = assert_problem(response, 413, kind)
    assert "1 MiB" in body["detail"] or str(2 * 2**20) in body["detail"]
    assert_nothing_stored(local_storage)


def test_a_body_announced_over_the_limit_is_refused_unread(
    cast: dict[str, Member], local_storage: Path, settings: Any
) -> None:
    settings.IRIS_MAX_UPLOAD_MB = 1
    announced = {"CONTENT_LENGTH": str(3 * 2**20)}
    response = upload(cast["manager"].client, headers=announced)
    assert_problem(response, 413, "request-too-large")
    assert_nothing_stored(local_storage)


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_who_may_not_create_gets_403(
    cast: dict[str, Member], local_storage: Path, role: str
) -> None:
    assert_problem(upload(cast[role].client), 403, "permission-denied")
    assert_nothing_stored(local_storage)


def test_a_user_in_two_teams_names_one(member_factory: Any, local_storage: Path) -> None:
    both = member_factory("both", Role.MANAGER, ["alpha", "beta"]).client
    body = assert_problem(upload(both), 400, "team-required")
    assert "team" in body["detail"]
    assert_nothing_stored(local_storage)
    response = upload(both, team="beta")
    assert response.status_code == 201, response.content
    team = Job.objects.get().team
    assert team is not None
    assert team.name == "beta"


def test_naming_a_team_one_is_not_in_is_refused(
    cast: dict[str, Member], local_storage: Path
) -> None:
    assert_problem(upload(cast["manager"].client, team="beta"), 400, "unknown-team")
    assert_problem(upload(cast["manager"].client, team="nowhere"), 400, "unknown-team")
    assert_nothing_stored(local_storage)


def test_a_user_in_no_team_cannot_create(member_factory: Any, local_storage: Path) -> None:
    loner = member_factory("loner", Role.MANAGER, []).client
    assert_problem(upload(loner), 400, "team-required")
    assert_nothing_stored(local_storage)


def test_an_admin_may_name_any_team_or_none(cast: dict[str, Member]) -> None:
    admin = cast["admin"].client
    unowned = upload(admin)
    assert unowned.status_code == 201, unowned.content
    assert unowned.json()["jobs"][0]["team"] == ""
    owned = upload(admin, team="beta")
    assert owned.status_code == 201, owned.content
    assert owned.json()["jobs"][0]["team"] == "beta"


def keyed(key: str) -> dict[str, str]:
    return {"HTTP_IDEMPOTENCY_KEY": key}


def test_the_same_key_and_request_make_one_set_of_jobs(cast: dict[str, Member]) -> None:
    client = cast["manager"].client
    first = upload(client, target_langs="fr,de", headers=keyed("upload-1"))
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    again = upload(client, target_langs="fr,de", headers=keyed("upload-1"))
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert job_ids(again) == job_ids(first)
    assert again.json()["request_id"] == first.json()["request_id"]
    assert Job.objects.count() == 2
    assert AuditRecord.objects.filter(action="job.created").count() == 2


def test_the_same_key_for_another_request_is_refused(cast: dict[str, Member]) -> None:
    client = cast["manager"].client
    first = upload(client, headers=keyed("upload-1"))
    assert first.status_code == 201, first.content
    other_target = upload(client, target_langs="de", headers=keyed("upload-1"))
    assert_problem(other_target, 422, "idempotency-key-reused")
    other_document = upload(client, build_document(), headers=keyed("upload-1"))
    assert_problem(other_document, 422, "idempotency-key-reused")
    assert list(Job.objects.values_list("pk", flat=True)) == job_ids(first)


def test_keys_are_per_user(cast: dict[str, Member]) -> None:
    mine = upload(cast["manager"].client, headers=keyed("upload-1"))
    theirs = upload(cast["admin"].client, team="alpha", headers=keyed("upload-1"))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs
    assert set(job_ids(mine)).isdisjoint(job_ids(theirs))
    assert Job.objects.count() == 2


def test_an_upload_while_storage_cannot_be_used_is_a_503_problem(
    cast: dict[str, Member], local_storage: Path
) -> None:
    """The storage folder is a file (a mount gone wrong): the upload's source cannot be
    kept. A 503 the client may retry, not an HTML 500, and no job left behind."""
    local_storage.parent.mkdir(parents=True, exist_ok=True)
    local_storage.write_bytes(b"")
    response = upload(cast["manager"].client)
    assert_problem(response, 503)
    assert response["Retry-After"] == "30"
    assert "file storage is unavailable" in response.json()["detail"]
    assert not Job.objects.exists()
