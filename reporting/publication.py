"""通报 to the public column (issue 13): an office prepares the monthly complaint bulletin for publication
(the figures per utility frozen at that moment), submits it, and an administrator of the office approves
it — deciding whether the violations proposed for naming go out by name — or returns it; a published
bulletin can be withdrawn. The public pages read only published rows, and of them only the frozen
figures (and the names when approved). Every step is a step of the one workflow engine."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint
from complaints.selectors import ticket_violations, tickets_due_between
from portal.choices import Disposition, Party, Role
from portal.models import Organisation, User
from portal.workflow import Move, Step, Workflow
from reporting import complaint_stats as cs
from reporting import work_orders
from reporting.choices import PublicationStatus
from reporting.models import BulletinPublication
from reporting.selectors import local_range, utilities_of

FIGURE_KEYS = ("due", "on_time", "on_time_rate", "appeals", "visit_rate", "satisfaction_rate")
TEXT = {"class": "form-control form-control-sm", "rows": 2}


def _month_end(month: date) -> date:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def bulletin_figures(office: Organisation, month: date) -> tuple[list[dict], list[dict]]:
    """Per utility of the office's jurisdiction, for the month: items due, closed on time, the on-time
    closure rate, appeals, return-visit and satisfaction rates; and the confirmed violations of those
    tickets that could be named (a 12398 item the utility has not received is never among them)."""
    lo, hi = local_range(month, _month_end(month))
    ids = list(utilities_of(office).values_list("id", flat=True))
    tickets = tickets_due_between(utility_ids=ids, lo=lo, hi=hi)
    rows = cs.timeliness_by_utility(tickets)
    figures = [
        {"utility": r["utility__name"], "code": r["utility__code"], **{k: r[k] for k in FIGURE_KEYS}} for r in rows
    ]
    _add_order_rates(figures, ids, lo, hi)
    named = (
        ticket_violations(tickets.exclude(Complaint.objects.withheld_from_utilities()))
        .filter(disposition=Disposition.CONFIRMED)
        .select_related("utility", "rule")
        .order_by("utility__path", "occurred_at")
    )
    violations = [
        {
            "utility": v.utility.name,
            "code": v.code,
            "rule": v.rule.title if v.rule_id else v.code,
            "occurred_on": timezone.localtime(v.occurred_at).date().isoformat(),
        }
        for v in named[:200]
    ]
    return figures, violations


def _add_order_rates(figures: list[dict], ids: list[int], lo, hi) -> None:
    """Beside the tickets, each utility's on-time rate for every record kind pushed with its history (connection
    applications, meter requests, arrears cases, large-customer inspections: `reporting.work_orders.KINDS`),
    for the deadlines due in the month — frozen with the rest (`orders`: {kind: rate or None}). A utility with
    such deadlines but no ticket due gets a row of its own."""
    by_code = {row["code"]: row for row in figures}
    for key, _title, model, _list, _chart in work_orders.KINDS:
        for r in work_orders.rates(model, utility_ids=ids, lo=lo, hi=hi):
            row = by_code.get(r["utility"].code)
            if row is None:
                row = by_code[r["utility"].code] = {
                    "utility": r["utility"].name,
                    "code": r["utility"].code,
                    **dict.fromkeys(FIGURE_KEYS),
                    "due": 0,
                    "on_time": 0,
                    "appeals": 0,
                }
                figures.append(row)
            row.setdefault("orders", {})[key] = str(r["rate"]) if r["rate"] is not None else None
    for row in figures:
        orders = row.setdefault("orders", {})
        for key, *_rest in work_orders.KINDS:
            orders.setdefault(key, None)


@transaction.atomic
def publication_prepare(*, office: Organisation, month: date, acting_user: User) -> BulletinPublication:
    """A draft for the public column, figures frozen now; preparing the month again refreshes the draft
    (a bulletin submitted or published is not touched)."""
    if not (acting_user.is_superuser or (acting_user.organisation_id == office.pk and office.is_regulator)):
        raise PermissionDenied(_("Only the issuing office prepares its bulletin for publication."))
    figures, violations = bulletin_figures(office, month)
    existing = BulletinPublication.objects.select_for_update().filter(office=office, month=month).first()
    if existing and existing.status != PublicationStatus.DRAFT:
        raise ValidationError(
            {
                "month": _("The bulletin of this month is already %(status)s.")
                % {"status": existing.get_status_display()}
            }
        )
    pub = existing or BulletinPublication(office=office, month=month)
    pub.title = _("%(office)s complaint handling bulletin, %(month)s") % {
        "office": office.name,
        "month": f"{month.year}年{month.month}月",
    }
    pub.figures, pub.violations, pub.prepared_by = figures, violations, acting_user
    pub._history_user = acting_user
    pub._change_reason = "prepare"
    try:
        pub.save()
    except IntegrityError:
        raise ValidationError({"month": _("The bulletin of this month is being prepared.")}) from None
    return pub


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )


class ReasonForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs=TEXT))


class ApproveForm(NoteForm):
    publish_names = forms.BooleanField(
        label=gettext_lazy("Publish the violations by name"),
        required=False,
        help_text=gettext_lazy("Without it, the figures are published and the names stay internal."),
    )


def _approve(pub: BulletinPublication, move: Move) -> None:
    pub.approved_by = move.user
    pub.published_at = move.at
    pub.names_published = bool(move.data.get("publish_names")) and bool(pub.violations)
    move.reason = (f"approve: names {'published' if pub.names_published else 'withheld'}; {move.note}")[:100]


def _withdraw(pub: BulletinPublication, move: Move) -> None:
    pub.names_published = False


def _actor_rule(user, party: str, pub: BulletinPublication, step: Step) -> str | None:
    if step.name in ("approve", "return", "withdraw") and user.role != Role.REGULATOR_ADMIN:
        return _("Only an administrator of the office approves, returns or withdraws a bulletin.")
    return None


S = PublicationStatus
WORKFLOW = Workflow(
    model=BulletinPublication,
    status_label=lambda s: PublicationStatus(s).label,
    actor_rule=_actor_rule,
    refusal=gettext_lazy("A bulletin that is %(status)s cannot be %(step)s."),
    permission_message=gettext_lazy("Only the issuing office handles its bulletins."),
    steps=(
        Step(
            "submit",
            gettext_lazy("Submit for approval"),
            to=S.SUBMITTED,
            sources=frozenset({S.DRAFT}),
            by=(Party.REGULATOR,),
            form=NoteForm,
        ),
        Step(
            "approve",
            gettext_lazy("Approve and publish"),
            to=S.PUBLISHED,
            sources=frozenset({S.SUBMITTED}),
            by=(Party.REGULATOR,),
            form=ApproveForm,
            apply=_approve,
            danger=True,
        ),
        Step(
            "return",
            gettext_lazy("Return to the draft"),
            to=S.DRAFT,
            sources=frozenset({S.SUBMITTED}),
            by=(Party.REGULATOR,),
            form=ReasonForm,
            note_required=gettext_lazy("Say why."),
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdraw from the public column"),
            to=S.WITHDRAWN,
            sources=frozenset({S.PUBLISHED}),
            by=(Party.REGULATOR,),
            form=ReasonForm,
            note_required=gettext_lazy("Say why."),
            apply=_withdraw,
            danger=True,
        ),
    ),
)

publication_submit = WORKFLOW.service("submit", "publication")
publication_approve = WORKFLOW.service("approve", "publication")
publication_return = WORKFLOW.service("return", "publication")
publication_withdraw = WORKFLOW.service("withdraw", "publication")


def public_view(pub: BulletinPublication) -> dict:
    """What the public column shows of a published bulletin: the frozen figures, the names when approved."""
    return {
        "title": pub.title,
        "office": pub.office.name,
        "month": pub.month,
        "published_at": pub.published_at,
        "figures": pub.figures,
        "violations": pub.violations if pub.names_published else [],
    }
