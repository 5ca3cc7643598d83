"""What engines used and cost, recorded per request, and the cache of their answers.

:class:`BatchStore` is the :class:`iris.engines.base.ResultStore` a batch's translation
hands to its engine: every request that returns has its usage (priced) written as an
:class:`EngineCall` of the batch and its answers cached, in one transaction, at once.
A batch that is translated again (a retry, a redelivery, a resume) therefore finds
what was already paid for in the cache, and the money spent is counted once, in the
calls, whichever attempt spent it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from iris.engines.base import Answer, Usage
from iris.engines.prices import priced
from iris.jobs.models import CachedTranslation, EngineCall

#: keys per lookup query (well under every database's parameter limit)
LOOKUP_CHUNK = 500
USAGE_FIELDS = ("characters", "input_tokens", "output_tokens", "cost")


class BatchStore:
    """The result store of one batch of one job, for one engine."""

    def __init__(self, job_id: int, batch_id: int | None, engine: str, price_keys: tuple[str, ...]):
        self.job_id, self.batch_id, self.engine = job_id, batch_id, engine
        self.price_keys = price_keys

    def cached(self, keys: Sequence[str]) -> Mapping[str, Answer]:
        found: dict[str, Answer] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            rows = CachedTranslation.objects.filter(key__in=keys[start : start + LOOKUP_CHUNK])
            found |= {
                key: (target, flag)
                for key, target, flag in rows.values_list("key", "target", "flag")
            }
        return found

    def record(self, answers: Mapping[str, Answer], usage: Usage) -> None:
        call = EngineCall(
            job_id=self.job_id,
            batch_id=self.batch_id,
            characters=usage.characters,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost=priced(usage, self.price_keys).cost,
        )
        if not answers:  # an engine that is not cached: the usage only
            call.save(force_insert=True)
            return
        with transaction.atomic():
            call.save(force_insert=True)
            CachedTranslation.objects.bulk_create(
                [
                    CachedTranslation(key=key, engine=self.engine, target=target, flag=flag)
                    for key, (target, flag) in answers.items()
                ],
                ignore_conflicts=True,  # the same answer, cached by another batch meanwhile
            )


def expire_cached(days: int | None = None) -> int:
    """Delete cached answers older than ``days`` (``IRIS_ENGINE_CACHE_DAYS``); how many.
    The maintenance tick (operations issue) calls this; the ledger is never expired."""
    age = settings.IRIS_ENGINE_CACHE_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=age)
    deleted, _ = CachedTranslation.objects.filter(created__lt=cutoff).delete()
    return deleted


def _summed(**where: int) -> Usage:
    totals = EngineCall.objects.filter(**where).aggregate(
        **{name: Sum(name) for name in USAGE_FIELDS}
    )
    return Usage(
        int(totals["characters"] or 0),
        int(totals["input_tokens"] or 0),
        int(totals["output_tokens"] or 0),
        round(float(totals["cost"] or 0.0), 6),
    )


def job_usage(job_id: int) -> Usage:
    """What every request made for the job used and cost."""
    return _summed(job_id=job_id)
