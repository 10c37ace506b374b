"""Writes of deliverable submissions (报送材料): a utility files one occurrence of a deliverable — its text, evidence
and, where the deliverable asks for them, its figures — and the issuing office reviews it, through the workflow
table `SUBMISSION_WORKFLOW`:

    draft ─submit→ submitted ─return→ returned ─resubmit→ resubmitted ─return→ returned …
    submitted, resubmitted ─accept→ accepted

Filing (`submission_file`) creates the record and takes the step `submit` at once. The first submission meets
the occurrence's tracked deadline (`campaign.deliverable.<utility>[.<date>]`): on time, or late — then the
submission is marked late and the violation is recorded (once: the sweep may have recorded it already when the
occurrence went overdue unfiled). An occurrence never filed is the sweep's to record. The utility's internal
date is the deadline's reminder instant (`deliverable_track`), never a violation.

A self-check report deliverable is filed as the self-check report itself (campaigns.services.reports).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.choices import DeliverableKind, SubmissionStatus
from campaigns.figures import clean_figures
from campaigns.models import CampaignUtility, Deliverable, DeliverableSubmission
from campaigns.selectors import deliverable_occurrences
from campaigns.services.common import FILED_BY_UTILITY, filing_comment, filing_workflow, save, step_to
from campaigns.services.deliverables import deliverable_codes
from portal.choices import Party, SourceClass
from portal.deadlines import end_of_day
from portal.models import Organisation, User
from portal.querysets import require_writable
from portal.services import attachment_add, deadline_meet, notify, violation_record
from portal.workflow import Move


class SubmissionExists(ValidationError):
    """The utility has filed this occurrence already (raised after the permission check)."""


def _occurrence_code(deliverable: Deliverable, utility: Organisation, occurrence) -> str | None:
    return next(
        (
            code
            for code, org, d in deliverable_codes(deliverable, [utility])
            if d == occurrence and org.pk == utility.pk
        ),
        None,
    )


@transaction.atomic
def submission_file(
    *,
    deliverable: Deliverable,
    utility: Organisation,
    occurrence,
    acting_user: User,
    text: str = "",
    figures: dict | None = None,
    file=None,
    at: datetime | None = None,
) -> DeliverableSubmission:
    """File one occurrence of `deliverable` for `utility` (and submit it). Permission first, then the
    deliverable, scope, occurrence and uniqueness: each answer tells only what the caller may know."""
    require_writable(acting_user, utility, Party.UTILITY, FILED_BY_UTILITY)
    if deliverable.kind == DeliverableKind.SELF_CHECK_REPORT:
        raise ValidationError({"deliverable": _("A self-check report is filed as the self-check report itself.")})
    if not deliverable.per_utility:
        raise ValidationError({"deliverable": _("This deliverable is the regulator's own, not the utilities'.")})
    if not CampaignUtility.objects.filter(campaign_id=deliverable.campaign_id, utility=utility).exists():
        raise ValidationError(
            {"utility": _("%(utility)s is not in the scope of this campaign.") % {"utility": utility.name}}
        )
    if occurrence not in deliverable_occurrences(deliverable):
        raise ValidationError({"occurrence": _("The deliverable has no occurrence due on that date.")})
    if DeliverableSubmission.objects.filter(deliverable=deliverable, utility=utility, occurrence=occurrence).exists():
        raise SubmissionExists({"occurrence": _("This utility has already filed this occurrence.")})
    if not (text or "").strip() and file is None and not deliverable.figure_set:
        raise ValidationError({"text": _("Give the text of the submission or attach its document.")})
    submission = DeliverableSubmission(
        deliverable=deliverable,
        campaign_id=deliverable.campaign_id,
        utility=utility,
        occurrence=occurrence,
        text=text or "",
        figures=clean_figures(deliverable.figure_set, figures or {}),
    )
    save(submission, acting_user)
    if file is not None:
        submission_evidence_add(submission=submission, file=file, acting_user=acting_user)
    return SUBMISSION_WORKFLOW.transition(submission, "submit", acting_user, at=at)


def require_editable(submission: DeliverableSubmission) -> None:
    if not submission.editable:
        raise ValidationError(
            {
                "status": _("The submission is %(status)s: only a returned submission can be revised.")
                % {"status": submission.get_status_display()}
            }
        )


@transaction.atomic
def submission_update(
    *, submission: DeliverableSubmission, acting_user: User, text: str | None = None, figures: dict | None = None
) -> DeliverableSubmission:
    """Revise a returned submission (its text, its figures) before resubmitting it."""
    require_writable(acting_user, submission, Party.UTILITY, FILED_BY_UTILITY)
    submission = DeliverableSubmission.objects.select_for_update().select_related("deliverable").get(pk=submission.pk)
    require_editable(submission)
    if text is not None:
        submission.text = text
    if figures is not None:
        submission.figures = clean_figures(submission.deliverable.figure_set, figures)
    save(submission, acting_user, reason=_("Revised"))
    return submission


@transaction.atomic
def submission_evidence_add(*, submission: DeliverableSubmission, file, acting_user: User, description: str = ""):
    """Attach a document to a submission (until it is accepted)."""
    require_writable(acting_user, submission, Party.UTILITY, FILED_BY_UTILITY)
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError({"file": _("The submission is accepted: its documents are closed.")})
    try:
        return attachment_add(
            owner=submission, utility=submission.utility, file=file, acting_user=acting_user, description=description
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


# --------------------------------------------------------------------------- the workflow


def _submit(sub: DeliverableSubmission, move: Move) -> None:
    """Judged at the first filing: after 24:00 of the occurrence's due date it is late; the deadline is met
    (late or not) and a late filing records its violation."""
    due = end_of_day(sub.occurrence)
    sub.first_submitted_at = sub.submitted_at = move.at
    sub.is_late = move.at > due
    code = _occurrence_code(sub.deliverable, sub.utility, sub.occurrence)
    if code is None:
        return
    deadline_meet(subject=sub.deliverable, codes=[code], at=move.at)
    if sub.is_late:
        campaign = sub.deliverable.campaign
        violation_record(
            subject=sub.deliverable,
            utility=sub.utility,
            rule=None,
            code=code,
            source_class=SourceClass.CAMPAIGN,
            occurred_at=due,
            shortfall=move.at - due,
            description=f"{campaign.short_title or campaign.title}：{sub.deliverable.title}（逾期报送）",
        )


def _resubmit(sub: DeliverableSubmission, move: Move) -> None:
    sub.submitted_at = move.at


def _notify(sub: DeliverableSubmission, move: Move) -> None:
    to = move.step.to
    key = f"campaigns.submission:{sub.pk}:{to}:{move.at.timestamp():.0f}"
    title = f"{sub.deliverable.title} {sub.occurrence:%Y-%m-%d}"
    if to in (SubmissionStatus.RETURNED, SubmissionStatus.ACCEPTED):
        notify(
            organisations=[sub.utility],
            key=key,
            subject=_("Submission %(status)s: %(title)s") % {"status": SubmissionStatus(to).label, "title": title},
            body=filing_comment(move),
            url=sub.get_absolute_url(),
            target=sub,
            level="warning" if to == SubmissionStatus.RETURNED else "success",
        )
    else:
        notify(
            organisations=[sub.campaign.owner],
            key=key,
            subject=_("Submission to review: %(title)s (%(utility)s)") % {"title": title, "utility": sub.utility.name},
            url=sub.get_absolute_url(),
            target=sub,
        )


SUBMISSION_WORKFLOW = filing_workflow(
    model=DeliverableSubmission,
    status=SubmissionStatus,
    lock_related=("deliverable__campaign", "utility"),
    refusal=gettext_lazy("A %(status)s submission cannot become %(step)s."),
    permission_message=gettext_lazy(
        "Only the utility itself (or its parent company) files a deliverable, "
        "and only the issuing office's regulators review it."
    ),
    notify=_notify,
    submit=_submit,
    resubmit=_resubmit,
    done={
        "submit": gettext_lazy("Submission filed."),
        "return": gettext_lazy("Submission returned for revision."),
        "resubmit": gettext_lazy("Submission resubmitted."),
        "accept": gettext_lazy("Submission accepted."),
    },
    comment_required=gettext_lazy("Say what must be revised when returning a submission."),
)


def submission_transition(
    *, submission: DeliverableSubmission, to: str, acting_user: User, comment: str = "", at: datetime | None = None
) -> DeliverableSubmission:
    """Move a submission to status `to` by the step of SUBMISSION_WORKFLOW that leads there."""
    name = step_to(SUBMISSION_WORKFLOW, submission.status, to)
    return SUBMISSION_WORKFLOW.transition(submission, name, acting_user, at=at, comment=comment)


submission_return = SUBMISSION_WORKFLOW.service("return", "submission")
submission_resubmit = SUBMISSION_WORKFLOW.service("resubmit", "submission")
submission_accept = SUBMISSION_WORKFLOW.service("accept", "submission")
