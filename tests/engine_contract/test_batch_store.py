"""The real result store (iris/jobs/usage.py): the first run's requests become engine
calls and their answers cached translations; a second run adds neither."""

from __future__ import annotations

import pytest

from iris.engines.base import Usage
from iris.jobs.models import CachedTranslation, EngineCall, Job
from iris.jobs.usage import BatchStore, job_usage
from tests.engine_contract.harness import SENTENCES, Contract

pytestmark = pytest.mark.django_db


def test_a_second_run_is_answered_by_the_cache_without_a_call(contract: Contract) -> None:
    source, target = contract.pair
    job = Job.objects.create(
        source_name="a.docx", source_lang=source, target_lang=target, engine=contract.name
    )
    contract.cut(2)
    request = contract.request(*SENTENCES[:5], "  ")
    engine = contract.engine()
    first = engine.translate(request, BatchStore(job.pk, None, engine.name, engine.price_keys()))
    requests = len(contract.sent())
    assert requests == 3
    assert EngineCall.objects.filter(job=job).count() == requests
    used = job_usage(job.pk)
    assert (used.characters, used.tokens) == (first.usage.characters, first.usage.tokens)
    cached = CachedTranslation.objects.filter(engine=engine.name)
    assert dict(cached.values_list("key", "target")) == {
        engine.cache_key(request, s): first.targets[s.key] for s in request.segments[:5]
    }
    again = contract.engine()  # as a retried task builds it: a new engine and store
    second = again.translate(request, BatchStore(job.pk, None, again.name, again.price_keys()))
    assert len(contract.sent()) == requests
    assert second.targets == first.targets
    assert second.usage == Usage()
    assert EngineCall.objects.filter(job=job).count() == requests
    assert job_usage(job.pk) == used
