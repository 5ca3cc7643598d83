"""The database backend's hot path: one query a batch, a rebuilt Matcher after an edit."""

from __future__ import annotations

import pytest

from iris.glossary.backends import DatabaseBackend
from iris.glossary.service import TermData, add_term

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

SEGMENTS = [f"Contract number {n} and its clauses." for n in range(200)]


def test_one_query_per_batch_once_built(django_assert_num_queries) -> None:
    add_term("en", "fr", TermData("contract", ("contrat",)))
    store = DatabaseBackend()
    with django_assert_num_queries(2):  # the glossary, then its terms
        store.terms_for("en", "fr", SEGMENTS)
    with django_assert_num_queries(1):
        results = store.terms_for("en", "fr", SEGMENTS)
    assert all(len(matches) == 1 for matches in results)


def test_an_edit_is_seen_by_the_next_call() -> None:
    add_term("en", "fr", TermData("contract", ("contrat",)))
    store = DatabaseBackend()
    assert [len(m) for m in store.terms_for("en", "fr", SEGMENTS[:1])] == [1]
    add_term("en", "fr", TermData("clause", ("clause",)))
    assert [len(m) for m in store.terms_for("en", "fr", SEGMENTS[:1])] == [2]


def test_no_glossary_costs_one_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        assert DatabaseBackend().terms_for("en", "fr", SEGMENTS[:2]) == [[], []]
