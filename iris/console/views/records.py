"""The records pages: translation memory, glossary, audit log, users and tokens; each
page's views live in its own module, collected here for iris/console/urls.py."""

from __future__ import annotations

from django.urls import URLPattern

from iris.console.views import account_pages, audit_pages, glossary_pages, memory_pages

urlpatterns: list[URLPattern] = [
    *memory_pages.urlpatterns,
    *glossary_pages.urlpatterns,
    *audit_pages.urlpatterns,
    *account_pages.urlpatterns,
]
