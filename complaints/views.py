"""Pages of the complaints app: the list (filters shared with the API and the export, counts per
state, overdue and at-risk highlighted), the ticket page (timeline, deadlines and their explanation,
linked tickets and candidates, actions as forms), the regulator's 12398 forwarding queue, the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import fields, lifecycle, selectors, services
from complaints.choices import OPEN_STATUSES
from complaints.filtersets import ComplaintFilterSet
from complaints.forms import AttachmentForm, LinkForm
from complaints.models import Complaint
from portal.calendar import deadline_explain
from portal.choices import DeadlineStatus, Party
from portal.excel import xlsx_response
from portal.models import Attachment, TrackedDeadline, Violation
from portal.paging import keyset_page
from portal.querysets import acts_as, require_writable
from portal.views_workflow import form_error_text, step_action, step_forms


def _visible(request):
    return Complaint.objects.visible_to(request.user).select_related("utility", "officer")


# The list's orders (issue 20): `?sort=` key → (column, descending). Empty columns (a ticket with no deadline
# running) come last either way; the id breaks ties in the same direction, so a keyset page is exact.
SORTS = {
    "due": ("next_due", False),
    "-due": ("next_due", True),
    "received": ("received_at", False),
    "-received": ("received_at", True),
}
DEFAULT_SORT = "due"  # urgent first: the earliest open due instant (an overdue one is in the past: first)


def _sort_of(request) -> str:
    sort = request.GET.get("sort", "")
    return sort if sort in SORTS else DEFAULT_SORT


def _shown_deadlines(tickets: list[Complaint], now) -> None:
    """Each ticket's breached deadline (the earliest overdue) or else its next, with its rule — one query
    for the page; set as `ticket.shown_deadline`."""
    by_ticket: dict[int, list] = {}
    rows = (
        TrackedDeadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id__in=[t.pk for t in tickets],
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE],
        )
        .select_related("rule")
        .order_by("due")
    )
    for d in rows:
        by_ticket.setdefault(d.object_id, []).append(d)
    for t in tickets:
        found = by_ticket.get(t.pk, [])
        breached = [d for d in found if d.status == DeadlineStatus.OVERDUE or d.due < now]
        t.shown_deadline = (breached or found or [None])[0]
        if t.shown_deadline is not None:
            t.shown_deadline.breached = bool(breached)


@login_required
def ticket_list(request):
    fs = ComplaintFilterSet(request.GET, queryset=_visible(request), request=request)
    sort = _sort_of(request)
    # Open tickets unless the user asks for all (or filters on a status): the list is worked urgent-first.
    show_all = request.GET.get("scope") == "all" or bool(request.GET.get("status"))
    listed = fs.qs if show_all else fs.qs.filter(status__in=list(OPEN_STATUSES))
    page = keyset_page(request, listed, *SORTS[sort])
    rows = page.rows
    now = timezone.now()
    _shown_deadlines(rows, now)
    tickets = [(t, _row_state(t, now), selectors.personal(request.user, t)) for t in rows]
    sort_params = request.GET.copy()
    for key in ("before", "n", "sort", "scope"):
        sort_params.pop(key, None)
    return render(
        request,
        "complaints/ticket_list.html",
        {
            "filter": fs,
            "tickets": tickets,
            "counts": selectors.state_counts(fs.qs),
            **page.context(),
            "sort": sort,
            "sort_query": sort_params.urlencode(),
            "scope_param": "&scope=all" if request.GET.get("scope") == "all" else "",
            "show_all": show_all,
            "can_import": services.WriterScope(request.user).writes_anything,
            "is_regulator": acts_as(request.user, Party.REGULATOR),
        },
    )


def _row_state(ticket: Complaint, now) -> str:
    if ticket.overdue_now:
        return "overdue"
    if ticket.next_due and ticket.next_warn_at and ticket.next_warn_at <= now:
        return "at_risk"
    if ticket.next_due:
        return "on_time"
    if ticket.has_deadlines:
        return "met_late" if ticket.late_now else "met"
    return "none"


@login_required
def forward_queue(request):
    """12398 items received or accepted and not yet forwarded (regulators), oldest first."""
    if not acts_as(request.user, Party.REGULATOR):
        raise PermissionDenied
    now = timezone.now()
    rows = list(selectors.forward_queue(request.user)[:200])
    return render(
        request,
        "complaints/queue.html",
        {"tickets": [(t, _row_state(t, now), selectors.personal(request.user, t)) for t in rows]},
    )


@login_required
def ticket_export(request):
    """The filtered list as .xlsx with Chinese headers; personal data masked unless the user may see it."""
    fs = ComplaintFilterSet(request.GET, queryset=_visible(request), request=request)

    def rows():
        for ticket in fs.qs.order_by("-received_at", "-id").iterator(chunk_size=2000):
            ticket._personal = selectors.personal(request.user, ticket)  # read by the personal columns
            yield ticket

    return xlsx_response(
        filename=_("complaints"),
        sheet=_("Complaint tickets"),
        columns=fields.COMPLAINT_FIELDS.export_columns(),
        rows=rows(),
        title=_("Complaint tickets and their deadlines"),
    )


@login_required
def ticket_detail(request, pk: int):
    ticket = get_object_or_404(_visible(request), pk=pk)
    deadlines = list(TrackedDeadline.objects.for_object(ticket).select_related("rule"))
    explanations = [(d, deadline_explain(rule=d.rule, start=d.start)) for d in deadlines if d.rule_id is not None]
    can_link = Complaint.objects.writable_by(request.user).filter(pk=ticket.pk).exists()
    context = {
        "ticket": ticket,
        "personal": selectors.personal(request.user, ticket),
        "timeline": selectors.timeline(ticket),
        "deadlines": deadlines,
        "explanations": explanations,
        "violations": Violation.objects.visible_to(request.user).filter(
            content_type__app_label="complaints", content_type__model="complaint", object_id=ticket.pk
        ),
        "linked": selectors.linked_tickets(ticket=ticket, user=request.user),
        "candidates": selectors.duplicate_candidates(ticket=ticket, user=request.user) if can_link else [],
        "can_link": can_link,
        "steps": step_forms(lifecycle.WORKFLOW, request.user, ticket),
        "link_form": LinkForm(),
        "attachments": Attachment.objects.filter(
            content_type__app_label="complaints", content_type__model="complaint", object_id=ticket.pk
        ).select_related("uploaded_by"),
        "can_attach": can_link,
        "row_state": _row_state(ticket, timezone.now()),
        "supervisions": ticket.supervisions.select_related("by", "organisation") if ticket.supervision_level else [],
        "talks": ticket.talks.select_related("by", "organisation") if ticket.talk_count else [],
        "investigations": ticket.investigations.select_related("by") if ticket.officer_id else [],
        "appeals": ticket.appeals.select_related("decided_by") if ticket.appeal_count else [],
    }
    return render(request, "complaints/ticket_detail.html", context)


@login_required
@require_POST
def ticket_action(request, pk: int, verb: str):
    ticket = get_object_or_404(_visible(request), pk=pk)
    return step_action(
        request,
        ticket,
        lifecycle.WORKFLOW,
        verb,
        done=lambda t: _("Recorded. The ticket is now: %(status)s.") % {"status": t.get_status_display()},
    )


@login_required
@require_POST
def ticket_link(request, pk: int):
    """A person confirms that another ticket (by id) is the same grievance."""
    ticket = get_object_or_404(_visible(request), pk=pk)
    require_writable(request.user, ticket)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(ticket)
    other = get_object_or_404(_visible(request), pk=form.cleaned_data["other"])
    try:
        services.complaint_link(ticket=ticket, other=other, acting_user=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Recorded. The ticket is now: %(status)s.") % {"status": ticket.get_status_display()}
        )
    return redirect(ticket)


@login_required
@require_POST
def ticket_attach(request, pk: int):
    ticket = get_object_or_404(_visible(request), pk=pk)
    require_writable(request.user, ticket)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect(ticket)
    try:
        services.complaint_attach(ticket=ticket, file=form.cleaned_data["file"], acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File attached."))
    return redirect(ticket)
