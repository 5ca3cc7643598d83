"""Cached engine answers expire after IRIS_ENGINE_CACHE_DAYS; the ledger stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from iris.jobs.models import CachedTranslation
from iris.jobs.usage import expire_cached

pytestmark = pytest.mark.django_db


def test_old_answers_expire_and_recent_ones_stay(settings) -> None:
    settings.IRIS_ENGINE_CACHE_DAYS = 30
    old = CachedTranslation.objects.create(key="a" * 64, engine="openai", target="alt")
    new = CachedTranslation.objects.create(key="b" * 64, engine="openai", target="neu")
    CachedTranslation.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=31))
    assert expire_cached() == 1
    assert list(CachedTranslation.objects.values_list("pk", flat=True)) == [new.pk]
    assert expire_cached(days=0) == 1
