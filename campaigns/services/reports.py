"""Writes of self-check reports (自查报告): a utility starts a draft, fills in its figures and answers the
campaign's checklists; then the report moves through its workflow table, `REPORT_WORKFLOW`:

    draft ─submit→ submitted ─return→ returned ─resubmit→ resubmitted ─return→ returned …
    submitted, resubmitted ─accept→ accepted

The utility (or its parent company) files, the issuing office's regulators review. Every move goes through
`REPORT_WORKFLOW.transition` (portal.workflow): the party check, the state check, the step's body, one save
with its history row ("from → to: comment"), then the notification. `report_submit(report=…, acting_user=…,
at=…)`, `report_return(…, comment=…)` … are the services' names for the steps, generated from the table.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.choices import DeliverableKind, PhaseKind, ReportStatus
from campaigns.models import (
    REPORT_FIELDS,
    Campaign,
    CampaignUtility,
    ChecklistAnswer,
    ChecklistItem,
    FocusItem,
    SelfCheckReport,
)
from campaigns.selectors import phase_of_kind, report_gaps, self_check_due
from campaigns.services.common import FILED_BY_UTILITY, filing_workflow, save, step_to
from campaigns.services.deliverables import deliverable_mark_done
from portal.choices import Party
from portal.deadlines import end_of_day, local_date
from portal.models import Organisation, User
from portal.querysets import require_writable
from portal.services import notify
from portal.workflow import Move


class ReportExists(ValidationError):
    """The utility's report for the campaign exists (raised only after the permission check, so the
    answer never tells a stranger that another utility has filed)."""


@transaction.atomic
def report_create(*, campaign: Campaign, utility: Organisation, acting_user: User, **fields) -> SelfCheckReport:
    """Start a draft self-check report of `utility` for `campaign` (refused for a utility not in scope).
    Permission first, then scope, then uniqueness: each answer tells only what the caller may know."""
    require_writable(acting_user, utility, Party.UTILITY, FILED_BY_UTILITY)
    if not CampaignUtility.objects.filter(campaign=campaign, utility=utility).exists():
        raise ValidationError(
            {"utility": _("%(utility)s is not in the scope of this campaign.") % {"utility": utility.name}}
        )
    if SelfCheckReport.objects.filter(campaign=campaign, utility=utility).exists():
        raise ReportExists({"utility": _("This utility already has a self-check report for the campaign.")})
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    fields.setdefault("title", f"{utility.name}{campaign.title}自查报告")
    report = SelfCheckReport(campaign=campaign, utility=utility, **fields)
    save(report, acting_user)
    return report


def require_editable(report: SelfCheckReport) -> None:
    """Refuse (400) a change to a report that is neither a draft nor returned for revision."""
    if not report.editable:
        raise ValidationError(
            {
                "status": _(
                    "The report is %(status)s: only a draft or a returned report can be edited. Nothing was changed."
                )
                % {"status": report.get_status_display()}
            }
        )


@transaction.atomic
def report_update(*, report: SelfCheckReport, acting_user: User, **fields) -> SelfCheckReport:
    """Change a draft (or a returned report under revision); a submitted report is refused."""
    require_writable(acting_user, report, Party.UTILITY, FILED_BY_UTILITY)
    report = SelfCheckReport.objects.select_for_update().get(pk=report.pk)
    require_editable(report)
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    for k, v in fields.items():
        setattr(report, k, v)
    save(report, acting_user)
    return report


@transaction.atomic
def answer_save(
    *,
    report: SelfCheckReport,
    item: ChecklistItem,
    answer: str,
    acting_user: User,
    note: str = "",
    focus_item: FocusItem | None = None,
) -> ChecklistAnswer:
    """Answer one checklist item of a campaign's attached checklists (only while the report is editable)."""
    require_writable(acting_user, report, Party.UTILITY, FILED_BY_UTILITY)
    require_editable(report)
    attached = FocusItem.objects.filter(campaign=report.campaign, checklist_id=item.template_id)
    if not attached.exists():
        raise ValidationError({"item": _("This checklist is not attached to the campaign.")})
    if focus_item is None:
        focus_item = attached.first()
    obj = ChecklistAnswer.objects.filter(report=report, item=item).first() or ChecklistAnswer(report=report, item=item)
    obj.answer, obj.note, obj.focus_item = answer, note, focus_item
    save(obj, acting_user)
    return obj


# --------------------------------------------------------------------------- the workflow


def _check_complete(report: SelfCheckReport) -> None:
    """Refuse to file (submit or resubmit) a report with gaps: its name of the organisation and its period
    (field errors), unanswered checklist items, rectification items without a responsible person or a due
    date. The refusal lists every gap (`gaps`), so the page and the API say what is missing."""
    errors = {}
    for field in ("declared_organisation", "period_start", "period_end"):
        if not getattr(report, field):
            errors[field] = _("Required before the report is filed.")
    gaps = report_gaps(report)
    if gaps:
        errors["gaps"] = [_("The report cannot be filed yet:"), *gaps]
    if errors:
        raise ValidationError(errors)


def _submit(report: SelfCheckReport, move: Move) -> None:
    """Refused before the self-check phase starts; after the self-check due date it is accepted, marked
    late, and the utility's deliverable deadline is met late."""
    campaign = report.campaign
    phase = phase_of_kind(campaign, PhaseKind.SELF_CHECK)
    if phase is not None and local_date(move.at) < phase.start_date:
        raise ValidationError(
            {
                "status": _("Self-check reports are filed from the self-check phase on (%(start)s).")
                % {"start": phase.start_date}
            }
        )
    _check_complete(report)
    due = self_check_due(campaign)
    report.first_submitted_at = move.at
    report.is_late = bool(due and move.at > end_of_day(due))
    report.submitted_at = move.at
    for d in campaign.deliverables.filter(kind=DeliverableKind.SELF_CHECK_REPORT):
        deliverable_mark_done(deliverable=d, utility=report.utility, acting_user=move.user, at=move.at)


def _resubmit(report: SelfCheckReport, move: Move) -> None:
    _check_complete(report)
    report.submitted_at = move.at


def _notify(report: SelfCheckReport, move: Move) -> None:
    """The utility hears of a return or an acceptance; the issuing office of a report to review."""
    to = move.step.to
    key = f"campaigns.report:{report.pk}:{to}:{move.at.timestamp():.0f}"
    url = f"/campaigns/reports/{report.pk}/"
    if to in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
        notify(
            organisations=[report.utility],
            key=key,
            subject=_("Self-check report %(status)s: %(title)s")
            % {"status": ReportStatus(to).label, "title": report.title},
            body=move.data.get("comment") or "",
            url=url,
            target=report,
            level="warning" if to == ReportStatus.RETURNED else "success",
        )
    else:
        notify(
            organisations=[report.campaign.owner],
            key=key,
            subject=_("Self-check report to review: %(title)s") % {"title": report.title},
            url=url,
            target=report,
        )


REPORT_WORKFLOW = filing_workflow(
    model=SelfCheckReport,
    status=ReportStatus,
    lock_related=("campaign", "utility"),
    refusal=gettext_lazy("A %(status)s report cannot become %(step)s."),
    permission_message=gettext_lazy(
        "Only the utility itself (or its parent company) files a self-check report, "
        "and only the issuing office's regulators review it."
    ),
    notify=_notify,
    submit=_submit,
    resubmit=_resubmit,
    done={
        "submit": gettext_lazy("Report submitted."),
        "return": gettext_lazy("Report returned for revision."),
        "resubmit": gettext_lazy("Report resubmitted."),
        "accept": gettext_lazy("Report accepted."),
    },
    comment_required=gettext_lazy("Say what must be revised when returning a report."),
)


def report_transition(
    *, report: SelfCheckReport, to: str, acting_user: User, comment: str = "", at: datetime | None = None
) -> SelfCheckReport:
    """Move a report to status `to` by the step of REPORT_WORKFLOW that leads there."""
    name = step_to(REPORT_WORKFLOW, report.status, to)
    return REPORT_WORKFLOW.transition(report, name, acting_user, at=at, comment=comment)


report_submit = REPORT_WORKFLOW.service("submit", "report")
report_return = REPORT_WORKFLOW.service("return", "report")
report_resubmit = REPORT_WORKFLOW.service("resubmit", "report")
report_accept = REPORT_WORKFLOW.service("accept", "report")
