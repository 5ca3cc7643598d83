"""List filters whose values the database can always take: what it would refuse
(an address that is not one, an offset PostgreSQL cannot store) is a 400 here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, in UTC: any offset Python reads (up to ±23:59) is accepted,
    where PostgreSQL stores offsets only up to ±15:59."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
            raise forms.ValidationError("the time is out of range") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class IpAddressFilter(django_filters.CharFilter):
    field_class = forms.GenericIPAddressField


def created_between() -> tuple[UtcDateTimeFilter, UtcDateTimeFilter]:
    """``created_after`` (inclusive) and ``created_before`` (exclusive)."""
    return (
        UtcDateTimeFilter(field_name="created", lookup_expr="gte"),
        UtcDateTimeFilter(field_name="created", lookup_expr="lt"),
    )
