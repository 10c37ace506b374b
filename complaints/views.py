"""Pages of the complaints app: the list (filters shared with the API and the export, counts per
state, overdue and at-risk highlighted), the ticket page (timeline, deadlines and their explanation,
linked tickets and candidates, actions as forms), the regulator's 12398 forwarding queue, the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import fields, selectors, services
from complaints.filtersets import ComplaintFilterSet
from complaints.forms import AttachmentForm, LinkForm, NoteForm, ReplyForm, StepForm, SuperviseForm, VisitForm
from complaints.models import Complaint
from portal.calendar import deadline_explain
from portal.excel import xlsx_response
from portal.models import Attachment, TrackedDeadline, Violation

PAGE = 50


def _visible(request):
    return Complaint.objects.visible_to(request.user).select_related("utility")


def _keyset_page(request, qs):
    """Newest first, `?before=<id>` for the next page: constant cost at millions of rows (no COUNT
    over the whole list, no OFFSET)."""
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 19:
        anchor = qs.filter(pk=int(before)).values_list("received_at", flat=True).first()
        if anchor is not None:
            qs = qs.filter(Q(received_at__lt=anchor) | Q(received_at=anchor, pk__lt=int(before)))
    rows = list(qs.order_by("-received_at", "-id")[: PAGE + 1])
    return rows[:PAGE], (rows[PAGE - 1].pk if len(rows) > PAGE else None)


@login_required
def ticket_list(request):
    fs = ComplaintFilterSet(request.GET, queryset=_visible(request))
    rows, next_before = _keyset_page(request, fs.qs)
    now = timezone.now()
    tickets = [(t, _row_state(t, now), selectors.personal(request.user, t)) for t in rows]
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "complaints/ticket_list.html",
        {
            "filter": fs,
            "tickets": tickets,
            "counts": selectors.state_counts(fs.qs),
            "next_before": next_before,
            "query": params.urlencode(),
            "can_import": services.WriterScope(request.user).writes_anything,
            "is_regulator": services.is_regulator_side(request.user),
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
    if not services.is_regulator_side(request.user):
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
    fs = ComplaintFilterSet(request.GET, queryset=_visible(request))

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


FORMS = {
    "accept": StepForm,
    "forward": StepForm,
    "contact": StepForm,
    "reply": ReplyForm,
    "visit": VisitForm,
    "close": StepForm,
    "reopen": NoteForm,
    "appeal": NoteForm,
    "supervise": SuperviseForm,
    "link": LinkForm,
}


@login_required
def ticket_detail(request, pk: int):
    ticket = get_object_or_404(_visible(request), pk=pk)
    deadlines = list(TrackedDeadline.objects.for_object(ticket).select_related("rule"))
    explanations = [(d, deadline_explain(rule=d.rule, start=d.start)) for d in deadlines if d.rule_id is not None]
    verbs = services.steps_allowed(request.user, ticket)
    can_link = services.is_regulator_side(request.user) or services.is_handler(request.user, ticket)
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
        "forms": {verb: FORMS[verb]() for verb in verbs},
        "link_form": LinkForm(),
        "attachments": Attachment.objects.filter(
            content_type__app_label="complaints", content_type__model="complaint", object_id=ticket.pk
        ).select_related("uploaded_by"),
        "can_attach": can_link,
        "row_state": _row_state(ticket, timezone.now()),
    }
    return render(request, "complaints/ticket_detail.html", context)


CALLS = {
    "accept": lambda t, d, u: services.complaint_accept(ticket=t, acting_user=u, at=d["at"], note=d["note"]),
    "forward": lambda t, d, u: services.complaint_forward(ticket=t, acting_user=u, at=d["at"], note=d["note"]),
    "contact": lambda t, d, u: services.complaint_contact(ticket=t, acting_user=u, at=d["at"], note=d["note"]),
    "reply": lambda t, d, u: services.complaint_reply(
        ticket=t, acting_user=u, opinion=d["opinion"], at=d["at"], note=d["note"]
    ),
    "visit": lambda t, d, u: services.complaint_visit(
        ticket=t, acting_user=u, satisfaction=d["satisfaction"], at=d["at"], note=d["note"]
    ),
    "close": lambda t, d, u: services.complaint_close(ticket=t, acting_user=u, at=d["at"], note=d["note"]),
    "reopen": lambda t, d, u: services.complaint_reopen(ticket=t, acting_user=u, at=d["at"], note=d["note"]),
    "appeal": lambda t, d, u: services.complaint_appeal(ticket=t, acting_user=u, at=d["at"], note=d["note"]),
    "supervise": lambda t, d, u: services.complaint_supervise(ticket=t, acting_user=u, note=d["note"], due=d["due"]),
}


@login_required
@require_POST
def ticket_action(request, pk: int, verb: str):
    ticket = get_object_or_404(_visible(request), pk=pk)
    if verb not in FORMS:
        raise PermissionDenied
    form = FORMS[verb](request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
            ),
        )
        return redirect(ticket)
    try:
        if verb == "link":
            other = get_object_or_404(_visible(request), pk=form.cleaned_data["other"])
            services.complaint_link(
                ticket=ticket, other=other, acting_user=request.user, note=form.cleaned_data["note"]
            )
        else:
            ticket = CALLS[verb](ticket, form.cleaned_data, request.user)
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
