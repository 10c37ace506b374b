"""The OpenAPI schema as the contract: every answer an operation can give is published, errors included.

drf-spectacular documents the success response of each operation; the API also answers 400, 401, 403, 404,
409 and 413 in one error envelope (`portal.api.errors`). This schema class adds those answers where the
operation can give them, so a client generated from the schema knows every status code it will meet.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error body of the API (`portal.api.errors.exception_handler`)."""

    detail = serializers.CharField(help_text=_("What went wrong, in one sentence."))
    errors = serializers.DictField(
        help_text=_("Messages per field of the request (nested for nested fields); empty when no field is at fault.")
    )


_DESCRIPTIONS = {
    "400": _("Invalid input: `errors` lists the messages per field; nothing was stored."),
    "401": _("No valid credentials (a missing or wrong token)."),
    "403": _("The account may not do this; `detail` says why (e.g. the step belongs to the other side)."),
    "404": _("No such record among those this account may see (or an invalid page cursor)."),
    "409": _(
        "A conflict with the record as it stands: a step its state refuses, or a retry with the same source and "
        "external id but different content. Nothing was changed."
    ),
    "413": _("The request body is too large."),
}


def _source_field_flags(field) -> tuple[bool, bool]:
    """(may be null, may be blank) of the model column a read-only serializer field shows.

    DRF drops `allow_null` / `allow_blank` from read-only model fields, so the schema would promise a string
    where the API sends null or "". A dotted source ("utility.code") is null when any hop on the way is."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*":
        return False, False
    null = blank = False
    for name in field.source.split("."):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return null, blank
        null = null or bool(getattr(model_field, "null", False))
        blank = bool(getattr(model_field, "blank", False))
        model = getattr(model_field, "related_model", None)
        if model is None:
            break
    return null, blank


class PortalAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "response" and field.read_only:
            null, blank = _source_field_flags(field)
            field.allow_null = field.allow_null or null
            if blank and isinstance(field, serializers.CharField | serializers.ChoiceField):
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        envelope = self._get_response_for_code(ErrorSerializer, "400")["content"]
        for code in self._error_codes(path, operation):
            responses.setdefault(code, {"description": _DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400 and "content" not in response:
                response["content"] = envelope  # an error declared by a view without its body
        return operation

    def _error_codes(self, path: str, operation: dict) -> list[str]:
        has_body = "requestBody" in operation
        has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        codes = ["401", "403"]
        if has_body or has_query or self.method != "GET":  # a step the record's state refuses answers 400
            codes.append("400")
        if "{" in path or has_query:  # a record out of sight, or a tampered page cursor
            codes.append("404")
        if self.method == "POST" and getattr(self.view, "action", None) in getattr(self.view, "conflict_actions", ()):
            codes.append("409")
        if has_body:
            codes.append("413")
        return sorted(codes)
