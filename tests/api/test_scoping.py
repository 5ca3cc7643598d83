"""Who sees what: an admin every job, everyone else their teams' jobs; a job or token
out of the caller's scope answers 404 exactly like one that does not exist."""

from __future__ import annotations

import pytest

from iris.governance.models import ApiToken
from tests.api.conftest import Member
from tests.api.uploads import JOBS, assert_problem, job_ids, upload

pytestmark = pytest.mark.everywhere

Cast = dict[str, Member]


@pytest.fixture
def jobs(cast: Cast) -> dict[str, int]:
    """One job of team alpha, one of team beta, one of no team (made by the admin)."""
    made = {
        "alpha": upload(cast["manager"].client),
        "beta": upload(cast["outsider"].client),
        "none": upload(cast["admin"].client),
    }
    for response in made.values():
        assert response.status_code == 201, response.content
    return {owner: job_ids(response)[0] for owner, response in made.items()}


def listed(member: Member, path: str = JOBS) -> list[int]:
    response = member.client.get(path)
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


READS = ["", "segments/", "artifacts/"]
COMMANDS = ["pause/", "resume/", "cancel/", "retry/"]


@pytest.mark.parametrize("action", READS)
def test_another_teams_job_is_not_found(cast: Cast, jobs: dict[str, int], action: str) -> None:
    missing = max(jobs.values()) + 1000
    for member, job in [("outsider", "alpha"), ("viewer", "beta"), ("manager", "none")]:
        response = cast[member].client.get(f"{JOBS}{jobs[job]}/{action}")
        body = assert_problem(response, 404, "not-found")
        unknown = cast[member].client.get(f"{JOBS}{missing}/{action}")
        assert body == assert_problem(unknown, 404, "not-found")  # nothing tells them apart


@pytest.mark.parametrize("command", COMMANDS)
def test_another_teams_job_cannot_be_controlled(
    cast: Cast, jobs: dict[str, int], command: str
) -> None:
    response = cast["outsider"].client.post(f"{JOBS}{jobs['alpha']}/{command}")
    assert_problem(response, 404, "not-found")


def test_lists_show_only_the_callers_teams_jobs(cast: Cast, jobs: dict[str, int]) -> None:
    for role in ("manager", "reviewer", "viewer"):
        assert listed(cast[role]) == [jobs["alpha"]]
    assert listed(cast["outsider"]) == [jobs["beta"]]


def test_an_admin_sees_every_job(cast: Cast, jobs: dict[str, int]) -> None:
    assert listed(cast["admin"]) == sorted(jobs.values())
    for job in jobs.values():
        assert cast["admin"].client.get(f"{JOBS}{job}/").status_code == 200


def token_of(member: Member) -> ApiToken:
    return ApiToken.objects.get(user_id=member.user.pk)


def test_a_user_sees_only_their_own_tokens(cast: Cast) -> None:
    viewer = cast["viewer"]
    assert listed(viewer, "/api/v1/tokens/") == [token_of(viewer).pk]
    response = viewer.client.get(f"/api/v1/tokens/{token_of(viewer).pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["user"] == "viewer"


def test_another_users_token_is_not_found(cast: Cast) -> None:
    viewer, manager = cast["viewer"], cast["manager"]
    path = f"/api/v1/tokens/{token_of(manager).pk}/"
    assert_problem(viewer.client.get(path), 404, "not-found")
    assert_problem(viewer.client.delete(path), 404, "not-found")
    assert token_of(manager).revoked_at is None
    assert manager.client.get(JOBS).status_code == 200


def test_an_admin_sees_every_token(cast: Cast) -> None:
    assert listed(cast["admin"], "/api/v1/tokens/") == sorted(
        token_of(member).pk for member in cast.values()
    )
