"""List filters say when a value cannot match: an unknown choice, a language tag that
is not one, a page size outside 1..1000 are 400 problems naming the parameter (they
answered an empty list, or were ignored). A language is matched as uploads store it."""

from __future__ import annotations

import pytest

from tests.api.conftest import Member
from tests.api.uploads import JOBS, assert_problem, job_ids, upload

Cast = dict[str, Member]


@pytest.fixture
def job_id(cast: Cast) -> int:
    response = upload(cast["manager"].client, target_langs="fr")
    assert response.status_code == 201, response.content
    return job_ids(response)[0]


@pytest.mark.parametrize("query", ["qa_status=bogus", "origin=bogus"])
def test_an_unknown_segment_choice_is_400(cast: Cast, job_id: int, query: str) -> None:
    response = cast["viewer"].client.get(f"{JOBS}{job_id}/segments/?{query}")
    problem = assert_problem(response, 400, "invalid-request")
    assert list(problem["errors"]) == [query.split("=")[0]]


def test_an_unknown_job_state_is_400(cast: Cast) -> None:
    problem = assert_problem(cast["viewer"].client.get(f"{JOBS}?state=bogus"), 400)
    assert list(problem["errors"]) == ["state"]


@pytest.mark.parametrize("tag", ["fr", "FR", " fr", "Fr"])
def test_a_language_filter_matches_as_uploads_store_it(cast: Cast, job_id: int, tag: str) -> None:
    response = cast["viewer"].client.get(JOBS, {"target_lang": tag})
    assert response.status_code == 200, response.content
    assert [job["id"] for job in response.json()["results"]] == [job_id]


def test_source_lang_filter_normalises_too(cast: Cast, job_id: int) -> None:
    response = cast["viewer"].client.get(JOBS, {"source_lang": "EN"})
    assert [job["id"] for job in response.json()["results"]] == [job_id]


@pytest.mark.parametrize("query", ["target_lang=not a tag", "source_lang=zz-!!"])
def test_a_language_filter_that_is_no_tag_is_400(cast: Cast, query: str) -> None:
    problem = assert_problem(cast["viewer"].client.get(f"{JOBS}?{query}"), 400)
    assert list(problem["errors"]) == [query.split("=")[0]]


@pytest.mark.parametrize("size", ["0", "-1", "abc", "1001", "1.5", "²"])
@pytest.mark.parametrize("path", [JOBS, "/api/v1/teams/", "/api/v1/tokens/"])
def test_a_page_size_outside_1_to_1000_is_400(cast: Cast, path: str, size: str) -> None:
    problem = assert_problem(cast["admin"].client.get(path, {"page_size": size}), 400)
    assert "page_size" in problem["detail"]
    assert "1000" in problem["detail"]


def test_a_page_size_outside_1_to_1000_is_400_for_segments(cast: Cast, job_id: int) -> None:
    response = cast["viewer"].client.get(f"{JOBS}{job_id}/segments/?page_size=0")
    assert "page_size" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize("size", ["1", "1000"])
def test_a_page_size_within_bounds_is_taken(cast: Cast, job_id: int, size: str) -> None:
    response = cast["viewer"].client.get(JOBS, {"page_size": size})
    assert response.status_code == 200, response.content
