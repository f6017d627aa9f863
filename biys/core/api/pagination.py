"""The API's pages: keyset cursors (``?cursor=``; constant cost at any depth) in the list's
order, ``per_page`` rows, and a count that is exact up to ``COUNT_LIMIT`` and estimated beyond
(``count_is_exact``). ``?page=N`` still works for old clients, by offset. A view may fetch the
page's rows its own way with ``page_rows(sliced_queryset) -> list``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from biys.core.pagination import paginate, window_count


class StandardPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "per_page"
    page_size = 50
    max_page_size = 500

    def get_page_size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except ValueError:
            return self.page_size
        return min(max(size, 1), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        try:
            page = int(request.query_params.get("page", 0) or 0)
        except ValueError:
            page = 0
        cursor = request.query_params.get(self.cursor_query_param) or None
        try:
            self.window = paginate(
                queryset,
                size,
                cursor,
                page=max(page, 0) or None,
                fetch=getattr(view, "page_rows", list),
            )
            self.count = window_count(queryset, self.window, first=not cursor and page <= 1)
        except ValidationError as error:
            raise exceptions.ValidationError({self.cursor_query_param: error.messages}) from error
        if page > 1 and not self.window.rows:
            raise exceptions.NotFound(_("Invalid page."))
        return self.window.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count.value,
                "count_is_exact": self.count.exact,
                "next": self._link(self.window.next_cursor),
                "previous": self._link(self.window.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_exact", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "count_is_exact": {
                    "type": "boolean",
                    "description": "false: more rows than the count limit; count is an estimate",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page after (or before) a page: take it from next/previous.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Rows per page (at most 500).",
                "schema": {"type": "integer"},
            },
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Deprecated: a page number (by offset); prefer the cursor.",
                "schema": {"type": "integer"},
            },
        ]
