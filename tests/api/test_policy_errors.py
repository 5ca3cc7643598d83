"""Every refused part of an upload's ``policy`` is reported the same way: a 400
problem whose ``errors.policy`` names the part (a negative budget, a QA, review or
extraction policy the domain refuses answered a bare detail without ``errors``)."""

from __future__ import annotations

import pytest

from iris.jobs.models import Job
from tests.api.conftest import Member
from tests.api.uploads import assert_problem, upload


@pytest.mark.parametrize(
    ("policy", "named"),
    [
        ('{"budget": -1}', "budget"),
        ('{"budget": -0.01}', "budget"),
        ('{"budget": 1e400}', "budget"),  # JSON reads it as infinity
        ('{"qa": {"disable": ["lenght"]}}', "qa"),
        ('{"qa": {"colour": 1}}', "qa"),
        ('{"review": {"segments": "x"}}', "review"),
        ('{"review": {"colour": 1}}', "review"),
        ('{"extraction": {"alt_text": "maybe"}}', "extraction"),
        ('{"extraction": {"colour": true}}', "extraction"),
        ('{"budget": "ten"}', "budget"),
        ('{"colour": 1}', "colour"),
    ],
)
def test_a_refused_policy_part_is_named_in_errors(
    cast: dict[str, Member], policy: str, named: str
) -> None:
    response = upload(cast["manager"].client, policy=policy)
    problem = assert_problem(response, 400, "invalid-request")
    assert list(problem["errors"]) == ["policy"], problem
    assert named in str(problem["errors"]["policy"])
    assert not Job.objects.exists()


def test_a_budget_of_0_is_no_cap(cast: dict[str, Member]) -> None:
    response = upload(cast["manager"].client, policy='{"budget": 0}')
    assert response.status_code == 201, response.content
