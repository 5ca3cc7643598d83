"""Every mutating endpoint writes an audit record naming the caller and the address
they called from (X-Forwarded-For believed only from a trusted proxy); managers read
the trail at /api/v1/audit, filtered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from ipaddress import ip_network
from typing import Any

import pytest
from django.conf import settings as django_settings

from iris.celery import app
from iris.governance.models import ApiToken, AuditRecord
from iris.jobs.actions import TranslationRequest, create_jobs
from tests.api.conftest import Member
from tests.api.uploads import JOBS, REPORT, upload

pytestmark = pytest.mark.everywhere

Cast = dict[str, Member]
AUDIT = "/api/v1/audit/"

#: what reaches the server, and the address the audit must name
NETWORKS = {
    "direct": ({"REMOTE_ADDR": "198.51.100.2"}, "198.51.100.2"),
    "trusted-proxy": (
        {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        "203.0.113.7",
    ),
    "spoofed": (
        {"REMOTE_ADDR": "198.51.100.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        "198.51.100.2",
    ),
}


@pytest.fixture
def eager_tasks(settings: Any, django_capture_on_commit_callbacks: Any) -> Iterator[Any]:
    """Tasks a request sends run in this process once it commits, in either
    configuration (the control endpoint's record is written by its task)."""
    settings.IRIS_ASYNC = False
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield lambda: django_capture_on_commit_callbacks(execute=True)
    finally:
        app.conf.task_always_eager = was_eager


def unstarted_job() -> int:
    request = TranslationRequest("report.docx", REPORT.read_bytes(), ["fr"], "en")
    (job,) = create_jobs(request, start=False)
    return job.pk


Call = Callable[[Cast, dict[str, Any], Any], tuple[Any, str]]


def create_job(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    return upload(cast["admin"].client, headers=extra), "job.created"


def pause_job(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    job = unstarted_job()
    with tasks():
        response = cast["admin"].client.post(f"{JOBS}{job}/pause/", **extra)
    return response, "job.paused"


def change_budget(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    path = f"{JOBS}{unstarted_job()}/"
    return cast["admin"].client.patch(path, {"budget": 3}, format="json", **extra), "job.budget"


def deactivate_user(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    path = f"/api/v1/users/{cast['reviewer'].user.pk}/"
    response = cast["admin"].client.patch(path, {"is_active": False}, format="json", **extra)
    return response, "user.deactivated"


def create_user(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    body = {"username": "newcomer", "role": "viewer", "teams": ["alpha"]}
    return cast["admin"].client.post("/api/v1/users/", body, format="json", **extra), (
        "user.created"
    )


def change_role(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    path = f"/api/v1/users/{cast['viewer'].user.pk}/"
    response = cast["admin"].client.patch(path, {"role": "reviewer"}, format="json", **extra)
    return response, "user.role_changed"


def create_team(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    body = {"name": "gamma"}
    return cast["admin"].client.post("/api/v1/teams/", body, format="json", **extra), (
        "team.created"
    )


def create_token(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    body = {"name": "ci"}
    return cast["admin"].client.post("/api/v1/tokens/", body, format="json", **extra), (
        "token.created"
    )


def revoke_token(cast: Cast, extra: dict[str, Any], tasks: Any) -> tuple[Any, str]:
    token = ApiToken.objects.get(user_id=cast["viewer"].user.pk)
    response = cast["admin"].client.delete(f"/api/v1/tokens/{token.pk}/", **extra)
    return response, "token.revoked"


CALLS: list[Call] = [
    create_job,
    pause_job,
    change_budget,
    create_user,
    change_role,
    deactivate_user,
    create_team,
    create_token,
    revoke_token,
]


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.__name__)
def test_a_change_is_audited_with_the_callers_address(
    cast: Cast, settings: Any, eager_tasks: Any, call: Call, network: str
) -> None:
    settings.IRIS_TRUSTED_PROXIES = [ip_network("10.0.0.0/8")]
    extra, address = NETWORKS[network]
    last = AuditRecord.objects.latest("id").pk
    response, action = call(cast, {**extra, "HTTP_USER_AGENT": "audit-test"}, eager_tasks)
    assert response.status_code in (200, 201, 202, 204), response.content
    record = AuditRecord.objects.filter(action=action).latest("id")
    assert record.pk > last
    assert (record.actor, record.actor_label, record.role) == (cast["admin"].user, "admin", "admin")
    assert (record.source_ip, record.user_agent) == (address, "audit-test")
    assert record.request_id == response["X-Request-ID"]


def test_without_trusted_proxies_forwarded_for_is_ignored(cast: Cast) -> None:
    assert django_settings.IRIS_TRUSTED_PROXIES == []
    extra = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    response, _ = create_team(cast, extra, None)
    assert response.status_code == 201, response.content
    assert AuditRecord.objects.filter(action="team.created").latest("id").source_ip == "10.0.0.5"


def trail(member: Member, **query: str) -> list[dict[str, Any]]:
    response = member.client.get(AUDIT, query)
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.json()["results"]
    return rows


def test_the_trail_filters(cast: Cast) -> None:
    admin = cast["admin"]
    team = create_team(cast, {}, None)[0].json()
    token = create_token(cast, {}, None)[0].json()
    manager = cast["manager"]
    assert {row["action"] for row in trail(manager, action="token.created")} == {"token.created"}
    newest_first = [str(token["id"]), str(team["id"])]
    assert [row["object_id"] for row in trail(manager, actor="admin")] == newest_first
    teams = trail(manager, object_type="governance.team")
    assert {row["action"] for row in teams} == {"team.created"}
    assert {row["after"]["name"] for row in teams} == {"alpha", "beta", "gamma"}
    (row,) = trail(manager, object_type="governance.team", object_id=str(team["id"]))
    assert (row["actor_label"], row["role"], row["action"]) == ("admin", "admin", "team.created")
    assert trail(admin, action="nothing.happened") == []


@pytest.mark.parametrize(("role", "status"), [("manager", 200), ("viewer", 403), ("reviewer", 403)])
def test_who_may_read_the_trail(cast: Cast, role: str, status: int) -> None:
    response = cast[role].client.get(AUDIT)
    assert response.status_code == status, response.content
    record = AuditRecord.objects.first()
    assert record is not None
    assert cast[role].client.get(f"{AUDIT}{record.pk}/").status_code == status
