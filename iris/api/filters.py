"""List filters whose values the database can always take: what it would refuse
(an address that is not one, an offset PostgreSQL cannot store) is a 400 here; and
values read as the rows were stored (a language tag in its standard form)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from iris.jobs.languages import AUTO, UnknownLanguageError, normalize_language


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


class LanguageField(forms.CharField):
    """A language tag in the standard form uploads store (``FR`` is ``fr``), or
    ``auto``; a tag that is not one is an error, not a filter that matches nothing."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        if text in ("", AUTO):
            return text
        try:
            return normalize_language(text)
        except UnknownLanguageError as exc:
            raise forms.ValidationError(str(exc)) from None


class LanguageFilter(django_filters.CharFilter):
    field_class = LanguageField


def created_between() -> tuple[UtcDateTimeFilter, UtcDateTimeFilter]:
    """``created_after`` (inclusive) and ``created_before`` (exclusive)."""
    return (
        UtcDateTimeFilter(field_name="created", lookup_expr="gte"),
        UtcDateTimeFilter(field_name="created", lookup_expr="lt"),
    )
