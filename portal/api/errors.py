"""One JSON error format for the whole API: {"detail": ..., "errors": {field: [messages]}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# The 413 lives with the parser that raises it: rest_framework.views loads the parsers (DEFAULT_PARSER_CLASSES)
# while this module is imported, so the parsers cannot import from here.
from portal.api.parsers import payload_too_large
from portal.workflow import StepRefused


def django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict with an existing record."
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, StepRefused):  # the record's state, not the request: 409 with the same messages
        response = exception_handler(django_validation_to_drf(exc), context)
        response.data["detail"] = _("The record's current state does not allow this step.")
        response.status_code = status.HTTP_409_CONFLICT
        return response
    if isinstance(exc, RequestDataTooBig):  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, read by request.body
        exc = payload_too_large()
    elif isinstance(exc, DjangoValidationError):
        exc = django_validation_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)  # the reason, when the service gave one
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": "Invalid input.", "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": data["detail"], "errors": {}}
    return Response(response.data, status=response.status_code, headers=dict(response.items()))
