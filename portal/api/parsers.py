"""The API's parsers. JSON: the body is bounded in size and nesting depth before it is parsed, and its text
normalised (portal.inputs), so a hostile body is a 400/413 with a message, never a RecursionError or a
UnicodeEncodeError in the database driver."""

import io
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

from portal.inputs import MAX_JSON_DEPTH, json_depth_exceeds, normalise_data, normalise_querydict


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def payload_too_large() -> PayloadTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return PayloadTooLarge(_("The request body is larger than %(mb)s MB.") % {"mb": round(limit / 2**20, 2)})


class BoundedJSONParser(parsers.JSONParser):
    """JSON within DATA_UPLOAD_MAX_MEMORY_SIZE bytes and MAX_JSON_DEPTH levels, as strict JSON (no NaN)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if stream is None:
            stream = io.BytesIO()
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise payload_too_large()
        if json_depth_exceeds(raw):
            raise exceptions.ParseError(
                _("JSON nested deeper than %(depth)d levels is not accepted.") % {"depth": MAX_JSON_DEPTH}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(_("The request body is not valid UTF-8.")) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": str(exc)[:200]}) from None
        data = normalise_data(data)
        if isinstance(data, dict):
            return JSONBody(data)
        return JSONList(data) if isinstance(data, list) else data


class JSONBody(dict):
    """A request body that arrived as a JSON object: its values keep their JSON types (`portal.apps`)."""


class JSONList(list):
    """A request body that arrived as a JSON array."""


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class NormalisedFormParser(parsers.FormParser):
    """Url-encoded forms to the API, normalised like every other input."""

    def parse(self, stream, media_type=None, parser_context=None):
        return normalise_querydict(super().parse(stream, media_type, parser_context))


class NormalisedMultiPartParser(parsers.MultiPartParser):
    """Multipart forms to the API: the fields normalised (the files are checked by the upload rules)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(normalise_querydict(result.data), result.files)
