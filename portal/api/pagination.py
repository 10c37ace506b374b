from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from rest_framework import pagination
from rest_framework.exceptions import NotFound

# The widest integer a database column holds (PostgreSQL bigint, SQLite INTEGER).
_BIGINT = 2**63 - 1


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost per page at millions of rows; no total count.

    The cursor is opaque but not signed, so its position is checked against the ordering field before it
    reaches the database: a tampered cursor is a 404 "Invalid cursor", never a 500. The page size is
    bounded by `max_page_size` (DRF falls back to the default on a bad value).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        ordering = self.ordering if isinstance(self.ordering, list | tuple) else [self.ordering]
        try:
            field = self._model._meta.get_field(ordering[0].lstrip("-"))
            if "\x00" in position:
                raise ValueError
            value = field.to_python(position)
            if isinstance(field, models.IntegerField) and not -_BIGINT <= value <= _BIGINT:
                raise ValueError
            if isinstance(field, models.DateTimeField | models.DateField) and not 1 < value.year < 9999:
                raise ValueError
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError, OverflowError, AttributeError):
            raise NotFound(self.invalid_cursor_message) from None
