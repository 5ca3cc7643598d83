"""The audit log: filtered, newest first, each record's before and after side by side;
the filtered records as a CSV download (streamed, safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from iris.console.access import fragment, requires
from iris.governance.models import AuditRecord
from iris.governance.permissions import Permission as P

PAGE_SIZE = 50
#: a spreadsheet reads a cell starting with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "created",
    "actor",
    "role",
    "source_ip",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "user_agent",
    "request_id",
)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Actor", required=False, max_length=150)
    action = forms.CharField(label="Action", required=False, max_length=64)
    object_type = forms.CharField(label="Object type", required=False, max_length=64)
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    since = forms.DateField(label="From (day)", required=False)
    until = forms.DateField(label="To (day, included)", required=False)

    def records(self) -> QuerySet[AuditRecord]:
        """The records the (valid) form asks for, newest first."""
        data = self.cleaned_data
        records = AuditRecord.objects.order_by("-created", "-id")
        exact = {
            "actor_label": data["actor"].strip(),
            "action": data["action"].strip(),
            "object_type": data["object_type"].strip(),
            "object_id": data["object_id"].strip(),
        }
        records = records.filter(**{field: value for field, value in exact.items() if value})
        if data["since"]:
            records = records.filter(created__gte=_midnight(data["since"]))
        if data["until"]:
            records = records.filter(created__lt=_midnight(data["until"]) + timedelta(days=1))
        return records


def _midnight(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def shown(value: Any) -> str:
    """One before/after value as a person reads it."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(record: AuditRecord) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field either side names, changed or not."""
    before = record.before if isinstance(record.before, dict) else {"value": record.before}
    after = record.after if isinstance(record.after, dict) else {"value": record.after}
    names = list(dict.fromkeys([*before, *after]))
    return [
        (name, shown(before.get(name)) if name in before else "", shown(after.get(name)))
        for name in names
    ]


@requires(P.AUDIT_VIEW)
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    records = form.records() if form.is_valid() else AuditRecord.objects.none()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "section": "audit",
        "form": form,
        "page": page,
        "rows": [(record, changes(record)) for record in page],
        "query": query.urlencode(),
    }
    if fragment(request):
        return render(request, "console/records/_audit_rows.html", context)
    actions = AuditRecord.objects.order_by("action").values_list("action", flat=True)
    context["actions"] = actions.distinct()
    return render(request, "console/records/audit.html", context)


def spreadsheet_safe(value: str) -> str:
    """``value`` as text a spreadsheet shows rather than evaluates (OWASP's advice:
    a leading quote before =, +, -, @, tab and carriage return)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_row(record: AuditRecord) -> list[str]:
    values = [
        str(record.pk),
        record.created.isoformat(),
        record.actor_label,
        record.role,
        record.source_ip or "",
        record.action,
        record.object_type,
        record.object_id,
        json.dumps(record.before, ensure_ascii=False, sort_keys=True),
        json.dumps(record.after, ensure_ascii=False, sort_keys=True),
        record.user_agent,
        record.request_id,
    ]
    return [spreadsheet_safe(value) for value in values]


class _Echo:
    """A file that hands back what the csv writer writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(records: Iterable[AuditRecord]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for record in records:
        yield writer.writerow(csv_row(record))


@requires(P.AUDIT_VIEW)
def audit_export(request: HttpRequest) -> HttpResponseBase:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse("bad filters", status=400, content_type="text/plain")
    records = form.records().iterator(chunk_size=2000)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(csv_lines(records), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iris-audit-{stamp}.csv"'
    return response


urlpatterns = [
    path("audit/", audit, name="audit"),
    path("audit/export.csv", audit_export, name="audit-export"),
]
