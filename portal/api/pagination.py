from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadRequest

# The widest integer a database column holds (PostgreSQL bigint, SQLite INTEGER).
_BIGINT = 2**63 - 1


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost per page at millions of rows; no total count.

    The cursor is opaque but not signed, so its position is checked against the ordering field before it
    reaches the database: a tampered cursor is a 404 "Invalid cursor", never a 500. The page size is
    bounded by `max_page_size`; a page size that is not a whole number from 1 to that bound is a 400 (DRF
    would quietly serve its default, which a client cannot tell from a short page).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        if len(raw) > 1 or not raw[0].isascii() or not raw[0].isdigit() or not 1 <= int(raw[0]) <= self.max_page_size:
            message = _("Enter one whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise BadRequest({self.page_size_query_param: [message]})
        return int(raw[0])

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters

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
