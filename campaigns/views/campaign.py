"""Pages of a campaign: the list (where a regulator creates one), the campaign page and what its managers
change there — details, scope, phases and overrides, focus items and checklists, deliverables, highlights,
documents. Every campaign comes through `visible_to` (else 404); a manager's write through the services,
whose write guard answers 403 with its reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import selectors, services
from campaigns.choices import REVIEW_SOURCES
from campaigns.filtersets import CampaignFilterSet
from campaigns.models import Campaign, Finding, FocusItem, GroupMember, Inspection, Phase, SelfCheckReport
from campaigns.views.common import (
    apply_form,
    back_to,
    managed_campaign,
    manages,
    page_of,
    show_errors,
    visible_campaign,
)
from portal.choices import Party
from portal.models import Attachment, Organisation
from portal.querysets import acts_as


@login_required
def campaign_list(request):
    qs = (
        Campaign.objects.visible_to(request.user)
        .select_related("owner", "manual_phase")
        .prefetch_related("phases")
        .annotate(n_utilities=Count("scope", distinct=True))
        .order_by("-start_date", "code")
    )
    fs = CampaignFilterSet(request.GET, queryset=qs, request=request)
    form = None
    if acts_as(request.user, Party.REGULATOR) and request.user.organisation is not None:
        form = f.CampaignCreateForm(request.POST or None, initial={"with_template_phases": True}, prefix="new")
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                campaign = services.campaign_create(
                    owner=request.user.organisation,
                    acting_user=request.user,
                    with_template_phases=data.pop("with_template_phases"),
                    **data,
                )
            except ValidationError as exc:
                show_errors(request, exc, form)
            else:
                messages.success(request, _("Campaign created. Now put utilities in scope."))
                return redirect("campaigns:detail", pk=campaign.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = page_of(request, fs.qs)
    rows = [{"campaign": c, "phase": selectors.current_phase(c, phases=list(c.phases.all()))} for c in page]
    return render(request, "campaigns/campaign_list.html", {"filter": fs, "page": page, "rows": rows, "form": form})


@login_required
def campaign_detail(request, pk: int):
    campaign = visible_campaign(request, pk)
    user = request.user
    is_manager = manages(campaign, user)
    visible_orgs = None if user.is_regulator else Organisation.objects.visible_to(user)
    rates = selectors.campaign_progress(campaign, utilities=visible_orgs)
    own_report = None
    if user.is_utility and user.organisation_id:
        own_report = SelfCheckReport.objects.filter(campaign=campaign, utility_id=user.organisation_id).first()
    context = {
        "campaign": campaign,
        "is_manager": is_manager,
        "phases": selectors.phases_with_state(campaign),
        "current": selectors.current_phase(campaign),
        "groups": campaign.leading_groups.prefetch_related(
            Prefetch("members", queryset=GroupMember.objects.order_by("order", "pk")), "duties"
        ),
        "focus_items": campaign.focus_items.select_related("checklist"),
        "deliverables": selectors.deliverable_rows(campaign, utility=None if user.is_regulator else user.organisation),
        "rates": rates,
        "zones": campaign.zones.all(),
        "highlights": campaign.highlights.filter(is_published=True),
        "own_report": own_report,
        "in_scope": acts_as(user, Party.UTILITY) and campaign.scope.filter(utility_id=user.organisation_id).exists(),
        "open_in_last_phase": selectors.open_items_in_last_phase(campaign),
        "inspections": Inspection.objects.visible_to(user).filter(campaign=campaign).select_related("utility"),
        # Which utility missed which target: for the regulators (a utility does not read the others' figures).
        "target_summary": selectors.campaign_target_summary(campaign) if user.is_regulator else [],
        "review_findings": Finding.objects.visible_to(user)
        .filter(campaign=campaign, source__in=REVIEW_SOURCES)
        .select_related("utility")
        .prefetch_related("items"),
    }
    if is_manager:
        context.update(
            {
                "edit_form": f.CampaignEditForm(instance=campaign),
                "scope_form": f.ScopeForm(user=user),
                "phase_form": f.PhaseForm(),
                "override_form": f.PhaseOverrideForm(),
                "focus_form": f.FocusItemForm(),
                "checklists": f.AttachChecklistForm(user=user).fields["checklist"].queryset,
                "deliverable_form": f.DeliverableForm(campaign=campaign),
                "highlight_form": f.HighlightForm(),
                "file_form": f.FileForm(),
                "inspection_form": f.InspectionForm(campaign=campaign),
                "review_finding_form": f.ReviewFindingForm(campaign=campaign),
                "documents": Attachment.objects.for_object(campaign).select_related("uploaded_by"),
            }
        )
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
@require_POST
def campaign_edit(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.CampaignEditForm(request.POST, instance=Campaign.objects.get(pk=campaign.pk))
    apply_form(
        request,
        form,
        lambda **data: services.campaign_update(campaign=campaign, acting_user=request.user, **data),
        _("Saved."),
    )
    return back_to(campaign)


@login_required
@require_POST
def campaign_scope(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.ScopeForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            n = services.campaign_set_scope(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("%(n)d utilities in scope.") % {"n": n})
        except ValidationError as exc:
            show_errors(request, exc)
    return back_to(campaign, "utilities")


@login_required
@require_POST
def phase_save(request, pk: int, phase_pk: int | None = None):
    campaign = managed_campaign(request, pk)
    phase = get_object_or_404(Phase, campaign=campaign, pk=phase_pk) if phase_pk else None
    form = f.PhaseForm(request.POST)
    apply_form(
        request,
        form,
        lambda **data: services.phase_save(campaign=campaign, phase=phase, acting_user=request.user, **data),
        _("Phase saved."),
    )
    return back_to(campaign, "phases")


@login_required
@require_POST
def phase_override(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.PhaseOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_override_phase(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Phase set."))
        except ValidationError as exc:
            show_errors(request, exc)
    else:
        messages.error(request, _("Holding or advancing a phase needs a reason."))
    return back_to(campaign, "phases")


@login_required
@require_POST
def focus_item_add(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.FocusItemForm(request.POST)
    if form.is_valid():
        try:
            services.focus_item_save(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc)
    return back_to(campaign, "focus")


@login_required
@require_POST
def focus_item_checklist(request, pk: int, focus_pk: int):
    campaign = managed_campaign(request, pk)
    focus = get_object_or_404(FocusItem, campaign=campaign, pk=focus_pk)
    form = f.AttachChecklistForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.checklist_attach(
                focus_item=focus, checklist=form.cleaned_data["checklist"], acting_user=request.user
            )
            messages.success(request, _("Checklist attached."))
        except ValidationError as exc:
            show_errors(request, exc)
    return back_to(campaign, "focus")


@login_required
@require_POST
def deliverable_add(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.DeliverableForm(request.POST, campaign=campaign)
    apply_form(
        request,
        form,
        lambda **data: services.deliverable_save(campaign=campaign, acting_user=request.user, **data),
        _("Deliverable added."),
    )
    return back_to(campaign, "deliverables")


@login_required
@require_POST
def highlight_add(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.HighlightForm(request.POST)
    if form.is_valid():
        services.highlight_publish(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Highlight published in the public column."))
    return back_to(campaign, "highlights")


@login_required
@require_POST
def document_add(request, pk: int):
    campaign = managed_campaign(request, pk)
    form = f.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Document attached."))
        except ValidationError as exc:
            show_errors(request, exc)
    return back_to(campaign, "documents")
