"""The OpenAPI schema as the contract: every answer an operation can give is published, errors included.

drf-spectacular documents the success response of each operation; the API also answers 400, 401, 403, 404,
409 and 413 in one error envelope (`portal.api.errors`), and the HTTP server answers 414 to an over-long URL.
This schema class adds those answers where the operation can give them, so a client generated from the
schema knows every status code it will meet.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers

from portal.filtersets import DATE_PATTERN, INSTANT_PATTERN


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
    "414": _(
        "The request line (method, path and query string) is longer than 8,190 bytes. The HTTP server refuses it "
        "before the portal reads it, with a short HTML page instead of the JSON envelope; send a long filter list "
        "in several requests."
    ),
}
# Not the envelope: gunicorn writes this answer itself (`portal/gunicorn.conf.py`).
_SERVER_ANSWERS = {"414": {"text/html": {"schema": {"type": "string"}}}}


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
        elif direction == "response" and not field.required and not field.allow_null and _source_field_flags(field)[0]:
            # An optional writable field (a finding's `campaign`, sent or not) reads back null when the column
            # is: nullable in the answer, while the request still publishes (and takes) no null.
            field.allow_null = True
            try:
                return self._map_serializer_field(field, direction, bypass_extensions)
            finally:
                field.allow_null = False
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ListField) and not field.allow_empty and result.get("type") == "array":
            result.setdefault("minItems", 1)  # DRF refuses an empty list; drf-spectacular does not say so
        if direction == "request" and isinstance(field, serializers.DateTimeField) and result.get("type") == "string":
            # Every instant an API field takes is held to 2001–2099 with a real offset (`portal.instants`,
            # enforced for all DateTimeFields in `portal.apps`): published as the pattern it is.
            result = {k: v for k, v in result.items() if k != "format"} | {"pattern": INSTANT_PATTERN}
        elif direction == "request" and isinstance(field, serializers.DateField) and result.get("type") == "string":
            result = {k: v for k, v in result.items() if k != "format"} | {"pattern": DATE_PATTERN}  # 1901–2099
        return result

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._publish_filters(operation)
        self._publish_body_types(operation)
        self._publish_bare_list(operation)
        responses = operation.setdefault("responses", {})
        envelope = self._get_response_for_code(ErrorSerializer, "400")["content"]
        for code in self._error_codes(path, operation):
            responses.setdefault(code, {"description": _DESCRIPTIONS[code]})
            if code in _SERVER_ANSWERS:
                responses[code]["content"] = _SERVER_ANSWERS[code]
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400 and "content" not in response:
                response["content"] = envelope  # an error declared by a view without its body
        return operation

    def _publish_body_types(self, operation: dict) -> None:
        """A body is published as JSON, or as multipart/form-data when it carries a file: the form encodings
        turn every value into text (a boolean "0", an empty field read as null) and cannot keep the types the
        schema states. The server still parses forms; a client generated from the schema never needs them."""
        content = operation.get("requestBody", {}).get("content", {})
        if len(content) < 2:
            return
        serializer = self.get_request_serializer()
        fields = getattr(force_instance(serializer), "fields", None) if not isinstance(serializer, dict) else None
        has_file = any(isinstance(f, serializers.FileField) for f in (fields or {}).values())
        keep = "multipart/form-data" if has_file else "application/json"
        if keep in content:
            operation["requestBody"]["content"] = {keep: content[keep]}

    def _publish_bare_list(self, operation: dict) -> None:
        """A bulk intake takes `{"items": [...], "update": false}` or the bare list of items: both published."""
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if getattr(self.view, "action", None) != "bulk" or content is None or "oneOf" in content["schema"]:
            return
        serializer = self.get_request_serializer()
        items = getattr(force_instance(serializer), "fields", {}).get("items") if serializer is not None else None
        if isinstance(items, serializers.ListField):
            bare = self._map_serializer_field(items, "request")
            if items.min_length is not None:
                bare["minItems"] = max(items.min_length, bare.get("minItems", 0))
            if items.max_length is not None:
                bare["maxItems"] = items.max_length
            content["schema"] = {"oneOf": [content["schema"], bare]}

    def _publish_filters(self, operation: dict) -> None:
        """Query parameters of a FilterSet as `portal.api.filters.check_query` holds them: a number filter on
        an integer column is an integer (within its bounds); none may be sent empty but a text one."""
        from portal.api.filters import PortalFilterBackend, filter_kind

        if not any(isinstance(b(), PortalFilterBackend) for b in getattr(self.view, "filter_backends", ())):
            return
        queryset = getattr(self.view, "queryset", None)
        try:
            filterset_class = PortalFilterBackend().get_filterset_class(self.view, queryset)
        except Exception:
            return
        if filterset_class is None:
            return
        filters = filterset_class.base_filters
        for parameter in operation.get("parameters", []):
            f = filters.get(parameter["name"]) if parameter.get("in") == "query" else None
            if f is None:
                continue
            schema = parameter.setdefault("schema", {})
            kind = filter_kind(filterset_class, parameter["name"], f)
            if kind == "integer":
                schema.pop("format", None)
                schema["type"] = "integer"
                for key, bound in (("minimum", "min_value"), ("maximum", "max_value")):
                    if f.extra.get(bound) is not None:
                        schema[key] = f.extra[bound]

    def _error_codes(self, path: str, operation: dict) -> list[str]:
        has_body = "requestBody" in operation
        has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        codes = ["401", "403"]
        if has_body or has_query or self.method != "GET":  # a step the record's state refuses answers 400
            codes.append("400")
        if "{" in path or has_query:  # a record out of sight, or a tampered page cursor
            codes.append("404")
            codes.append("414")  # only a client-chosen part of the URL can make the request line too long
        if self.method == "POST" and getattr(self.view, "action", None) in getattr(self.view, "conflict_actions", ()):
            codes.append("409")
        if has_body:
            codes.append("413")
        return sorted(codes)
