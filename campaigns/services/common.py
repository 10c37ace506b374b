"""What every write of the campaigns app shares: the one save (validated, with its history row), the reasons
the write guard gives, the step a `*_transition(to=...)` call names, and the review table of a utility's
filing (`filing_workflow`)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from campaigns import forms
from portal.choices import Party
from portal.models import User
from portal.workflow import Move, Step, Workflow

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


def filing_comment(move: Move) -> str:
    """The reviewer's (or the filer's) comment on a move, trimmed."""
    return (move.data.get("comment") or "").strip()


def filing_workflow(
    *,
    model: type[models.Model],
    status: type[models.TextChoices],
    lock_related: tuple[str, ...],
    refusal,
    permission_message,
    notify: Callable[[Any, Move], None],
    submit: Callable[[Any, Move], None],
    resubmit: Callable[[Any, Move], None],
    done: dict[str, Any],
    comment_required,
) -> Workflow:
    """The review table a utility's filing goes through (a self-check report, a deliverable submission):

        draft ─submit→ submitted ─return→ returned ─resubmit→ resubmitted ─return→ returned …
        submitted, resubmitted ─accept→ accepted

    The utility (or its parent company) files, the issuing office's regulators review. Each kind brings its
    own submit and resubmit bodies, its notification and its words (`done` per step; `comment_required`, the
    error of a return without a comment); returning and accepting are the same for every kind. Every move
    records "from → to: comment" as its history reason."""

    def moved(body: Callable[[Any, Move], None]) -> Callable[[Any, Move], None]:
        def apply(obj, move: Move) -> None:
            body(obj, move)
            reason = f"{status(move.old).label} → {status(move.step.to).label}"
            move.reason = reason + (f": {filing_comment(move)}" if filing_comment(move) else "")

        return apply

    def return_(obj, move: Move) -> None:
        if not filing_comment(move):
            raise ValidationError({"comment": comment_required})
        obj.returned_at = move.at
        obj.review_comments = filing_comment(move)

    def accept(obj, move: Move) -> None:
        obj.accepted_at = move.at
        if filing_comment(move):
            obj.review_comments = filing_comment(move)

    in_review = frozenset({status.SUBMITTED, status.RESUBMITTED})
    return Workflow(
        model=model,
        lock_related=lock_related,
        status_label=lambda s: status(s).label,
        refusal=refusal,
        permission_message=permission_message,
        after=notify,
        clean=True,
        steps=(
            Step(
                "submit",
                gettext_lazy("Submit"),
                to=status.SUBMITTED,
                sources=frozenset({status.DRAFT}),
                by=(Party.UTILITY,),
                apply=moved(submit),
                done=done["submit"],
                event=status.SUBMITTED,
            ),
            Step(
                "return",
                gettext_lazy("Return for revision"),
                to=status.RETURNED,
                sources=in_review,
                by=(Party.REGULATOR,),
                form=forms.ReturnForm,
                apply=moved(return_),
                done=done["return"],
                event=status.RETURNED,
                danger=True,
            ),
            Step(
                "resubmit",
                gettext_lazy("Resubmit"),
                to=status.RESUBMITTED,
                sources=frozenset({status.RETURNED}),
                by=(Party.UTILITY,),
                apply=moved(resubmit),
                done=done["resubmit"],
                event=status.RESUBMITTED,
            ),
            Step(
                "accept",
                gettext_lazy("Accept"),
                to=status.ACCEPTED,
                sources=in_review,
                by=(Party.REGULATOR,),
                form=forms.AcceptForm,
                apply=moved(accept),
                done=done["accept"],
                event=status.ACCEPTED,
            ),
        ),
    )
