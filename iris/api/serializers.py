"""What the API accepts and returns. Responses are built from the jobs read-models
(iris/jobs/progress.py), the same the command line shows."""

from __future__ import annotations

import math
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from iris.artifacts.models import ArtifactKind
from iris.governance.models import ApiToken, AuditRecord, Role, Team
from iris.jobs.extraction_policy import requested_policy
from iris.jobs.models import JobState
from iris.jobs.progress import JobReport, JobStatus
from iris.qa.checks import QaPolicy, QaPolicyError
from iris.review.policy import ReviewPolicy, ReviewPolicyError

# --- jobs --------------------------------------------------------------------------


class StepSerializer(serializers.Serializer[Any]):
    step = serializers.CharField()
    status = serializers.ChoiceField(choices=["waiting", "running", "done", "failed"])
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    seconds = serializers.FloatField()


class JobSerializer(serializers.Serializer[Any]):
    """A job's state and progress (:class:`iris.jobs.progress.JobStatus`)."""

    id = serializers.IntegerField()
    uuid = serializers.UUIDField()
    request_id = serializers.UUIDField(required=False)
    source_name = serializers.CharField()
    source_lang = serializers.CharField()
    target_lang = serializers.CharField()
    engine = serializers.CharField()
    state = serializers.ChoiceField(choices=JobState.choices)
    step = serializers.CharField(allow_blank=True)
    error = serializers.CharField(allow_blank=True)
    failed_step = serializers.CharField(allow_blank=True)
    segments_done = serializers.IntegerField()
    segments_total = serializers.IntegerField()
    words_done = serializers.IntegerField()
    words_total = serializers.IntegerField()
    fraction = serializers.FloatField(help_text="share of the words translated, 0 to 1")
    eta_seconds = serializers.FloatField(allow_null=True, help_text="time left in translation")
    finished = serializers.BooleanField()
    created = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    steps = StepSerializer(many=True)
    queue = serializers.CharField(allow_blank=True)
    paused_reason = serializers.CharField(allow_blank=True)
    budget = serializers.FloatField(allow_null=True)
    creator = serializers.CharField(allow_blank=True)
    team = serializers.CharField(allow_blank=True)


#: JobStatus's fields: job_data reads them one by one, not with dataclasses.asdict,
#: which deep-copies every value (a list page of 50 jobs spent most of its time there)
_STATUS_FIELDS = tuple(item.name for item in fields(JobStatus))


def job_data(status: JobStatus) -> dict[str, Any]:
    data = {name: getattr(status, name) for name in _STATUS_FIELDS}
    data["state"] = str(status.state)
    data["steps"] = [
        {
            "step": str(step.step),
            "status": str(step.status),
            "done": step.done,
            "total": step.total,
            "seconds": step.seconds,
        }
        for step in status.steps
    ]
    data["fraction"] = status.fraction
    eta = status.eta
    data["eta_seconds"] = None if eta is None else eta.total_seconds()
    data["finished"] = status.finished
    return data


class DeliverySerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    content_type = serializers.CharField()


class JobDetailSerializer(JobSerializer):
    """A job with what it is judged by (:class:`iris.jobs.progress.JobReport`)."""

    usage = serializers.DictField(child=serializers.FloatField())
    qa = serializers.DictField(child=serializers.IntegerField(), help_text="segments per QA status")
    qa_checks = serializers.DictField(child=serializers.IntegerField())
    origins = serializers.DictField(child=serializers.IntegerField())
    fidelity = serializers.DictField()
    analysis = serializers.DictField()
    terms = serializers.DictField()
    extraction = serializers.DictField(help_text="every switch of the extraction policy applied")
    delivery = DeliverySerializer(allow_null=True)


def job_detail_data(report: JobReport) -> dict[str, Any]:
    delivery = report.delivery
    return job_data(report.status) | {
        "usage": report.usage,
        "qa": report.qa,
        "qa_checks": report.qa_checks,
        "origins": report.origins,
        "fidelity": report.fidelity,
        "analysis": report.analysis,
        "terms": report.terms,
        "extraction": report.extraction,
        "delivery": None if delivery is None else asdict(delivery),
    }


class ListOrCommaField(serializers.ListField):
    """A list given as repeated form fields, a JSON list, or one comma-separated value."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, str):
            data = [part.strip() for part in data.split(",") if part.strip()]
        elif isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = [part.strip() for part in data[0].split(",") if part.strip()]
        return list(super().to_internal_value(data))


POLICY_KEYS = (
    "review_required",
    "review",
    "budget",
    "qa",
    "retention",
    "keep_format",
    "extraction",
)


class JobCreateSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="the document: .docx (or .doc, .rtf, .odt)")
    source_lang = serializers.CharField(default="auto", help_text="BCP-47 tag, or auto")
    target_langs = ListOrCommaField(
        child=serializers.CharField(max_length=35),
        min_length=1,
        max_length=50,
        help_text="one job per target language (BCP-47 tags)",
    )
    engine = serializers.CharField(required=False, default="", allow_blank=True)
    engine_options = serializers.JSONField(required=False, default=dict)
    policy = serializers.JSONField(
        required=False,
        default=dict,
        help_text="review_required (bool), review (the review gate: "
        '{"segments": 100, "words": 100, "auto_deliver": true}), budget (USD; 0: no cap), '
        "qa (QA policy), "
        "retention ({artifact kind: days}), keep_format (bool), extraction (switches of "
        'the extraction policy: {"excluded_styles": ["Code"], "alt_text": false})',
    )
    team = serializers.CharField(required=False, default="", allow_blank=True)

    def validate_engine_options(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("expected a JSON object")
        return value

    def validate_policy(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("expected a JSON object")
        unknown = sorted(set(value) - set(POLICY_KEYS))
        if unknown:
            raise serializers.ValidationError(
                f"unknown policy keys {unknown}; known: {', '.join(POLICY_KEYS)}"
            )
        for key in ("review_required", "keep_format"):
            if not isinstance(value.get(key, False), bool):
                raise serializers.ValidationError(f"{key}: expected true or false")
        _check_budget(value.get("budget"))
        for key in ("qa", "extraction", "review"):
            if not isinstance(value.get(key, {}), dict):
                raise serializers.ValidationError(f"{key}: expected a JSON object")
        _check_domain_policies(value)
        return value | {"retention": _retention(value.get("retention", {}))}


def _check_budget(budget: Any) -> None:
    if budget is None:
        return
    if isinstance(budget, bool) or not isinstance(budget, int | float):
        raise serializers.ValidationError("budget: expected an amount of US dollars")
    if not math.isfinite(budget) or budget < 0:  # JSON reads 1e400 as infinity
        raise serializers.ValidationError("budget: an amount of US dollars, 0 or more")


def _check_domain_policies(value: dict[str, Any]) -> None:
    """The QA, review and extraction policies read as the upload will read them, so
    that what they refuse is reported under ``errors`` like every other policy error."""
    try:
        QaPolicy.from_spec(value.get("qa") or None)
    except QaPolicyError as exc:
        raise serializers.ValidationError(f"qa: {exc}") from None
    try:
        ReviewPolicy.from_json(value.get("review") or None)
    except ReviewPolicyError as exc:
        raise serializers.ValidationError(f"review: {exc}") from None
    try:
        requested_policy(value.get("extraction") or None)
    except ValueError as exc:
        raise serializers.ValidationError(f"extraction: {exc}") from None


def _retention(value: Any) -> dict[str, int]:
    kinds = set(ArtifactKind.values)
    if not isinstance(value, dict) or not all(
        key in kinds and isinstance(days, int) and not isinstance(days, bool) and days >= 1
        for key, days in value.items()
    ):
        raise serializers.ValidationError(
            f"retention: expected {{kind: days}} with kinds among {', '.join(sorted(kinds))} "
            "and whole days, 1 or more"
        )
    return value


class JobCreatedSerializer(serializers.Serializer[Any]):
    request_id = serializers.UUIDField()
    jobs = JobSerializer(many=True)


class JobUpdateSerializer(serializers.Serializer[Any]):
    budget = serializers.FloatField(
        min_value=0, allow_null=True, required=False, help_text="US dollars; 0 or null: no cap"
    )


class ControlSerializer(serializers.Serializer[Any]):
    """The job as it was when the command was accepted; the command runs as a task."""

    accepted = serializers.CharField()
    job = JobSerializer()


# --- segments and artifacts ----------------------------------------------------------


class SegmentSerializer(serializers.Serializer[Any]):
    order = serializers.IntegerField()
    unit_id = serializers.CharField()
    part = serializers.CharField()
    location = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    # A field named like Field.source: DRF's metaclass takes declared fields off the class.
    source = serializers.CharField(help_text="with inline tags")  # type: ignore[assignment]
    target = serializers.CharField(allow_blank=True)
    origin = serializers.CharField()
    words = serializers.IntegerField()
    qa_status = serializers.CharField()
    qa_issues = serializers.ListField(child=serializers.DictField(), help_text="QA findings")
    tm_score = serializers.IntegerField(allow_null=True)
    tm_matches = serializers.ListField(child=serializers.DictField())
    terms = serializers.ListField(child=serializers.DictField())
    review_state = serializers.CharField(
        allow_blank=True, help_text='"" until reviewed; reviewed, final or translated'
    )
    reviewed_by = serializers.CharField(allow_blank=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_comment = serializers.CharField(allow_blank=True)
    edit_distance = serializers.IntegerField(
        allow_null=True, help_text="characters changed from the machine output"
    )
    qa_waiver = serializers.CharField(allow_blank=True, help_text="why a QA error is accepted")


class ArtifactSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ArtifactKind.choices)
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    content_type = serializers.CharField()
    created = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    download_url = serializers.URLField(help_text="a signed link, valid until link_expires_at")
    link_expires_at = serializers.DateTimeField()


# --- users, teams, tokens, audit -----------------------------------------------------


class TeamSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ["id", "name", "created"]


class UserSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    teams = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="team names; a team that does not exist yet is made (audited as team.created)",
    )
    is_active = serializers.BooleanField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)


class UserUpdateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(
        required=False, help_text="false deactivates the user and revokes their tokens"
    )


def user_data(user: Any) -> dict[str, Any]:
    profile = getattr(user, "iris_profile", None)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "role": profile.role if profile is not None else "",
        "teams": [team.name for team in profile.teams.all()] if profile is not None else [],
        "is_active": user.is_active,
        "date_joined": user.date_joined,
    }


class UsernameField(serializers.SlugRelatedField[Any]):
    """A user named by username; a name no user can have (a NUL, which PostgreSQL
    refuses in any text) is invalid rather than a failed query."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    user = UsernameField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="whose token (admins only; default: yours)",
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "user", "created", "expires_at", "last_used_at"]
        fields += ["revoked_at"]
        read_only_fields = ["prefix", "created", "last_used_at", "revoked_at"]

    def validate_expires_at(self, value: datetime | None) -> datetime | None:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("a token's expiry must be in the future")
        return value


class NewTokenSerializer(TokenSerializer):
    secret = serializers.CharField(read_only=True, help_text="shown once: store it now")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "secret"]


class AuditSerializer(serializers.ModelSerializer[AuditRecord]):
    class Meta:
        model = AuditRecord
        fields = [
            "id",
            "created",
            "actor_label",
            "role",
            "source_ip",
            "user_agent",
            "request_id",
            "action",
            "object_type",
            "object_id",
            "before",
            "after",
        ]


class ReviewExportSerializer(serializers.Serializer[Any]):
    format = serializers.ChoiceField(choices=["xliff", "docx"], default="xliff")


class ReviewImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="the review package as edited (XLIFF or DOCX)")
    repair = serializers.BooleanField(
        default=False, help_text="take the repaired target where tags are broken"
    )
    conflicts = serializers.ChoiceField(
        choices=["", "package", "iris"],
        default="",
        help_text="which side wins where Iris and the file both changed a segment",
    )


class SegmentEditSerializer(serializers.Serializer[Any]):
    target = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    state = serializers.ChoiceField(choices=["translated", "reviewed", "final"], required=False)
    comment = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)
