from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from iris.api.problems import ProblemError


class _WholeNumberCursor(CursorPagination):
    """A cursor over a whole-number column. DRF checks a cursor's offset and direction
    but passes its position to the query as it is: a crafted cursor (``p=abc``) raised
    ValueError in the query, a 500. Here a position that is not a whole number is the
    same "Invalid cursor" (404) as a cursor that does not decode."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Any) -> int | None:
        """The page size asked for, from 1 to max_page_size; DRF let a size it could
        not take (0, -1, abc) fall back to the default and cut one too large, saying
        nothing either way."""
        asked = request.query_params.get(self.page_size_query_param, "")
        if asked == "":
            return self.page_size
        if not (asked.isascii() and asked.isdigit() and 1 <= int(asked) <= self.max_page_size):
            raise ProblemError(
                400,
                "invalid-request",
                f"{self.page_size_query_param}: a whole number from 1 to {self.max_page_size}",
            )
        return int(asked)

    def decode_cursor(self, request: Any) -> Any:
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor is not None else None
        if position is not None:
            try:
                int(position)
            except (TypeError, ValueError):
                raise NotFound(self.invalid_cursor_message) from None
        return cursor


class Cursor(_WholeNumberCursor):
    """Newest first; a cursor stays right while rows are added (unlike page numbers)."""

    ordering = "-id"


class InDocumentOrder(_WholeNumberCursor):
    """A job's segments in the document's order."""

    ordering = "order"
