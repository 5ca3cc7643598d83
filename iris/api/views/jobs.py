"""/api/v1/jobs: upload, list, follow, control; a job's segments and artifacts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeVar

import django_filters
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from iris.api.filters import LanguageFilter, created_between
from iris.api.models import IdempotentRequest
from iris.api.pagination import InDocumentOrder
from iris.api.problems import ProblemError
from iris.api.scoping import visible_jobs
from iris.api.serializers import (
    ArtifactSerializer,
    ControlSerializer,
    JobCreatedSerializer,
    JobCreateSerializer,
    JobDetailSerializer,
    JobSerializer,
    JobUpdateSerializer,
    SegmentSerializer,
    job_data,
    job_detail_data,
)
from iris.api.views.base import IrisViewSet
from iris.api.views.review import REVIEW_PERMISSIONS, ReviewActions
from iris.artifacts.links import LinkLifetimeError, issue_link
from iris.governance.permissions import Permission as P
from iris.governance.teams import TeamChoiceError, owning_team
from iris.jobs.actions import (
    Command,
    TranslationRequest,
    create_jobs,
    request_control,
    set_budget,
)
from iris.jobs.models import Job, JobState, Origin, QaStatus, Segment
from iris.jobs.progress import for_status, job_report, job_status, report_of, status_of

IDEMPOTENCY_HEADER = "Idempotency-Key"
#: the longest key IdempotentRequest.key stores
IDEMPOTENCY_KEY_LIMIT = 255
Row = TypeVar("Row")


class JobFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=JobState.choices)
    source_lang = LanguageFilter()
    target_lang = LanguageFilter()
    creator = django_filters.CharFilter(field_name="creator__username")
    team = django_filters.CharFilter(field_name="team__name")
    request_id = django_filters.UUIDFilter()
    created_after, created_before = created_between()

    class Meta:
        model = Job
        fields: list[str] = []


class SegmentFilter(django_filters.FilterSet):
    qa_status = django_filters.ChoiceFilter(choices=QaStatus.choices)
    origin = django_filters.ChoiceFilter(choices=Origin.choices)

    class Meta:
        model = Segment
        fields: list[str] = []


class JobViewSet(ReviewActions, IrisViewSet):
    permissions = {
        **REVIEW_PERMISSIONS,
        "list": P.JOB_VIEW,
        "retrieve": P.JOB_VIEW,
        "create": P.JOB_CREATE,
        "partial_update": P.JOB_CONTROL,
        "pause": P.JOB_CONTROL,
        "resume": P.JOB_CONTROL,
        "cancel": P.JOB_CONTROL,
        "retry": P.JOB_CONTROL,
        "segments": P.SEGMENT_VIEW,
        "artifacts": P.ARTIFACT_DOWNLOAD,
    }
    lookup_value_regex = r"\d+"
    filterset_class = JobFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[Job]:
        return visible_jobs(self.request.user)

    def filter_queryset(self, queryset: QuerySet[Any, Row]) -> QuerySet[Any, Row]:
        """JobFilter narrows the list; an action on one job finds it by id alone."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @property
    def body_limit(self) -> int:  # type: ignore[override]
        upload = settings.IRIS_MAX_UPLOAD_MB * 2**20
        uploads = ("create", "review_import")
        return upload + 2**20 if self.action in uploads else super().body_limit

    @extend_schema(responses=JobSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(for_status(self.filter_queryset(self.get_queryset())))
        assert page is not None  # a paginator is configured
        return self.get_paginated_response([job_data(status_of(job)) for job in page])

    @extend_schema(responses=JobDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(job_detail_data(report_of(self.get_object())))

    @extend_schema(
        request={"multipart/form-data": JobCreateSerializer},
        responses={201: JobCreatedSerializer, 200: JobCreatedSerializer},
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="a retried upload with the same key (up to 255 characters) "
                "returns the same jobs",
            )
        ],
    )
    def create(self, request: Request) -> Response:
        key = _idempotency_key(request)
        form = JobCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = form.validated_data
        upload = fields["file"]
        if upload.size > settings.IRIS_MAX_UPLOAD_MB * 2**20:
            raise ProblemError(
                413,
                "document-too-large",
                f"the document is larger than {settings.IRIS_MAX_UPLOAD_MB} MiB",
            )
        data = upload.read()
        policy = fields["policy"]
        translation = TranslationRequest(
            name=_file_name(upload.name),
            data=data,
            target_langs=fields["target_langs"],
            source_lang=fields["source_lang"],
            engine=fields["engine"],
            engine_options=fields["engine_options"],
            keep_format=policy.get("keep_format", False),
            review_required=policy.get("review_required", False),
            review_policy=policy.get("review") or None,
            budget=policy.get("budget"),
            qa_policy=policy.get("qa") or None,
            retention=policy.get("retention") or None,
            extraction=policy.get("extraction") or None,
            team_id=self._team(fields["team"]),
        )
        if not key:
            return self._created(create_jobs(translation, self.actor), status.HTTP_201_CREATED)
        return self._create_once(key, translation, fields)

    @extend_schema(request=JobUpdateSerializer, responses=JobDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the job's budget (a job paused at its budget resumes after a raise)."""
        job = self.get_object()
        form = JobUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if "budget" in form.validated_data:
            budget = form.validated_data["budget"]
            set_budget(job.pk, budget or None, self.actor)  # 0: no cap
        return Response(job_detail_data(job_report(job.pk)))

    def _team(self, name: str) -> int | None:
        """The team that will own the jobs (iris/governance/teams.py)."""
        try:
            return owning_team(self.user, name)
        except TeamChoiceError as exc:
            raise ProblemError(400, exc.code, str(exc)) from None

    def _create_once(
        self, key: str, translation: TranslationRequest, fields: dict[str, Any]
    ) -> Response:
        fingerprint = _fingerprint(translation.data, fields)
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user=self.user, key=key, fingerprint=fingerprint
                )
                jobs = create_jobs(translation, self.actor)
                record.request_id = jobs[0].request_id
                record.job_ids = [job.pk for job in jobs]
                record.save(update_fields=["request_id", "job_ids"])
        except IntegrityError:
            record = IdempotentRequest.objects.get(user=self.user, key=key)
            if record.fingerprint != fingerprint:
                raise ProblemError(
                    422,
                    "idempotency-key-reused",
                    f"the {IDEMPOTENCY_HEADER} {key!r} was used for another request",
                ) from None
            replayed = list(Job.objects.filter(pk__in=record.job_ids).order_by("pk"))
            response = self._created(replayed, status.HTTP_200_OK)
            response["Idempotent-Replayed"] = "true"
            return response
        return self._created(jobs, status.HTTP_201_CREATED)

    def _created(self, jobs: Sequence[Job], code: int) -> Response:
        statuses = job_status([job.pk for job in jobs])
        body = {
            "request_id": str(jobs[0].request_id),
            "jobs": [job_data(s) | {"request_id": str(jobs[0].request_id)} for s in statuses],
        }
        return Response(body, status=code)

    def _control(self, command: Command) -> Response:
        job = self.get_object()
        request_control(job, command, self.actor)
        (current,) = job_status([job.pk])
        body = {"accepted": str(command), "job": job_data(current)}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ControlSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        return self._control(Command.PAUSE)

    @extend_schema(request=None, responses={202: ControlSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._control(Command.RESUME)

    @extend_schema(request=None, responses={202: ControlSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._control(Command.CANCEL)

    @extend_schema(request=None, responses={202: ControlSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        return self._control(Command.RETRY)

    @extend_schema(
        responses=SegmentSerializer(many=True),
        parameters=[
            OpenApiParameter("qa_status", str, description="pending, passed, warning, error"),
            OpenApiParameter("origin", str),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def segments(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        rows = SegmentFilter(request.query_params, queryset=job.segments.all())
        if not rows.is_valid():
            raise ValidationError({name: list(errors) for name, errors in rows.errors.items()})
        paginator = InDocumentOrder()
        page = paginator.paginate_queryset(rows.qs, request, view=self)
        assert page is not None
        return paginator.get_paginated_response(SegmentSerializer(page, many=True).data)

    @extend_schema(
        responses=ArtifactSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "lifetime",
                int,
                description="seconds the links stay valid, up to 30 days "
                "(default: IRIS_DOWNLOAD_LINK_SECONDS)",
            )
        ],
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def artifacts(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        lifetime = _lifetime(request.query_params.get("lifetime"))
        rows = []
        for artifact in job.artifacts.order_by("kind"):
            try:
                link = issue_link(artifact, lifetime)
            except LinkLifetimeError as exc:
                raise ProblemError(400, "invalid-request", str(exc)) from None
            rows.append(
                {
                    "id": artifact.pk,
                    "kind": artifact.kind,
                    "name": artifact.name,
                    "size": artifact.size,
                    "sha256": artifact.sha256,
                    "content_type": artifact.content_type,
                    "created": artifact.created,
                    "expires_at": artifact.expires_at,
                    "download_url": request.build_absolute_uri(link.url),
                    "link_expires_at": link.expires_at,
                }
            )
        return Response(ArtifactSerializer(rows, many=True).data)


def _idempotency_key(request: Request) -> str:
    """The request's key, whole: a key cut to fit would make two keys one."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if len(key) > IDEMPOTENCY_KEY_LIMIT:
        raise ProblemError(
            400,
            "invalid-request",
            f"the {IDEMPOTENCY_HEADER} header is over {IDEMPOTENCY_KEY_LIMIT} characters",
        )
    return key


def _lifetime(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise ProblemError(400, "invalid-request", "lifetime: a whole number of seconds")
    return int(value)


def _file_name(name: str | None) -> str:
    """The upload's base name (a client may send a path), never empty."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:255] or "document.docx"


def _fingerprint(data: bytes, fields: dict[str, Any]) -> str:
    described = {key: value for key, value in fields.items() if key != "file"}
    digest = hashlib.sha256(data)
    digest.update(json.dumps(described, sort_keys=True, default=str).encode())
    return digest.hexdigest()
