from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Newest first; a cursor stays right while rows are added (unlike page numbers)."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 1000
