"""The API actions of a workflow, generated from its table: `POST /<record>/<pk>/<step>/` with the step's
form as its request body (the serializer is derived from the form), answering the record."""

from functools import cache

from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.choices import Party
from portal.workflow import Step, Workflow

_FIELDS = {
    forms.DateTimeField: serializers.DateTimeField,
    forms.DateField: serializers.DateField,
    forms.DecimalField: serializers.DecimalField,  # before IntegerField: a form DecimalField is one
    forms.IntegerField: serializers.IntegerField,
    forms.FileField: serializers.FileField,
    forms.BooleanField: serializers.BooleanField,
    forms.ChoiceField: serializers.ChoiceField,
    forms.CharField: serializers.CharField,
}


def _field(field: forms.Field) -> serializers.Field:
    kwargs = {"required": field.required, "help_text": str(field.help_text or "") or None}
    if not field.required and not isinstance(field, forms.CharField | forms.BooleanField | forms.FileField):
        kwargs["allow_null"] = True  # an optional value may be sent as null, as the form cleans an empty one to None
    if isinstance(field, forms.MultipleChoiceField):
        # A list of choices (a ChoiceField below would take one): at least one when required, as the form.
        choices = [c for c in field.choices if c[0] != ""]
        return serializers.ListField(
            child=serializers.ChoiceField(choices=choices), min_length=1 if field.required else None, **kwargs
        )
    if isinstance(field, forms.ChoiceField):
        kwargs["choices"] = [c for c in field.choices if c[0] != ""]
    elif isinstance(field, forms.DecimalField):
        kwargs |= {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    elif isinstance(field, forms.IntegerField):
        kwargs |= {"min_value": field.min_value, "max_value": field.max_value}
    elif isinstance(field, forms.CharField):
        kwargs["max_length"] = field.max_length
        if not field.required:
            kwargs |= {"allow_blank": True, "default": ""}
    elif isinstance(field, forms.NullBooleanField):
        # Yes, no or not said: absent stays None (a plain BooleanField reads an absent form field as False).
        kwargs |= {"required": False, "allow_null": True, "default": None}
    elif isinstance(field, forms.BooleanField):
        kwargs["required"] = False
    for form_class, serializer_class in _FIELDS.items():
        if isinstance(field, form_class):
            return serializer_class(**kwargs)
    raise TypeError(f"No API field for {type(field).__name__}")


@cache
def serializer_for(workflow: Workflow, step: Step) -> type[serializers.Serializer]:
    """The request body of a step: the fields of its form, with the same limits."""
    fields = {name: _field(f) for name, f in (step.form.base_fields.items() if step.form else ())}
    name = f"{workflow.model.__name__}{step.name.title().replace('_', '')}Step"
    return type(name, (serializers.Serializer,), {**fields, "__module__": __name__})


def _action(workflow: Workflow, step: Step, output):
    request_serializer = serializer_for(workflow, step)

    def take(self, request, pk=None):
        record = self.get_object()
        workflow.party_for(request.user, record, step)  # a refused caller hears 403 whatever it sent
        body = request_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = workflow.transition(record, step.name, request.user, **body.validated_data)
        return self.step_response(record)

    take.__name__ = step.name
    take.__doc__ = str(step.label)
    content = (
        {"multipart/form-data": request_serializer}
        if any(isinstance(f, forms.FileField) for f in (step.form.base_fields.values() if step.form else ()))
        else request_serializer
    )
    take = action(detail=True, methods=["post"], url_path=step.name, url_name=step.name)(take)
    # After @action, which sets the function's `kwargs` afresh: extend_schema keeps its schema there.
    return extend_schema(request=content, responses=output, summary=str(step.label))(take)


def _record_response(viewset, record) -> Response:
    return Response(viewset.get_serializer(record).data)


def workflow_actions(workflow: Workflow, *, output):
    """Class decorator: one API action per step a person takes. The viewset answers with
    `step_response(record)` (default: its serializer of the record)."""

    def decorate(viewset):
        steps = [step for step in workflow.steps if step.by != (Party.SYSTEM,)]
        for step in steps:
            setattr(viewset, step.name, _action(workflow, step, output))
        # A step the record's state refuses answers 409 (portal.workflow.StepRefused): the schema says so.
        viewset.conflict_actions = set(getattr(viewset, "conflict_actions", ())) | {step.name for step in steps}
        if not hasattr(viewset, "step_response"):
            viewset.step_response = _record_response
        return viewset

    return decorate
