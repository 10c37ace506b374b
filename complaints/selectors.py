"""Reads of the complaints app: personal-data masking, duplicate candidates, counts per state, the
timeline of a ticket and its linked tickets."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.choices import OPEN_STATUSES, Action, Channel, Finding, Status
from complaints.models import Complaint, ComplaintEvent
from portal.choices import Party
from portal.deadlines import SHANGHAI
from portal.models import User, Violation
from portal.privacy import mask_address, mask_name, mask_phone
from portal.querysets import acts_as
from portal.worklist import WorkItem, WorkSource

DUPLICATE_WINDOW_DAYS = 7


def may_see_personal(user: User, ticket: Complaint) -> bool:
    """The customer's name, phone and address are for those who must contact the customer: the
    utility handling the ticket (staff and its systems), and the regulator for its own 12398 items.
    Everyone else sees them masked (lists, pages, API, exports)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    org = user.organisation
    if org is None:
        return False
    if org.is_utility:
        return ticket.utility.path.startswith(org.path)
    return ticket.channel == Channel.HOTLINE_12398


def personal(user: User, ticket: Complaint) -> dict:
    """The personal fields as `user` may see them."""
    if may_see_personal(user, ticket):
        return {
            "customer_name": ticket.customer_name,
            "customer_phone": ticket.customer_phone,
            "address": ticket.address,
        }
    return {
        "customer_name": mask_name(ticket.customer_name),
        "customer_phone": mask_phone(ticket.customer_phone),
        "address": mask_address(ticket.address),
    }


def duplicate_candidates(*, ticket: Complaint, user: User, days: int = DUPLICATE_WINDOW_DAYS):
    """Tickets that may be the same grievance: same phone or same address, same category, received
    within `days` of this one, not already in its case. A person confirms the link."""
    match = Q()
    if ticket.customer_phone:
        match |= Q(customer_phone=ticket.customer_phone)
    if ticket.address:
        match |= Q(address=ticket.address)
    if not match:
        return Complaint.objects.none()
    window = timedelta(days=days)
    qs = (
        Complaint.objects.visible_to(user)
        .filter(match, category=ticket.category)
        .filter(received_at__gte=ticket.received_at - window, received_at__lte=ticket.received_at + window)
        .exclude(pk=ticket.pk)
        .select_related("utility")
    )
    if ticket.case_id:
        qs = qs.exclude(case_id=ticket.case_id)
    return qs.order_by("received_at")[:20]


def linked_tickets(*, ticket: Complaint, user: User):
    if not ticket.case_id:
        return Complaint.objects.none()
    return (
        Complaint.objects.visible_to(user)
        .filter(case_id=ticket.case_id)
        .exclude(pk=ticket.pk)
        .select_related("utility")
        .order_by("received_at")
    )


def timeline(ticket: Complaint) -> list[dict]:
    """Receipt (and acceptance given at intake) from the ticket, then every recorded event."""
    items = [
        {
            "action": Action.RECEIVED,
            "label": Action.RECEIVED.label,
            "at": ticket.received_at,
            "actor": ticket.created_by,
            "organisation": None,
            "note": ticket.get_channel_display(),
            "data": {},
        }
    ]
    events = list(ComplaintEvent.objects.filter(complaint=ticket).select_related("actor", "organisation"))
    if ticket.accepted_at and not any(e.action == Action.ACCEPTED for e in events):
        items.append(
            {
                "action": Action.ACCEPTED,
                "label": Action.ACCEPTED.label,
                "at": ticket.accepted_at,
                "actor": ticket.created_by,
                "organisation": None,
                "note": "",
                "data": {},
            }
        )
    for e in events:
        items.append(
            {
                "action": e.action,
                "label": e.get_action_display(),
                "at": e.at,
                "actor": e.actor,
                "organisation": e.organisation,
                "note": e.note,
                "data": _event_data(e.data),
                "from_status": e.from_status,
                "to_status": e.to_status,
            }
        )
    items.sort(key=lambda i: i["at"])
    return items


def _event_data(data: dict) -> dict:
    """An event's details as the timeline shows them (a finding's code read as its label)."""
    if data.get("finding") in Finding.values:
        return {**data, "finding_label": Finding(data["finding"]).label}
    return data


def state_counts(qs) -> dict:
    """Counts per deadline state and status of a (filtered) queryset, in one aggregate query."""
    now = timezone.now()
    return qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=list(OPEN_STATUSES))),
        overdue_now=Count("id", filter=Q(overdue=True) | Q(next_due__lt=now)),
        at_risk=Count("id", filter=Q(overdue=False, next_due__gte=now, next_warn_at__lte=now)),
        statutory=Count("id", filter=Q(statutory_breach=True) | Q(next_statutory_due__lt=now)),
        to_forward=Count(
            "id",
            filter=Complaint.objects.withheld_from_utilities() & Q(status__in=[Status.RECEIVED, Status.ACCEPTED]),
        ),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
    )


def forward_queue(user: User):
    """The regulator's queue: 12398 items received or accepted, not yet forwarded, oldest first."""
    return (
        Complaint.objects.visible_to(user)
        # Awaiting the forward is what keeps an item from the utility: the same condition.
        .filter(Complaint.objects.withheld_from_utilities(), status__in=[Status.RECEIVED, Status.ACCEPTED])
        .select_related("utility")
        .order_by("received_at", "id")
    )


# --------------------------------------------------------------------------- report reads


def tickets_due_between(*, utility_ids: list[int], lo, hi):
    """The tickets of these utilities whose reply fell due in [lo, hi) (a bulletin's items due)."""
    return Complaint.objects.filter(utility_id__in=utility_ids, reply_due__gte=lo, reply_due__lt=hi)


def tickets_received_between(*, utility_ids: list[int], lo, hi):
    """The tickets of these utilities received in [lo, hi)."""
    return Complaint.objects.filter(utility_id__in=utility_ids, received_at__gte=lo, received_at__lt=hi)


def ticket_violations(tickets):
    """The `portal.Violation` rows of the `tickets` queryset (already scoped by the caller)."""
    ct = ContentType.objects.get_for_model(Complaint)
    return Violation.objects.filter(content_type=ct, object_id__in=tickets.order_by().values("id"))


def ticket_counts_by_month() -> dict[tuple, dict[str, int]]:
    """Every ticket counted per (utility id, month, channel, category, 12398 item not yet forwarded):
    `received` by the month it came in, `due` and `on_time` (replied at or before `reply_due`) by the
    month its reply fell due; months in Asia/Shanghai, as the first day. Two grouped queries, merged.
    What a utility may not see yet is asked of the queryset (`withheld_from_utilities`), not restated."""

    def month(value):
        # TruncMonth gives a local datetime (or a date on some backends): the first day of that month.
        return value.date() if hasattr(value, "date") else value

    pending = Complaint.objects.withheld_from_utilities()
    base = Complaint.objects.order_by().annotate(
        pf=Case(When(pending, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    rows: dict[tuple, dict[str, int]] = {}
    received = (
        base.annotate(m=TruncMonth("received_at", tzinfo=SHANGHAI))
        .values("utility_id", "m", "channel", "category", "pf")
        .annotate(n=Count("id"))
    )
    for r in received:
        key = (r["utility_id"], month(r["m"]), r["channel"], r["category"], r["pf"])
        rows.setdefault(key, {"received": 0, "due": 0, "on_time": 0})["received"] += r["n"]
    due = (
        base.filter(reply_due__isnull=False)
        .annotate(m=TruncMonth("reply_due", tzinfo=SHANGHAI))
        .values("utility_id", "m", "channel", "category", "pf")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(replied_at__isnull=False, replied_at__lte=F("reply_due"))))
    )
    for r in due:
        key = (r["utility_id"], month(r["m"]), r["channel"], r["category"], r["pf"])
        row = rows.setdefault(key, {"received": 0, "due": 0, "on_time": 0})
        row["due"] += r["n"]
        row["on_time"] += r["ok"]
    return rows


# --------------------------------------------------------------------------- 我的待办 (portal.worklist)


def worklist_tickets(user) -> WorkSource | None:
    """Tickets whose next step is the user's side's: the utility's open tickets by their next due instant;
    the regulator's 12398 items awaiting the forward, oldest first."""
    if user.is_superuser or user.organisation is None:
        return None
    if acts_as(user, Party.UTILITY):
        qs = Complaint.objects.writable_by(user, Party.UTILITY).filter(
            status__in=list(OPEN_STATUSES), next_due__isnull=False
        )
        due_field, dated, action = "next_due", True, _("Handle")
    elif acts_as(user, Party.REGULATOR):
        qs = forward_queue(user)
        due_field, dated, action = "received_at", False, _("Forward")
    else:
        return None

    def item(t) -> WorkItem:
        state = t.get_status_display()  # an overdue one carries the list's 超期 badge (its due is past)
        return WorkItem(
            kind="ticket",
            record=f"{t.get_kind_display()} {t.external_id or t.pk} · {t.get_category_display()}",
            utility=str(t.utility),
            due=t.next_due if dated else None,
            state=state,
            action=action,
            url=t.get_absolute_url(),
        )

    return WorkSource(queryset=qs.select_related("utility"), due_field=due_field, item=item, dated=dated)
