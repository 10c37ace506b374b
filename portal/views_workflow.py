"""The one HTML action of every workflow: a step's form posted from the record's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from portal.workflow import Workflow


def form_error_text(form) -> str:
    """A form's errors as one line, each after its field's label."""
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
        for f, e in form.errors.items()
    )


def step_forms(workflow: Workflow, user, record) -> list[tuple]:
    """(step, empty form, hint) for each step `user` may take on `record` now; the hint is what the step
    will ask of this record (e.g. a note to reply before contact). Ids carry the step's name: several forms
    on one page share field names."""
    return [
        (step, step.form(auto_id=f"id_{step.name}_%s") if step.form else None, workflow.hint(record, step))
        for step in workflow.offered(user, record)
    ]


def step_action(request, record, workflow: Workflow, name: str, *, done=None, back=None):
    """Validate the step's form and take the step; the outcome (or the refusal) is shown on the record's page.
    `done(record)` words the success (default: the step's own message); `back` is where to return."""
    step = workflow.step(name)
    workflow.party_for(request.user, record, step)  # a refused user hears 403 whatever it sent
    data = {}
    if step.form is not None:
        form = step.form(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, form_error_text(form))
            return redirect(back or record)
        data = dict(form.cleaned_data)
    try:
        record = workflow.transition(record, name, request.user, **data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done(record) if done else (step.done or _("Saved.")))
    return redirect(back or record)
