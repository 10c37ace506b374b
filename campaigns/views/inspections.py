"""Pages of inspections: a manager records one from the campaign page; its page lists the findings, where
the campaign's managers add more."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import services
from campaigns.models import Inspection
from campaigns.services.common import MANAGED_BY_OFFICE
from campaigns.views.common import apply_form, back_to, managed_campaign, show_errors
from portal.choices import Party


@login_required
@require_POST
def inspection_add(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.InspectionForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            insp = services.inspection_create(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            return redirect("campaigns:inspection", pk=insp.pk)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
    return back_to(campaign, "inspections")


@login_required
def inspection_detail(request, pk: int):
    visible = Inspection.objects.visible_to(request.user)
    insp = get_object_or_404(visible.select_related("campaign", "utility"), pk=pk)
    can_manage = Inspection.objects.writable_by(request.user, Party.REGULATOR).filter(pk=insp.pk).exists()
    # Issue 11: the utility inspected proposes its measures for the findings (the office approves or returns them).
    proposes = Inspection.objects.writable_by(request.user, Party.UTILITY).filter(pk=insp.pk).exists()
    form = f.FindingForm(request.POST or None, campaign=insp.campaign)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGED_BY_OFFICE)
        if form.is_valid():
            try:
                services.finding_add(inspection=insp, acting_user=request.user, **form.cleaned_data)
                return redirect("campaigns:inspection", pk=insp.pk)
            except ValidationError as exc:
                show_errors(request, exc, form)
    return render(
        request,
        "campaigns/inspection_detail.html",
        {
            "inspection": insp,
            "campaign": insp.campaign,
            "can_manage": can_manage,
            "proposes": proposes and not can_manage,
            "form": form,
            "rect_form": f.RectificationForm(),
            "findings": insp.findings.select_related("focus_item").prefetch_related("items"),
        },
    )


@login_required
@require_POST
def review_finding_add(request, pk: int):
    """Issue 11: a finding of the office's consumer review, unannounced check or complaints analysis, recorded
    from the campaign page (no inspection visit); its rectification items are then added as for an inspection's."""
    campaign = managed_campaign(request, pk)
    form = f.ReviewFindingForm(request.POST, campaign=campaign)
    apply_form(
        request,
        form,
        lambda **data: services.finding_add(campaign=campaign, acting_user=request.user, **data),
        _("Finding recorded."),
    )
    return back_to(campaign, "inspections")
