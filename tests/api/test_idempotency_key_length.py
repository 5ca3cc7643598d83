"""An Idempotency-Key longer than the 255 characters Iris stores is refused: cut to
255, two different long keys were one, and the second upload was answered with the
first one's jobs."""

from __future__ import annotations

from iris.jobs.models import Job
from tests.api.conftest import Member
from tests.api.uploads import assert_problem, job_ids, upload

Cast = dict[str, Member]


def test_a_key_over_255_characters_is_400_naming_the_header(cast: Cast) -> None:
    client = cast["manager"].client
    for ending in ("a", "b"):  # two keys alike in their first 255 characters
        response = upload(client, headers={"HTTP_IDEMPOTENCY_KEY": "k" * 255 + ending})
        problem = assert_problem(response, 400, "invalid-request")
        assert "Idempotency-Key" in problem["detail"]
    assert not Job.objects.exists()


def test_a_key_of_255_characters_is_kept_whole(cast: Cast) -> None:
    client = cast["manager"].client
    first = upload(client, headers={"HTTP_IDEMPOTENCY_KEY": "k" * 255})
    again = upload(client, headers={"HTTP_IDEMPOTENCY_KEY": "k" * 255})
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert job_ids(again) == job_ids(first)
