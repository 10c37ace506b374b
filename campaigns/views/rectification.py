"""Pages of rectification: adding an item to a finding, the tracking list, an item's page with its
evidence, and its workflow steps, offered and taken from the table `RECTIFICATION_WORKFLOW`
(`portal.views_workflow`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import services
from campaigns.choices import Escalation, RectificationStatus
from campaigns.filtersets import RectificationItemFilterSet
from campaigns.models import Finding, RectificationItem
from campaigns.services.common import FILED_BY_UTILITY
from campaigns.services.rectification import RECTIFICATION_WORKFLOW
from campaigns.views.common import page_of, show_errors
from portal.choices import Party
from portal.models import Attachment, TrackedDeadline
from portal.querysets import require_writable
from portal.views_workflow import step_action, step_forms


@login_required
@require_POST
def finding_item_add(request, finding_pk: int):
    finding = get_object_or_404(Finding.objects.visible_to(request.user), pk=finding_pk)
    form = f.RectificationForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_add(finding=finding, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Rectification item added."))
        except ValidationError as exc:
            show_errors(request, exc)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
    if finding.report_id:
        return redirect(reverse("campaigns:report", args=[finding.report_id]) + "#findings")
    if finding.programme_id:
        return redirect(reverse("campaigns:programme", args=[finding.programme_id]) + "#findings")
    if finding.inspection_id:
        return redirect("campaigns:inspection", pk=finding.inspection_id)
    return redirect(reverse("campaigns:detail", args=[finding.campaign_id]) + "#inspections")


@login_required
@require_POST
def rectification_fill(request, pk: int):
    """Give a self-check rectification item its responsible person and due date (the report is editable)."""
    item = get_object_or_404(RectificationItem.objects.visible_to(request.user).select_related("finding"), pk=pk)
    require_writable(request.user, item, Party.UTILITY, FILED_BY_UTILITY)
    form = f.RectificationFillForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_fill(item=item, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            show_errors(request, exc)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
    if item.finding.report_id:
        return redirect(reverse("campaigns:report", args=[item.finding.report_id]) + "#findings")
    return redirect("campaigns:rectification", pk=item.pk)


@login_required
def rectification_list(request):
    qs = RectificationItem.objects.visible_to(request.user).select_related(
        "campaign", "programme", "utility", "finding"
    )
    fs = RectificationItemFilterSet(request.GET, queryset=qs, request=request)
    counts = fs.qs.aggregate(
        total=Count("id"),
        verified=Count("id", filter=Q(status=RectificationStatus.VERIFIED)),
        overdue=Count("id", filter=Q(status=RectificationStatus.OVERDUE)),
        escalated=Count("id", filter=~Q(escalation=Escalation.NONE)),
        proposed=Count("id", filter=Q(status=RectificationStatus.PROPOSED)),
    )
    return render(
        request, "campaigns/rectification_list.html", {"filter": fs, "page": page_of(request, fs.qs), "counts": counts}
    )


def _item(request, pk) -> RectificationItem:
    return get_object_or_404(
        RectificationItem.objects.visible_to(request.user).select_related(
            "campaign", "programme", "utility", "finding__report"
        ),
        pk=pk,
    )


@login_required
def rectification_detail(request, pk: int):
    item = _item(request, pk)
    closed = item.status == RectificationStatus.VERIFIED
    writes_evidence = RectificationItem.objects.writable_by(request.user, Party.UTILITY).filter(pk=item.pk).exists()
    return render(
        request,
        "campaigns/rectification_detail.html",
        {
            "item": item,
            "campaign": item.campaign,
            "programme": item.programme,
            "needs_evidence": writes_evidence and not Attachment.objects.for_object(item).exists(),
            "steps": step_forms(RECTIFICATION_WORKFLOW, request.user, item),
            "can_attach": writes_evidence and not closed,
            "file_form": f.FileForm(),
            "evidence": Attachment.objects.for_object(item).select_related("uploaded_by"),
            "deadlines": TrackedDeadline.objects.for_object(item),
        },
    )


@login_required
@require_POST
def rectification_action(request, pk: int, verb: str):
    """A step of the item's workflow (start, complete, verify, reject), from the item's page."""
    item = _item(request, pk)
    return step_action(
        request, item, RECTIFICATION_WORKFLOW, verb, back=reverse("campaigns:rectification", args=[item.pk])
    )


@login_required
@require_POST
def rectification_evidence(request, pk: int):
    """The utility attaches a file to the item's completion (until it is verified)."""
    item = _item(request, pk)
    require_writable(request.user, item, Party.UTILITY, FILED_BY_UTILITY)
    form = f.FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.evidence_add(target=item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
    return redirect("campaigns:rectification", pk=item.pk)
