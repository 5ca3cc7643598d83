"""/console/: one line per page; each page's views live in iris/console/views/."""

from __future__ import annotations

from django.urls import path

from iris.console.views import auth, gate, jobs, records, review, upload

app_name = "console"

urlpatterns = [
    path("login/", auth.SignIn.as_view(), name="login"),
    path("logout/", auth.SignOut.as_view(), name="logout"),
    path("", jobs.job_list, name="jobs"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/control/<str:command>", jobs.job_control, name="job-control"),
    path("jobs/<int:job_id>/deliver", gate.deliver, name="deliver"),
    path("jobs/<int:job_id>/review/import", gate.import_review, name="review-import"),
    path("upload/", upload.upload, name="upload"),
    path("upload/estimate", upload.upload_estimate, name="upload-estimate"),
    *review.urlpatterns,  # the segment review editor
    *records.urlpatterns,  # memory, glossary, audit log, users and tokens
]
