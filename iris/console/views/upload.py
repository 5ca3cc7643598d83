"""Upload: a document, its languages, engine and policy; the estimate and the memory
analysis shown before anything starts (an htmx fragment, nothing stored), then the
jobs created by the same action as the API's (iris/jobs/actions.py)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iris.console.access import actor, requires
from iris.docx import DocxError
from iris.engines.base import UnsupportedPairError
from iris.engines.registry import UnknownEngineError
from iris.governance.permissions import Permission as P
from iris.governance.teams import TeamChoiceError, owning_team
from iris.jobs.actions import JobRequestError, TranslationRequest, create_jobs
from iris.jobs.estimate import analyse_request, estimate_request, read_request
from iris.jobs.languages import UnknownLanguageError

#: what makes a request unusable, each with a message meant for the user
REFUSED = (
    UnknownLanguageError,
    UnknownEngineError,
    UnsupportedPairError,
    JobRequestError,
    DocxError,
    TeamChoiceError,
    ValueError,
)


class UploadForm(forms.Form):
    file = forms.FileField(label="Document (.docx, .doc, .rtf, .odt)")
    source_lang = forms.CharField(label="Source language", initial="auto", max_length=35)
    target_langs = forms.CharField(
        label="Target languages", help_text="BCP-47 tags, comma-separated (fr, de, pt-BR)"
    )
    engine = forms.CharField(label="Engine", required=False, help_text="empty: the default")
    review_required = forms.BooleanField(label="Stop for review before delivery", required=False)
    review_coverage = forms.IntegerField(
        label="Review coverage needed (%)", min_value=0, max_value=100, initial=100, required=False
    )
    budget = forms.FloatField(
        label="Budget (US dollars, empty: no cap)", min_value=0, required=False
    )
    team = forms.CharField(
        label="Team", required=False, help_text="needed only if you belong to several teams"
    )
    extraction = forms.CharField(
        label="Extraction policy (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='e.g. {"excluded_styles": ["Code"], "alt_text": false}',
    )

    def request(self, user: User) -> TranslationRequest:
        data = self.cleaned_data
        upload = data["file"]
        coverage = data.get("review_coverage")
        return TranslationRequest(
            name=(upload.name or "document.docx")[-200:],
            data=upload.read(),
            target_langs=[t.strip() for t in data["target_langs"].split(",") if t.strip()],
            source_lang=data["source_lang"].strip() or "auto",
            engine=data.get("engine", "").strip(),
            review_required=bool(data.get("review_required")),
            review_policy=None if coverage is None else {"segments": coverage, "words": coverage},
            budget=data.get("budget"),
            extraction=_json_object(data.get("extraction", "")),
            team_id=owning_team(user, data.get("team", "").strip()),
        )


def _json_object(text: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JobRequestError(f"the extraction policy is not JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise JobRequestError("the extraction policy must be a JSON object")
    return value


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # `requires` let only signed-in users in
    return request.user


@requires(P.JOB_CREATE)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            jobs = create_jobs(form.request(_user(request)), actor(request))
        except REFUSED as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{len(jobs)} job(s) started")
            if len(jobs) == 1:
                return redirect("console:job", job_id=jobs[0].pk)
            return redirect("console:jobs")
    return render(request, "console/upload.html", {"section": "upload", "form": form})


@requires(P.JOB_CREATE)
def upload_estimate(request: HttpRequest) -> HttpResponse:
    """The estimate and analysis of the form as it stands (nothing is stored)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            read = read_request(form.request(_user(request)))
        except REFUSED as exc:
            context["problem"] = str(exc)
        else:
            context["estimates"] = estimate_request(read)
            context["analyses"] = analyse_request(read)
            context["units"] = sum(1 for unit in read.units if unit.translatable)
            context["words"] = sum(unit.words for unit in read.units if unit.translatable)
    return render(request, "console/_estimate.html", context)
