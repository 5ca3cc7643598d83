"""/api/v1/jobs/{id}/review…: the review gate of a job, its packages, imports, segment
edits, waivers and "deliver now". Mixed into the job viewset (one job lookup, one
visibility rule); every action is the review app's (iris/review/actions.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from iris.api.problems import ProblemError
from iris.api.serializers import (
    ReasonSerializer,
    ReviewExportSerializer,
    ReviewImportSerializer,
    SegmentEditSerializer,
    SegmentSerializer,
)
from iris.governance.permissions import Permission as P
from iris.jobs.models import Job, JobState
from iris.review.actions import (
    SegmentEdit,
    deliver_now,
    edit_segment,
    export_package,
    submit_import,
    waive_qa_error,
)
from iris.review.coverage import gate
from iris.review.models import ReviewExport, ReviewFormat, ReviewImport
from iris.review.package import ReviewState

REVIEW_PERMISSIONS = {
    "review": P.JOB_VIEW,
    "review_export": P.REVIEW_EDIT,
    "review_import": P.REVIEW_EDIT,
    "review_import_detail": P.JOB_VIEW,
    "segment_edit": P.REVIEW_EDIT,
    "segment_waive": P.REVIEW_EDIT,
    "deliver": P.REVIEW_DELIVER,
}


def review_data(job: Job) -> dict[str, Any]:
    """The job's review: gate (when in review), coverage, exports and recent imports."""
    now = gate(job)
    exports = [_export_data(e) for e in job.review_exports.select_related("artifact")[:20]]
    imports = [_import_data(i) for i in job.review_imports.all()[:20]]
    return {
        "required": job.review_required,
        "in_review": job.state == JobState.IN_REVIEW,
        "policy": now.policy.as_json(),
        "gate_met": now.met,
        "waiting_for": now.reasons,
        "coverage": now.coverage.as_json(),
        "exports": exports,
        "imports": imports,
    }


def _export_data(export: ReviewExport) -> dict[str, Any]:
    return {
        "package": str(export.package),
        "format": export.format,
        "created": export.created,
        "created_by": export.created_by,
        "units": export.units,
        "artifact": export.artifact_id,
    }


def _import_data(row: ReviewImport) -> dict[str, Any]:
    return {
        "id": row.pk,
        "format": row.format,
        "status": row.status,
        "created": row.created,
        "created_by": row.created_by_label,
        "finished_at": row.finished_at,
        "report": row.report,
    }


class ReviewActions:
    """The review endpoints of `iris.api.views.jobs.JobViewSet`."""

    get_object: Any
    actor: Any

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def review(self, request: Request, pk: str) -> Response:
        """Coverage, the gate and what it waits for, exports and imports."""
        return Response(review_data(self.get_object()))

    @extend_schema(request=ReviewExportSerializer, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="review/export")
    def review_export(self, request: Request, pk: str) -> Response:
        """Export a review package (an artifact: download it from /artifacts)."""
        job = self.get_object()
        form = ReviewExportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        export = export_package(job.pk, ReviewFormat(form.validated_data["format"]), self.actor)
        return Response(_export_data(export), status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ReviewImportSerializer}, responses={202: dict})
    @action(detail=True, methods=["post"], url_path="review/import")
    def review_import(self, request: Request, pk: str) -> Response:
        """Upload a reviewer's file; its import runs on the review queue and its report
        says what it changed or why it changed nothing (follow the Location)."""
        job = self.get_object()
        form = ReviewImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        row = submit_import(
            job.pk,
            upload.read(),
            (upload.name or "review")[-200:],
            self.actor,
            repair=form.validated_data["repair"],
            conflicts=form.validated_data["conflicts"],
        )
        row.refresh_from_db()  # run already when eager
        location = f"/api/v1/jobs/{job.pk}/review/imports/{row.pk}/"
        return Response(
            _import_data(row), status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )

    @extend_schema(request=None, responses={200: dict})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"review/imports/(?P<import_id>\d+)",
        filterset_class=None,
        pagination_class=None,
    )
    def review_import_detail(self, request: Request, pk: str, import_id: str) -> Response:
        job = self.get_object()
        row = job.review_imports.filter(pk=int(import_id)).first()
        if row is None:
            raise ProblemError(404, "not-found", f"job {job.pk} has no review import {import_id}")
        return Response(_import_data(row))

    @extend_schema(request=SegmentEditSerializer, responses=SegmentSerializer)
    @action(detail=True, methods=["patch"], url_path=r"segments/(?P<order>\d+)")
    def segment_edit(self, request: Request, pk: str, order: str) -> Response:
        """Edit one segment of a job in review: target, state, comment (QA re-runs)."""
        job = self.get_object()
        form = SegmentEditSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = form.validated_data
        state = ReviewState(fields["state"]) if "state" in fields else None
        edit = SegmentEdit(fields.get("target"), state, fields.get("comment"))
        segment = edit_segment(job.pk, int(order), edit, self.actor).segment
        return Response(SegmentSerializer(segment).data)

    @extend_schema(request=ReasonSerializer, responses=SegmentSerializer)
    @action(detail=True, methods=["post"], url_path=r"segments/(?P<order>\d+)/waive")
    def segment_waive(self, request: Request, pk: str, order: str) -> Response:
        """Accept a segment's QA error as it is, with a reason."""
        job = self.get_object()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        segment = waive_qa_error(job.pk, int(order), form.validated_data["reason"], self.actor)
        return Response(SegmentSerializer(segment).data)

    @extend_schema(request=ReasonSerializer, responses={202: dict})
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        """A manager's "deliver now": the job goes on to delivery whatever its review
        coverage; the reason is audited."""
        job = self.get_object()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deliver_now(job.pk, form.validated_data["reason"], self.actor)
        return Response({"accepted": "deliver"}, status=status.HTTP_202_ACCEPTED)
