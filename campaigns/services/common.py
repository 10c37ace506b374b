"""What every write of the campaigns app shares: the one save (validated, with its history row), the reasons
the write guard gives, and the step a `*_transition(to=...)` call names."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from portal.models import User
from portal.workflow import Workflow

# The reasons of a refusal (403) by `portal.querysets.require_writable`, by the side that writes.
MANAGED_BY_OFFICE = gettext_lazy("Only the issuing office's regulators manage this campaign.")
FILED_BY_UTILITY = gettext_lazy("Only the utility itself (or its parent company) files this.")


def save(obj: models.Model, acting_user: User | None, reason: str = "") -> None:
    """Validate (`full_clean`) and save `obj`, its history row naming `acting_user` and `reason`."""
    obj.full_clean()
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason[:100]
    obj.save()


def step_to(workflow: Workflow, status: str, to: str) -> str:
    """The name of the step of `workflow` that leads from `status` to `to` — for the callers that name the
    status they want rather than the step. When none starts from `status`, the first leading to `to` is
    named, so that the table refuses it with its own message; when none leads to `to`, it is refused here."""
    leading = [step for step in workflow.steps if step.to == to]
    for step in leading:
        if step.starts_from(status):
            return step.name
    if leading:
        return leading[0].name
    raise ValidationError(
        {
            workflow.status_field: workflow.refusal
            % {"status": workflow.status_label(status), "step": workflow.status_label(to)}
        }
    )
