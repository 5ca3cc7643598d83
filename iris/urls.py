from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from iris.artifacts import views as download_views
from iris.ops import views as ops_views

admin.autodiscover()  # settings install SimpleAdminConfig: only the web process needs it

urlpatterns = [
    re_path(r"^health/live/?$", ops_views.live, name="health-live"),
    re_path(r"^health/ready/?$", ops_views.ready, name="health-ready"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("d/<str:token>", download_views.download, name="artifact-download"),
    path("api/v1/", include("iris.api.urls")),
    path("console/", include("iris.console.urls")),
]
