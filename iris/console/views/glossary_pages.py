"""The glossary page: terms per language pair, searched; a term added, edited or
deleted; CSV/TBX import and export — every change through iris/glossary/service.py,
which versions, audits and syncs the search backend."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from iris.console.access import actor, fragment, requires
from iris.console.views.files import file_download, safe_name, saved_upload
from iris.glossary.backends import GlossaryBackendError
from iris.glossary.models import Glossary, GlossaryTerm
from iris.glossary.pairs import glossary_language
from iris.glossary.service import (
    GlossaryError,
    InterchangeError,
    InvalidTermError,
    TermData,
    add_term,
    delete_term,
    export_terms,
    import_terms,
    term_data,
    update_term,
)
from iris.governance.permissions import Permission as P
from iris.jobs.languages import UnknownLanguageError

PAGE_SIZE = 50
#: what the glossary refuses, each with a message meant for the user
REFUSED = (GlossaryError, InvalidTermError, InterchangeError, UnknownLanguageError)
SEPARATOR = "|"
_SEPARATED = f"several separated by {SEPARATOR}"


class PairForm(forms.Form):
    source_lang = forms.CharField(label="Source language", max_length=35)
    target_lang = forms.CharField(label="Target language", max_length=35)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("source_lang", "target_lang"):
            if data.get(name):
                try:
                    data[name] = glossary_language(data[name])
                except UnknownLanguageError as exc:
                    self.add_error(name, str(exc))
        return data


class TermForm(forms.Form):
    source = forms.CharField(label="Source term", max_length=500)
    targets = forms.CharField(
        label="Allowed translations", required=False, help_text=f"the preferred first; {_SEPARATED}"
    )
    part_of_speech = forms.CharField(label="Part of speech", required=False, max_length=32)
    forbidden = forms.CharField(
        label="Forbidden translations",
        required=False,
        help_text=f"variants never to use; {_SEPARATED}",
    )
    case_sensitive = forms.BooleanField(label="Case-sensitive", required=False)
    do_not_translate = forms.BooleanField(label="Do not translate (kept as it is)", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def term(self) -> TermData:
        data = self.cleaned_data
        return TermData(
            source=data["source"],
            targets=tuple(data["targets"].split(SEPARATOR)),
            part_of_speech=data["part_of_speech"],
            case_sensitive=data["case_sensitive"],
            forbidden=tuple(data["forbidden"].split(SEPARATOR)),
            do_not_translate=data["do_not_translate"],
            note=data["note"],
        )


def initial_of(term: GlossaryTerm) -> dict[str, Any]:
    data = term_data(term)
    return {
        "source": data.source,
        "targets": f" {SEPARATOR} ".join(data.targets),
        "part_of_speech": data.part_of_speech,
        "forbidden": f" {SEPARATOR} ".join(data.forbidden),
        "case_sensitive": data.case_sensitive,
        "do_not_translate": data.do_not_translate,
        "note": data.note,
    }


class ImportForm(PairForm):
    file = forms.FileField(label="CSV or TBX file")
    replace = forms.BooleanField(label="Remove terms the file does not have", required=False)


def _terms(glossary: Glossary | None, text: str) -> QuerySet[GlossaryTerm]:
    if glossary is None:
        return GlossaryTerm.objects.none()
    terms = glossary.terms.order_by("source", "part_of_speech", "id")
    if text:
        # targets is a JSON list: its text holds every rendering (a cheap, broad match);
        # SQLite keeps non-ASCII letters in it as \u escapes, so those are asked for too
        escaped = json.dumps(text)[1:-1]
        targets = Q(targets__icontains=text) | Q(targets__icontains=escaped)
        terms = terms.filter(Q(source__icontains=text) | targets | Q(note__icontains=text))
    return terms


def _chosen_pair(request: HttpRequest) -> tuple[PairForm, Glossary | None]:
    pair = PairForm(request.GET)
    if not pair.is_valid():
        return pair, None
    data = pair.cleaned_data
    found = Glossary.objects.filter(
        source_lang=data["source_lang"], target_lang=data["target_lang"]
    )
    return pair, found.first()


@requires(P.GLOSSARY_VIEW)
def glossary(request: HttpRequest) -> HttpResponse:
    pair, chosen = _chosen_pair(request)
    text = request.GET.get("q", "").strip()[:200]
    page = Paginator(_terms(chosen, text), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "section": "glossary",
        "pair": pair,
        "glossary": chosen,
        "q": text,
        "page": page,
        "query": query.urlencode(),
    }
    if fragment(request):
        return render(request, "console/records/_glossary_rows.html", context)
    context |= {
        "glossaries": Glossary.objects.annotate(term_count=Count("terms")).order_by(
            "source_lang", "target_lang"
        ),
        "term_form": TermForm(auto_id="term-%s"),
    }
    return render(request, "console/records/glossary.html", context)


def _pair_page(source_lang: str, target_lang: str) -> HttpResponse:
    query = urlencode({"source_lang": source_lang, "target_lang": target_lang})
    return redirect(f"{reverse('console:glossary')}?{query}")


@require_POST
@requires(P.GLOSSARY_MANAGE)
def term_add(request: HttpRequest) -> HttpResponse:
    pair, form = PairForm(request.POST), TermForm(request.POST)
    if not (pair.is_valid() and form.is_valid()):
        messages.error(request, f"the term was not added: {_errors(pair, form)}")
        return redirect("console:glossary")
    source, target = pair.cleaned_data["source_lang"], pair.cleaned_data["target_lang"]
    try:
        term = add_term(source, target, form.term(), actor(request))
    except REFUSED as exc:
        messages.error(request, f"the term was not added: {exc}")
    except GlossaryBackendError as exc:  # committed; the search index lags
        messages.warning(request, str(exc))
    else:
        messages.success(request, f"added {term.source!r} to the {source} → {target} glossary")
    return _pair_page(source, target)


def _errors(*forms_: forms.Form) -> str:
    return "; ".join(
        f"{name}: {' '.join(map(str, errors))}"
        for form in forms_
        for name, errors in form.errors.items()
    )


@requires(P.GLOSSARY_MANAGE)
def term_edit(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.select_related("glossary"), pk=term_id)
    form = TermForm(request.POST or None, initial=initial_of(term), auto_id="term-%s")
    if request.method == "POST" and form.is_valid():
        try:
            update_term(term.pk, form.term(), actor(request))
        except REFUSED as exc:
            form.add_error(None, str(exc))
        except GlossaryBackendError as exc:
            messages.warning(request, str(exc))
            return _pair_page(term.glossary.source_lang, term.glossary.target_lang)
        else:
            messages.success(request, f"saved {form.cleaned_data['source']!r}")
            return _pair_page(term.glossary.source_lang, term.glossary.target_lang)
    context = {"section": "glossary", "term": term, "form": form}
    return render(request, "console/records/term_edit.html", context)


@require_POST
@requires(P.GLOSSARY_MANAGE)
def term_delete(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.select_related("glossary"), pk=term_id)
    pair = term.glossary.source_lang, term.glossary.target_lang
    try:
        delete_term(term.pk, actor(request))
    except GlossaryError as exc:
        messages.error(request, str(exc))
    except GlossaryBackendError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, f"deleted {term.source!r}")
    return _pair_page(*pair)


@require_POST
@requires(P.GLOSSARY_MANAGE)
def glossary_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"nothing was imported: {_errors(form)}")
        return redirect("console:glossary")
    data = form.cleaned_data
    try:
        with saved_upload(data["file"], "glossary.csv") as saved:
            report = import_terms(
                saved, data["source_lang"], data["target_lang"], replace=data["replace"],
                actor=actor(request),
            )  # fmt: skip
    except REFUSED as exc:
        messages.error(request, f"nothing was imported: {exc}")
    except GlossaryBackendError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(
            request,
            f"{saved.name}: {report.added} added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.removed} removed (version {report.version})",
        )
    return _pair_page(data["source_lang"], data["target_lang"])


@requires(P.GLOSSARY_VIEW)
def glossary_export(request: HttpRequest) -> HttpResponseBase:
    pair = PairForm(request.GET)
    fmt = request.GET.get("format", "csv")
    if not pair.is_valid() or fmt not in ("csv", "tbx"):
        return HttpResponse("bad export request", status=400, content_type="text/plain")
    source, target = pair.cleaned_data["source_lang"], pair.cleaned_data["target_lang"]
    name = safe_name(f"glossary-{source}-{target}.{fmt}", f"glossary.{fmt}")
    kind = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-tbx+xml"
    try:
        return file_download(lambda out: export_terms(source, target, out, fmt), name, kind)
    except GlossaryError as exc:
        return HttpResponse(str(exc), status=404, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("glossary/", glossary, name="glossary"),
    path("glossary/terms/add", term_add, name="glossary-add"),
    path("glossary/terms/<int:term_id>/", term_edit, name="glossary-edit"),
    path("glossary/terms/<int:term_id>/delete", term_delete, name="glossary-delete"),
    path("glossary/import", glossary_import, name="glossary-import"),
    path("glossary/export", glossary_export, name="glossary-export"),
]
