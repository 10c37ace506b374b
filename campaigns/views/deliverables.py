"""Pages of deliverables and their submissions: a deliverable's page (every occurrence and utility with its
filing state — "who has not filed the 10-10 report" —, the utility's filing form, the Excel export), the list of
submissions (per campaign, per utility), a submission's page (text, figures, documents, revision) and its
workflow steps, taken from the table `SUBMISSION_WORKFLOW` (`portal.views_workflow`)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import selectors, services
from campaigns.choices import FilingState
from campaigns.figures import table as figures_table
from campaigns.filtersets import DeliverableSubmissionFilterSet
from campaigns.models import CampaignUtility, Deliverable, DeliverableSubmission
from campaigns.services.common import FILED_BY_UTILITY
from campaigns.services.submissions import SUBMISSION_WORKFLOW
from campaigns.views.common import page_of, show_errors
from portal.choices import Party
from portal.excel import Column, xlsx_response
from portal.models import Attachment, Organisation
from portal.querysets import acts_as, require_writable
from portal.views_workflow import form_error_text, step_action, step_forms


def _deliverable(request, pk) -> Deliverable:
    return get_object_or_404(
        Deliverable.objects.visible_to(request.user).select_related("campaign__owner", "phase"), pk=pk
    )


def _readable_utilities(user):
    """The utilities whose filings `user` may see: a regulator every one in scope, a utility its subtree."""
    return None if user.is_superuser or user.is_regulator else Organisation.objects.visible_to(user)


def _filters(request, deliverable):
    """The page's narrowing: ?on=YYYY-MM-DD (one occurrence) and ?state= (a filing state)."""
    on = None
    if request.GET.get("on"):
        try:
            on = date.fromisoformat(request.GET["on"])
        except ValueError:
            on = None
    state = request.GET.get("state") if request.GET.get("state") in FilingState.values else None
    return on, state


def _own_open_occurrences(user, deliverable) -> list[date]:
    """The occurrences the user's own utility may still file (it is in scope and has not filed them)."""
    if not (acts_as(user, Party.UTILITY) and user.organisation_id and deliverable.per_utility):
        return []
    if not CampaignUtility.objects.filter(
        campaign_id=deliverable.campaign_id, utility_id=user.organisation_id
    ).exists():
        return []
    filed = set(
        DeliverableSubmission.objects.filter(deliverable=deliverable, utility_id=user.organisation_id).values_list(
            "occurrence", flat=True
        )
    )
    return [d for d in selectors.deliverable_occurrences(deliverable) if d not in filed]


@login_required
def deliverable_detail(request, pk: int):
    deliverable = _deliverable(request, pk)
    on, state = _filters(request, deliverable)
    rows = (
        selectors.filing_rows(deliverable, occurrence=on, state=state, utilities=_readable_utilities(request.user))
        if deliverable.per_utility
        else []
    )
    occurrences = selectors.deliverable_occurrences(deliverable)
    open_occurrences = _own_open_occurrences(request.user, deliverable)
    # ?occurrence= (from 我的待办) chooses the occurrence to file; an unknown one is simply not chosen.
    chosen = request.GET.get("occurrence", "")
    initial = {"occurrence": chosen} if chosen in {d.isoformat() for d in open_occurrences or ()} else {}
    form = (
        f.SubmissionForm(deliverable=deliverable, occurrences=open_occurrences, initial=initial)
        if open_occurrences
        else None
    )
    counts = {s: sum(r.state == s for r in rows) for s in FilingState.values}
    context = {
        "deliverable": deliverable,
        "campaign": deliverable.campaign,
        "rows": rows,
        "occurrences": [(d, selectors.internal_date_of(deliverable, d)) for d in occurrences],
        "on": on,
        "state": state,
        "states": FilingState.choices,
        "counts": counts,
        "form": form,
        "files_by_utility": deliverable.kind == "self_check_report",
    }
    return render(request, "campaigns/deliverable_detail.html", context)


@login_required
@require_POST
def deliverable_file(request, pk: int):
    """A utility files one occurrence (the service refuses anyone else, 403)."""
    deliverable = _deliverable(request, pk)
    user = request.user
    require_writable(user, user.organisation or Organisation(), Party.UTILITY, FILED_BY_UTILITY)
    form = f.SubmissionForm(
        request.POST,
        request.FILES,
        deliverable=deliverable,
        occurrences=selectors.deliverable_occurrences(deliverable),
    )
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("campaigns:deliverable", pk=deliverable.pk)
    try:
        sub = services.submission_file(
            deliverable=deliverable, utility=user.organisation, acting_user=user, **form.service_data()
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("campaigns:deliverable", pk=deliverable.pk)
    if sub.is_late:
        messages.warning(request, _("Filed after the due date: the submission is marked late."))
    else:
        messages.success(request, _("Submission filed."))
    return redirect(sub)


EXPORT_COLUMNS = [
    Column(gettext_lazy("Deliverable"), lambda r: r.deliverable.title, width=36),
    Column(gettext_lazy("Due date"), lambda r: r.occurrence, kind="date"),
    Column(gettext_lazy("Utility's internal date"), lambda r: r.internal, kind="date"),
    Column(gettext_lazy("Utility code"), lambda r: r.utility_code),
    Column(gettext_lazy("Utility"), lambda r: r.utility_name, width=30),
    Column(gettext_lazy("Filing state"), lambda r: r.state_label),
    Column(
        gettext_lazy("Submitted at"),
        lambda r: r.submission.first_submitted_at if r.submission else None,
        kind="datetime",
    ),
    Column(gettext_lazy("Status"), lambda r: r.submission.get_status_display() if r.submission else ""),
]


@login_required
def deliverable_export(request, pk: int):
    """The deliverable's filing states as .xlsx (the same narrowing as the page)."""
    deliverable = _deliverable(request, pk)
    on, state = _filters(request, deliverable)
    rows = selectors.filing_rows(deliverable, occurrence=on, state=state, utilities=_readable_utilities(request.user))
    return xlsx_response(
        filename=f"{deliverable.campaign.code}-{deliverable.title}.xlsx",
        sheet=str(_("Filings")),
        columns=EXPORT_COLUMNS,
        rows=rows,
        title=f"{deliverable.campaign.title}：{deliverable.title}",
    )


@login_required
def submission_list(request):
    qs = DeliverableSubmission.objects.visible_to(request.user).select_related("campaign", "utility", "deliverable")
    fs = DeliverableSubmissionFilterSet(request.GET, queryset=qs, request=request)
    return render(request, "campaigns/submission_list.html", {"filter": fs, "page": page_of(request, fs.qs)})


def _submission(request, pk) -> DeliverableSubmission:
    return get_object_or_404(
        DeliverableSubmission.objects.visible_to(request.user).select_related(
            "deliverable__campaign__owner", "utility"
        ),
        pk=pk,
    )


@login_required
def submission_detail(request, pk: int):
    sub = _submission(request, pk)
    user = request.user
    can_revise = sub.editable and acts_as(user, Party.UTILITY)
    form = None
    if can_revise:
        initial = {"text": sub.text}
        form = f.SubmissionForm(deliverable=sub.deliverable, revising=True, initial=initial)
        for cls, row in (sub.figures or {}).items():
            for key, value in row.items():
                if f"fig__{cls}__{key}" in form.fields:
                    form.initial[f"fig__{cls}__{key}"] = value
    if request.method == "POST":
        require_writable(user, sub, Party.UTILITY, FILED_BY_UTILITY)
        form = f.SubmissionForm(request.POST, deliverable=sub.deliverable, revising=True)
        if form.is_valid():
            data = form.service_data()
            try:
                services.submission_update(
                    submission=sub, acting_user=user, text=data["text"], figures=data["figures"] or None
                )
            except ValidationError as exc:
                show_errors(request, exc, form)
            else:
                messages.success(request, _("Saved."))
                return redirect(sub)
        else:
            messages.error(request, form_error_text(form))
    context = {
        "sub": sub,
        "deliverable": sub.deliverable,
        "campaign": sub.deliverable.campaign,
        "figures": figures_table(sub.deliverable.figure_set, sub.figures) if sub.deliverable.figure_set else None,
        "internal": selectors.internal_date_of(sub.deliverable, sub.occurrence),
        "form": form,
        "steps": step_forms(SUBMISSION_WORKFLOW, user, sub),
        "documents": Attachment.objects.for_object(sub).select_related("uploaded_by"),
        "file_form": f.FileForm() if acts_as(user, Party.UTILITY) and sub.status != "accepted" else None,
    }
    return render(request, "campaigns/submission_detail.html", context)


@login_required
@require_POST
def submission_evidence(request, pk: int):
    sub = _submission(request, pk)
    require_writable(request.user, sub, Party.UTILITY, FILED_BY_UTILITY)
    form = f.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_evidence_add(submission=sub, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Document attached."))
        except ValidationError as exc:
            show_errors(request, exc)
    else:
        messages.error(request, _("Choose a file."))
    return redirect(sub)


@login_required
@require_POST
def submission_action(request, pk: int, verb: str):
    """A step of the submission's workflow (return, resubmit, accept) from its page."""
    sub = _submission(request, pk)
    return step_action(request, sub, SUBMISSION_WORKFLOW, verb, back=sub.get_absolute_url())
