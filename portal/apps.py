from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from portal import checks, throttle  # noqa: F401 - the calendar check; throttle's signal receiver
        from portal.worklist import register_work_kind, violations_source

        register_work_kind("violation", _("Violations to review"), violations_source, order=60)
        _bound_api_instants()
        _strict_json_types()


def _bound_api_instants() -> None:
    """Every instant an API field takes lies within `portal.instants`' range, with a real offset, and is
    written as the published `INSTANT_PATTERN` says: year 0693 or an offset of +08:05:43 (the local mean
    time Asia/Shanghai had before 1901) is a 400, never a record the API then echoes off its own schema.
    Every date is a real day of 1901–2099 (`DATE_PATTERN`): a campaign dated 0575 gave deadlines at +08:05:43."""
    import re

    from rest_framework import serializers

    from portal.filtersets import DATE_PATTERN, INSTANT_PATTERN
    from portal.instants import DATE_YEAR_MAX, DATE_YEAR_MIN

    original = serializers.DateTimeField.to_internal_value
    if getattr(original, "portal_bounded", False):
        return
    pattern = re.compile(INSTANT_PATTERN)

    def to_internal_value(self, value):
        if isinstance(value, str) and not pattern.match(value):
            raise serializers.ValidationError(
                _("Give an ISO 8601 instant such as 2026-09-30T14:00:00+08:00 (years 2001–2099)."), code="invalid"
            )
        return original(self, value)

    to_internal_value.portal_bounded = True
    serializers.DateTimeField.to_internal_value = to_internal_value

    original_date = serializers.DateField.to_internal_value
    date_pattern = re.compile(DATE_PATTERN)

    def date_to_internal_value(self, value):
        message = _("Give a date such as 2026-09-30 (years 1901–2099).")
        if isinstance(value, str) and not date_pattern.match(value):
            raise serializers.ValidationError(message, code="invalid")
        value = original_date(self, value)
        if not DATE_YEAR_MIN <= value.year <= DATE_YEAR_MAX:  # a date object handed over by code (an import's cell)
            raise serializers.ValidationError(message, code="invalid")
        return value

    serializers.DateField.to_internal_value = date_to_internal_value


def _strict_json_types() -> None:
    """A JSON body keeps the types the schema publishes: `"0"` is not a boolean, `"5"` not an integer, `5` not
    a text. DRF coerces them, which is right for a form (every value is text there) but lets a client believe
    a wrong type is accepted. Only bodies that arrived as JSON are held to this (`BoundedJSONParser` marks
    them); forms and internal uses (imports, intake of parsed rows) keep DRF's coercion."""
    from rest_framework import serializers

    from portal.api.parsers import JSONBody, JSONList

    def json_request(field) -> bool:
        root = field.root
        return isinstance(getattr(root, "initial_data", None), JSONBody | JSONList)

    def hold(field_class, accepted, message):
        original = field_class.to_internal_value
        if getattr(original, "portal_strict", False):
            return

        def to_internal_value(self, data):
            wrong = not isinstance(data, accepted) or (bool not in accepted and isinstance(data, bool))
            if wrong and int in accepted and isinstance(data, str) and data.strip().lstrip("-").isdigit():
                wrong = False  # an id sent as "5": tolerated (clients template ids into JSON), never published
            if wrong and json_request(self):
                raise serializers.ValidationError(message, code="invalid")
            return original(self, data)

        to_internal_value.portal_strict = True
        field_class.to_internal_value = to_internal_value

    hold(serializers.BooleanField, (bool,), _("Give true or false (a JSON boolean)."))
    hold(serializers.IntegerField, (int,), _("Give a whole number (a JSON number)."))
    hold(serializers.CharField, (str,), _("Give a text (a JSON string)."))
    hold(serializers.ManyRelatedField, (list,), _("Give a list (a JSON array)."))

    # DRF reads "" as null for a relation (a form's empty select); in JSON, null is null and "" is no code.
    original_run = serializers.RelatedField.run_validation
    if not getattr(original_run, "portal_strict", False):

        def run_validation(self, data=serializers.empty):
            if data == "" and json_request(self):
                raise serializers.ValidationError(_("Give a code or id, or null."), code="invalid")
            return original_run(self, data)

        run_validation.portal_strict = True
        serializers.RelatedField.run_validation = run_validation
