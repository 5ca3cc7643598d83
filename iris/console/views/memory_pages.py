"""The translation memory page: search units, promote and demote them (with a reason,
required to demote), import TMX/CSV and export — every change through
iris/memory/service.py, which audits it."""

from __future__ import annotations

import tempfile
from io import TextIOWrapper
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from iris.console.access import actor, fragment, requires
from iris.console.views.files import safe_name, saved_upload
from iris.console.views.review import chips
from iris.governance.permissions import Permission as P
from iris.jobs.languages import UnknownLanguageError
from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.service import (
    FORMATS,
    InterchangeError,
    MemoryOperationError,
    export_file,
    import_file,
    set_status,
    stats,
    units_for,
)

PAGE_SIZE = 50
#: the most units one promote or demote names (the page shows PAGE_SIZE at a time)
MAX_SELECTED = 1000
REFUSED = (InterchangeError, MemoryOperationError, UnknownLanguageError)


class SearchForm(forms.Form):
    q = forms.CharField(label="Source or target text", required=False, max_length=500)
    source_lang = forms.CharField(label="Source language", required=False, max_length=35)
    target_lang = forms.CharField(label="Target language", required=False, max_length=35)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "any"), *UnitStatus.choices]
    )
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label="TMX or CSV file")
    source_lang = forms.CharField(label="Source language", max_length=35)
    target_lang = forms.CharField(label="Target language", max_length=35)
    promote = forms.BooleanField(label="Promote the imported units", required=False)


def searched(form: SearchForm) -> QuerySet[TranslationUnit]:
    """The units the (valid) search form asks for, oldest first."""
    data = form.cleaned_data
    units = units_for(data["source_lang"].strip(), data["target_lang"].strip(), data["status"])
    text = data["q"].strip()
    if text:
        units = units.filter(Q(source_plain__icontains=text) | Q(target__icontains=text))
    return units


def _page(form: SearchForm) -> tuple[list[TranslationUnit], int | None]:
    """One page of units by key (no count of a million rows), and the next page's key."""
    after = form.cleaned_data["after"] or 0
    rows = list(searched(form).filter(pk__gt=after)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, rows[-1].pk if more else None


def _query(form: SearchForm, **changes: Any) -> str:
    values = {k: v for k, v in (form.cleaned_data | changes).items() if v not in ("", None)}
    return urlencode(values)


@requires(P.MEMORY_VIEW)
def memory(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"section": "memory", "form": form, "statuses": UnitStatus}
    context["formats"] = FORMATS
    if form.is_valid():
        units, next_key = _page(form)
        context |= {
            # tags shown as the review editor shows them (chips), text escaped
            "rows": [(unit, chips(unit.source), chips(unit.target)) for unit in units],
            "next_query": _query(form, after=next_key) if next_key else "",
            "first_query": _query(form, after=None) if form.cleaned_data["after"] else "",
            "here": _query(form),
        }
    if fragment(request):
        return render(request, "console/records/_memory_rows.html", context)
    context["stats"] = stats()
    return render(request, "console/records/memory.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    """To the search the form was posted from (only its query string is taken)."""
    form = SearchForm(request.POST)
    query = _query(form) if form.is_valid() else ""
    return redirect(reverse("console:memory") + (f"?{query}" if query else ""))


def _chosen(request: HttpRequest) -> tuple[str, list[int]]:
    """What to do to which units: a row's own button (``one=promote:12``) or the
    buttons under the table for the ticked rows (``change`` and ``unit``)."""
    one = request.POST.get("one", "")
    if one:
        change, _, unit = one.partition(":")
        return change, [int(unit)] if unit.isdigit() else []
    ids = sorted({int(v) for v in request.POST.getlist("unit") if v.isdigit()})
    return request.POST.get("change", ""), ids


@require_POST
@requires(P.MEMORY_MANAGE)
def memory_status(request: HttpRequest) -> HttpResponse:
    """Promote or demote the units ticked (or the one whose button was pressed)."""
    change, ids = _chosen(request)
    reason = request.POST.get("reason", "").strip()[:500]
    if change not in ("promote", "demote"):
        messages.error(request, "promote or demote?")
    elif not ids or len(ids) > MAX_SELECTED:
        messages.error(request, f"choose between 1 and {MAX_SELECTED} units")
    elif change == "demote" and not reason:
        messages.error(request, "say why the units are demoted: nothing was changed")
    else:
        status = UnitStatus.PROMOTED if change == "promote" else UnitStatus.CANDIDATE
        units = TranslationUnit.objects.filter(pk__in=ids)
        scope = ("memory.units", ",".join(map(str, ids)))
        changed = set_status(units, status, actor(request), scope, reason)
        messages.success(request, f"{change}d {changed} unit(s) of {len(ids)} chosen")
    return _back(request)


@require_POST
@requires(P.MEMORY_MANAGE)
def memory_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"import: {_first_error(form)}")
        return redirect("console:memory")
    data = form.cleaned_data
    try:
        with saved_upload(data["file"], "memory.tmx") as saved:
            report = import_file(
                saved,
                data["source_lang"],
                data["target_lang"],
                promote=data["promote"],
                actor=actor(request),
            )
    except REFUSED as exc:
        messages.error(request, f"nothing was imported: {exc}")
    else:
        messages.success(
            request,
            f"{saved.name}: imported {report.created} unit(s), "
            f"{report.duplicates} already in the memory",
        )
    return redirect("console:memory")


def _first_error(form: forms.Form) -> str:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return f"{label or 'form'}: {errors[0]}"


@requires(P.MEMORY_MANAGE)
def memory_export(request: HttpRequest) -> HttpResponseBase:
    """The units of the search as a TMX or CSV download."""
    form = SearchForm(request.GET)
    fmt = request.GET.get("format", "tmx")
    if not form.is_valid() or fmt not in FORMATS:
        return HttpResponse("bad export request", status=400, content_type="text/plain")
    units = searched(form)
    source = form.cleaned_data["source_lang"].strip()
    source = source or units.values_list("source_lang", flat=True).first() or "en"
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    if fmt == "tmx":
        export_file(handle, fmt, units, source_lang=source)
    else:
        text = TextIOWrapper(handle, encoding="utf-8", newline="")
        export_file(text, fmt, units, source_lang=source)
        text.flush()
        text.detach()
    handle.seek(0)
    name = safe_name(f"memory-{source}.{fmt}", f"memory.{fmt}")
    kind = "application/x-tmx+xml" if fmt == "tmx" else "text/csv; charset=utf-8"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=kind)


urlpatterns = [
    path("memory/", memory, name="memory"),
    path("memory/status", memory_status, name="memory-status"),
    path("memory/import", memory_import, name="memory-import"),
    path("memory/export", memory_export, name="memory-export"),
]
