"""What schemathesis found once: inputs the database would refuse answer 400, paths
that name nothing answer a 404 problem, never Django's HTML page or a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import Member

pytestmark = [pytest.mark.everywhere, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("/api/v1/jobs/x/", False),
        ("/api/v1/jobs/%C2%84/", False),
        ("/api/v1/jobs/%0A%C3%9E/resume/", False),  # a newline in the path
        ("/api/v1/nothing-here/", False),
        ("/api/v1/nothing", False),
        ("/api/v1/jobs", True),  # the slash forgotten: the answer says so
        ("/api/v1/jobs/99999999999999999999999/", False),  # beyond any bigint
    ],
)
def test_paths_that_name_nothing_are_problems(
    cast: dict[str, Member], path: str, hint: bool
) -> None:
    answer = cast["admin"].client.get(path)
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    assert ("did you mean" in answer.json()["detail"]) is hint


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/audit/?source_ip=not-an-ip", "source_ip"),
        # PostgreSQL stores offsets up to ±15:59 only; the filter reads them in UTC
        ("/api/v1/jobs/?created_before=0001-01-01T00:00:00%2B05:00", "created_before"),
        ("/api/v1/audit/?created_after=not-a-time", "created_after"),
    ],
)
def test_filter_values_the_database_cannot_take_are_refused(
    cast: dict[str, Member], path: str, field: str
) -> None:
    answer = cast["admin"].client.get(path)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["errors"]


def test_an_unsafe_method_on_a_path_that_names_nothing_is_a_404_problem(
    cast: dict[str, Member],
) -> None:
    client = cast["admin"].client
    client.cookies["sessionid"] = "stale"  # a browser's cookie must not make it a CSRF 403
    client.handler.enforce_csrf_checks = True
    answer = client.delete("/api/v1/tokens/%C2%84/")
    assert answer.status_code == 404, answer.content
    assert answer["Content-Type"] == "application/problem+json"


def test_a_large_offset_is_read_in_utc(cast: dict[str, Member]) -> None:
    answer = cast["admin"].client.get("/api/v1/jobs/?created_before=2026-01-01T00:00:00%2B19:45")
    assert answer.status_code == 200, answer.content


def test_a_user_name_no_user_can_have_is_invalid(cast: dict[str, Member]) -> None:
    answer = cast["admin"].client.post(
        "/api/v1/tokens/", {"name": "x", "user": "a\x00b"}, format="json"
    )
    assert answer.status_code == 400
    assert "user" in answer.json()["errors"]
