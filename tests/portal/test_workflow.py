"""The one workflow engine: what holds for every table, and what adding a verb takes (one line and its body)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework import mixins, viewsets
from rest_framework.routers import SimpleRouter

from complaints import forms, lifecycle
from complaints.api.serializers import ComplaintSerializer
from complaints.models import Complaint
from portal.api.base import ScopedViewSetMixin
from portal.api.workflow import workflow_actions
from portal.choices import Party
from portal.workflow import WORKFLOWS, Step, Workflow
from tests.complaints.factories import push, recent

pytestmark = pytest.mark.django_db

# Importing the URLconf declares every app's table.
get_resolver().url_patterns  # noqa: B018


def _statuses(workflow: Workflow) -> set[str]:
    return {value for value, _label in workflow.model._meta.get_field(workflow.status_field).choices}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.model.__name__)
def test_every_table_names_real_statuses_and_parties(workflow):
    statuses = _statuses(workflow)
    for step in workflow.steps:
        assert step.sources <= statuses, (workflow.model, step.name)
        assert step.to is None or step.to in statuses, (workflow.model, step.name)
        assert step.by and set(step.by) <= set(Party.values), (workflow.model, step.name)
        if step.by != (Party.SYSTEM,):
            assert step.label, (workflow.model, step.name)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.model.__name__)
def test_every_step_a_person_takes_is_an_api_action(workflow):
    paths = set(SchemaGenerator().get_schema(request=None, public=True)["paths"])
    for step in workflow.steps:
        if step.by != (Party.SYSTEM,):
            assert any(path.endswith(f"/{{id}}/{step.name}/") for path in paths), (workflow.model, step.name)


def test_a_step_writes_one_history_row_with_who_and_why(world, calendar):
    handler = world.user("submitter_x")
    ticket = push(handler, received_at=recent(0.1))
    before = ticket.history.count()
    lifecycle.complaint_contact(ticket=ticket, acting_user=handler, note="电话联系")
    rows = list(ticket.history.all()[: ticket.history.count() - before])
    assert len(rows) == 1
    assert rows[0].history_user == handler
    assert rows[0].history_change_reason == "contact: 电话联系"
    assert rows[0].status == "contacted"


@override_settings(LANGUAGE_CODE="en")
def test_refusals_say_why(world, calendar, api):
    regulator, handler = world.user("reg_staff_a"), world.user("submitter_x")
    ticket = push(handler, received_at=recent(0.1))
    with pytest.raises(PermissionDenied, match="does not take this step"):
        lifecycle.complaint_supervise(ticket=ticket, acting_user=handler, note="x", due=None)
    with pytest.raises(PermissionDenied, match="supervises it"):
        lifecycle.complaint_contact(ticket=ticket, acting_user=regulator)
    with pytest.raises(ValidationError) as refused:
        lifecycle.complaint_close(ticket=ticket, acting_user=handler)
    assert "closed only after the reply" in str(refused.value)
    # The API keeps the reason of a 403, and refuses before it reads the body.
    response = api(regulator).post(
        f"/api/v1/complaints/{ticket.pk}/reply/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert "supervises it" in response.json()["detail"]
    assert api(handler).post(f"/api/v1/complaints/{ticket.pk}/nonsense/", {}, format="json").status_code == 404


def test_a_new_verb_is_one_line_and_its_body(world, calendar, api):
    """The worked example of docs/workflow.md: a 'flag' step, declared once, is a service call, an API
    action with its request body and schema, and a history row — without any other code."""

    def flag(ticket, move):
        ticket.supervision_note = move.note

    table = Workflow(
        model=Complaint,
        steps=(
            Step(
                "flag",
                "标记",
                to=None,
                by=(Party.UTILITY,),
                form=forms.NoteForm,
                note_required="说明原因",
                apply=flag,
            ),
        ),
    )
    try:

        @workflow_actions(table, output=ComplaintSerializer)
        class FlagViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
            queryset = Complaint.objects.all()
            serializer_class = ComplaintSerializer

        router = SimpleRouter()
        router.register("flags", FlagViewSet, basename="flag")
        assert [r.name for r in router.urls if r.name == "flag-flag"] == ["flag-flag"]

        handler = world.user("submitter_x")
        ticket = push(handler, received_at=recent(0.1))
        table.transition(ticket, "flag", handler, note="重复来电")
        ticket.refresh_from_db()
        assert ticket.supervision_note == "重复来电"
        assert ticket.history.first().history_change_reason == "flag: 重复来电"
        with pytest.raises(ValidationError):
            table.transition(ticket, "flag", handler)  # no note
    finally:
        WORKFLOWS.remove(table)
