"""Pages of the campaigns app. Every object comes through `visible_to(request.user)` (else 404);
every write goes through campaigns.services; ValidationErrors come back as form or field messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import selectors, services
from campaigns.choices import Answer, RectificationStatus
from campaigns.filtersets import CampaignFilterSet, RectificationItemFilterSet, SelfCheckReportFilterSet
from campaigns.models import (
    Campaign,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    FocusItem,
    GroupMember,
    Inspection,
    Phase,
    RectificationItem,
    SelfCheckReport,
)
from portal.models import Attachment, Organisation, TrackedDeadline


def _page(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _require_regulator(user):
    if not user.is_regulator:
        raise PermissionDenied


def _require_utility(user):
    if not (user.is_utility or user.is_superuser):
        raise PermissionDenied


def _cleaned(form) -> dict:
    """The form's cleaned data, or a ValidationError with its messages by field label: an invalid value is
    refused, never replaced by a default."""
    if not form.is_valid():
        raise ValidationError({str(form.fields[k].label) if k in form.fields else k: v for k, v in form.errors.items()})
    return form.cleaned_data


def _errors(request, exc: ValidationError, form=None) -> None:
    """Put a service's field messages on the form (or in the messages bar): nothing is lost."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            if form is not None and field in form.fields:
                form.add_error(field, errs)
            else:
                label = "" if field in ("__all__", "status") else f"{field}: "
                for e in errs:
                    messages.error(request, f"{label}{e}")
    else:
        for e in exc.messages:
            messages.error(request, e)


# --------------------------------------------------------------------------- campaigns


@login_required
def campaign_list(request):
    qs = (
        Campaign.objects.visible_to(request.user)
        .select_related("owner", "manual_phase")
        .prefetch_related("phases")
        .annotate(n_utilities=Count("scope", distinct=True))
        .order_by("-start_date", "code")
    )
    fs = CampaignFilterSet(request.GET, queryset=qs)
    form = None
    if request.user.is_regulator and request.user.organisation is not None:
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
                _errors(request, exc, form)
            else:
                messages.success(request, _("Campaign created. Now put utilities in scope."))
                return redirect("campaigns:detail", pk=campaign.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = _page(request, fs.qs)
    rows = [{"campaign": c, "phase": selectors.current_phase(c, phases=list(c.phases.all()))} for c in page]
    return render(request, "campaigns/campaign_list.html", {"filter": fs, "page": page, "rows": rows, "form": form})


def _campaign(request, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user).select_related("owner", "manual_phase"), pk=pk)


@login_required
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    user = request.user
    is_manager = user.is_regulator and services_can_manage(campaign, user)
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
        "in_scope": user.is_utility and campaign.scope.filter(utility_id=user.organisation_id).exists(),
        "open_in_last_phase": selectors.open_items_in_last_phase(campaign),
        "inspections": Inspection.objects.visible_to(user).filter(campaign=campaign).select_related("utility"),
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
                "documents": Attachment.objects.for_object(campaign).select_related("uploaded_by"),
            }
        )
    return render(request, "campaigns/campaign_detail.html", context)


def services_can_manage(campaign: Campaign, user) -> bool:
    try:
        services._require_regulator_of(campaign, user)
    except PermissionDenied:
        return False
    return True


def _manage(request, pk) -> Campaign:
    campaign = _campaign(request, pk)
    if not services_can_manage(campaign, request.user):
        raise PermissionDenied
    return campaign


def _back(campaign, anchor=""):
    return redirect(reverse("campaigns:detail", args=[campaign.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def campaign_edit(request, pk: int):
    campaign = _manage(request, pk)
    form = f.CampaignEditForm(request.POST, instance=Campaign.objects.get(pk=campaign.pk))
    if form.is_valid():
        try:
            services.campaign_update(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errs)}")
    return _back(campaign)


@login_required
@require_POST
def campaign_scope(request, pk: int):
    campaign = _manage(request, pk)
    form = f.ScopeForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            n = services.campaign_set_scope(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("%(n)d utilities in scope.") % {"n": n})
        except ValidationError as exc:
            _errors(request, exc)
    return _back(campaign, "utilities")


@login_required
@require_POST
def phase_save(request, pk: int, phase_pk: int | None = None):
    campaign = _manage(request, pk)
    phase = get_object_or_404(Phase, campaign=campaign, pk=phase_pk) if phase_pk else None
    form = f.PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.phase_save(campaign=campaign, phase=phase, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Phase saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errs)}")
    return _back(campaign, "phases")


@login_required
@require_POST
def phase_override(request, pk: int):
    campaign = _manage(request, pk)
    form = f.PhaseOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_override_phase(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Phase set."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Holding or advancing a phase needs a reason."))
    return _back(campaign, "phases")


@login_required
@require_POST
def focus_item_add(request, pk: int):
    campaign = _manage(request, pk)
    form = f.FocusItemForm(request.POST)
    if form.is_valid():
        try:
            services.focus_item_save(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    return _back(campaign, "focus")


@login_required
@require_POST
def focus_item_checklist(request, pk: int, focus_pk: int):
    campaign = _manage(request, pk)
    focus = get_object_or_404(FocusItem, campaign=campaign, pk=focus_pk)
    form = f.AttachChecklistForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.checklist_attach(
                focus_item=focus, checklist=form.cleaned_data["checklist"], acting_user=request.user
            )
            messages.success(request, _("Checklist attached."))
        except ValidationError as exc:
            _errors(request, exc)
    return _back(campaign, "focus")


@login_required
@require_POST
def deliverable_add(request, pk: int):
    campaign = _manage(request, pk)
    form = f.DeliverableForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            services.deliverable_save(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Deliverable added."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errs)}")
    return _back(campaign, "deliverables")


@login_required
@require_POST
def highlight_add(request, pk: int):
    campaign = _manage(request, pk)
    form = f.HighlightForm(request.POST)
    if form.is_valid():
        services.highlight_publish(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Highlight published in the public column."))
    return _back(campaign, "highlights")


@login_required
@require_POST
def document_add(request, pk: int):
    campaign = _manage(request, pk)
    form = f.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(campaign=campaign, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Document attached."))
        except ValidationError as exc:
            _errors(request, exc)
    return _back(campaign, "documents")


# --------------------------------------------------------------------------- checklists


@login_required
def checklist_list(request):
    """Checklists the user may see; regulators build their own from lines "group|number|text|要点"."""
    templates = ChecklistTemplate.objects.visible_to(request.user).select_related("owner").annotate(n=Count("items"))
    form = f.ChecklistCreateForm(request.POST or None) if request.user.is_regulator else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                items = services.parse_checklist_lines(form.cleaned_data["lines"])
                if ChecklistTemplate.objects.filter(code=form.cleaned_data["code"]).exists():
                    raise ValidationError({"code": _("A checklist with this code already exists.")})
                services.checklist_create(
                    code=form.cleaned_data["code"],
                    title=form.cleaned_data["title"],
                    items=items,
                    acting_user=request.user,
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error("lines" if field == "items" else field if field in form.fields else None, errs)
            else:
                messages.success(request, _("Checklist created."))
                return redirect("campaigns:checklists")
    return render(request, "campaigns/checklist_list.html", {"templates": templates, "form": form})


# --------------------------------------------------------------------------- self-check reports


@login_required
def report_list(request):
    qs = SelfCheckReport.objects.visible_to(request.user).select_related("campaign", "utility")
    fs = SelfCheckReportFilterSet(request.GET, queryset=qs)
    return render(request, "campaigns/report_list.html", {"filter": fs, "page": _page(request, fs.qs)})


@login_required
@require_POST
def report_start(request, pk: int):
    campaign = _campaign(request, pk)
    _require_utility(request.user)
    try:
        report = services.report_create(
            campaign=campaign,
            utility=request.user.organisation,
            acting_user=request.user,
            declared_organisation=request.user.organisation.name,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return _back(campaign)
    return redirect("campaigns:report", pk=report.pk)


def _report(request, pk) -> SelfCheckReport:
    return get_object_or_404(
        SelfCheckReport.objects.visible_to(request.user).select_related("campaign__owner", "utility"), pk=pk
    )


def _checklist_rows(report: SelfCheckReport):
    focus = list(report.campaign.focus_items.filter(checklist__isnull=False).select_related("checklist"))
    answers = {a.item_id: a for a in report.answers.all()}
    evidence: dict[int, list] = {}
    if answers:
        for att in Attachment.objects.filter(
            content_type__app_label="campaigns",
            content_type__model="checklistanswer",
            object_id__in=[a.pk for a in answers.values()],
        ):
            evidence.setdefault(att.object_id, []).append(att)
    template_ids = {fi.checklist_id for fi in focus}
    items = ChecklistItem.objects.filter(template_id__in=template_ids).order_by("template_id", "kind", "number")
    groups: dict[tuple, list] = {}
    for item in items:
        a = answers.get(item.pk)
        groups.setdefault((item.template_id, item.kind, item.group), []).append(
            {"item": item, "answer": a, "evidence": evidence.get(a.pk, []) if a else []}
        )
    return [{"group": k[2], "kind": k[1], "rows": v} for k, v in groups.items()]


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    user = request.user
    can_edit = report.editable and (user.is_utility or user.is_superuser)
    form = f.ReportForm(instance=report) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            if not (user.is_utility or user.is_superuser):
                raise PermissionDenied
            messages.error(
                request,
                _("The report is %(status)s: only a draft or a returned report can be edited. Nothing was changed.")
                % {"status": report.get_status_display()},
            )
            return redirect("campaigns:report", pk=report.pk)
        form = f.ReportForm(request.POST, instance=SelfCheckReport.objects.get(pk=report.pk))
        if form.is_valid():
            try:
                services.report_update(report=report, acting_user=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                _errors(request, exc, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("campaigns:report", pk=report.pk)
    findings = report.findings.select_related("focus_item").prefetch_related("items")
    context = {
        "report": report,
        "campaign": report.campaign,
        "form": form,
        "sections": [(title, [form[name] for name in names]) for title, names in f.REPORT_SECTIONS] if form else [],
        "can_edit": can_edit,
        "is_reviewer": services_can_manage(report.campaign, user),
        "checklist": _checklist_rows(report),
        "findings": findings,
        "finding_form": f.FindingForm(campaign=report.campaign),
        "rect_form": f.RectificationForm(),
        "review_form": f.ReviewForm(),
        "warnings": selectors.report_metadata_warnings(report),
        "due": selectors.self_check_due(report.campaign),
        "answer_choices": Answer.choices,
    }
    return render(request, "campaigns/report_detail.html", context)


@login_required
@require_POST
def report_answers(request, pk: int):
    report = _report(request, pk)
    _require_utility(request.user)
    saved = 0
    items = {i.pk: i for i in ChecklistItem.objects.filter(template__focus_items__campaign=report.campaign).distinct()}
    try:
        for key, value in request.POST.items():
            if not key.startswith("answer_") or not value:
                continue
            item = items.get(int(key.removeprefix("answer_")))
            if item is None:
                continue
            services.answer_save(
                report=report,
                item=item,
                answer=value,
                note=request.POST.get(f"note_{item.pk}", ""),
                acting_user=request.user,
            )
            saved += 1
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)d answers saved.") % {"n": saved})
    return redirect(reverse("campaigns:report", args=[report.pk]) + "#checklist")


@login_required
@require_POST
def answer_evidence(request, pk: int, answer_pk: int):
    report = _report(request, pk)
    _require_utility(request.user)
    answer = get_object_or_404(ChecklistAnswer, report=report, pk=answer_pk)
    form = f.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(target=answer, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Evidence attached."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a file."))
    return redirect(reverse("campaigns:report", args=[report.pk]) + "#checklist")


@login_required
@require_POST
def report_finding_add(request, pk: int):
    report = _report(request, pk)
    _require_utility(request.user)
    form = f.FindingForm(request.POST, campaign=report.campaign)
    if form.is_valid():
        try:
            services.finding_add(report=report, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(reverse("campaigns:report", args=[report.pk]) + "#findings")


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
            _errors(request, exc)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
    if finding.report_id:
        return redirect(reverse("campaigns:report", args=[finding.report_id]) + "#findings")
    return redirect("campaigns:inspection", pk=finding.inspection_id)


@login_required
@require_POST
def report_action(request, pk: int, verb: str):
    report = _report(request, pk)
    try:
        comment = _cleaned(f.ReviewForm(request.POST))["comment"]
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("campaigns:report", pk=report.pk)
    actions = {
        "submit": (services.report_submit, {}, _("Report submitted.")),
        "resubmit": (services.report_resubmit, {}, _("Report resubmitted.")),
        "return": (services.report_return, {"comment": comment}, _("Report returned for revision.")),
        "accept": (services.report_accept, {"comment": comment}, _("Report accepted.")),
    }
    if verb not in actions:
        raise PermissionDenied
    fn, kwargs, ok = actions[verb]
    if verb in ("return", "accept"):
        _require_regulator(request.user)
    else:
        _require_utility(request.user)
    try:
        fn(report=report, acting_user=request.user, **kwargs)
        messages.success(request, ok)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("campaigns:report", pk=report.pk)


# --------------------------------------------------------------------------- inspections


@login_required
@require_POST
def inspection_add(request, pk: int):
    campaign = _manage(request, pk)
    form = f.InspectionForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            insp = services.inspection_create(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("campaigns:inspection", pk=insp.pk)
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
    return _back(campaign, "inspections")


@login_required
def inspection_detail(request, pk: int):
    insp = get_object_or_404(Inspection.objects.visible_to(request.user).select_related("campaign", "utility"), pk=pk)
    can_manage = services_can_manage(insp.campaign, request.user)
    form = f.FindingForm(request.POST or None, campaign=insp.campaign)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.finding_add(inspection=insp, acting_user=request.user, **form.cleaned_data)
                return redirect("campaigns:inspection", pk=insp.pk)
            except ValidationError as exc:
                _errors(request, exc, form)
    return render(
        request,
        "campaigns/inspection_detail.html",
        {
            "inspection": insp,
            "campaign": insp.campaign,
            "can_manage": can_manage,
            "form": form,
            "rect_form": f.RectificationForm(),
            "findings": insp.findings.select_related("focus_item").prefetch_related("items"),
        },
    )


# --------------------------------------------------------------------------- rectification


@login_required
def rectification_list(request):
    qs = RectificationItem.objects.visible_to(request.user).select_related("campaign", "utility", "finding")
    fs = RectificationItemFilterSet(request.GET, queryset=qs)
    counts = fs.qs.aggregate(
        total=Count("id"),
        verified=Count("id", filter=Q(status=RectificationStatus.VERIFIED)),
        overdue=Count("id", filter=Q(status=RectificationStatus.OVERDUE)),
    )
    return render(
        request, "campaigns/rectification_list.html", {"filter": fs, "page": _page(request, fs.qs), "counts": counts}
    )


@login_required
def rectification_detail(request, pk: int):
    item = get_object_or_404(
        RectificationItem.objects.visible_to(request.user).select_related("campaign", "utility", "finding__report"),
        pk=pk,
    )
    return render(
        request,
        "campaigns/rectification_detail.html",
        {
            "item": item,
            "campaign": item.campaign,
            "is_reviewer": services_can_manage(item.campaign, request.user),
            "is_utility": request.user.is_utility,
            "complete_form": f.CompleteForm(),
            "verify_form": f.VerifyForm(),
            "file_form": f.FileForm(),
            "evidence": Attachment.objects.for_object(item).select_related("uploaded_by"),
            "deadlines": TrackedDeadline.objects.for_object(item),
            "closed": item.status == RectificationStatus.VERIFIED,
            "can_start": item.status in (RectificationStatus.OPEN, RectificationStatus.OVERDUE),
            "can_complete": item.status
            in (RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS, RectificationStatus.OVERDUE),
            "can_verify": item.status == RectificationStatus.DONE_PENDING_VERIFICATION,
        },
    )


@login_required
@require_POST
def rectification_action(request, pk: int, verb: str):
    item = get_object_or_404(RectificationItem.objects.visible_to(request.user), pk=pk)
    try:
        if verb == "start":
            _require_utility(request.user)
            services.rectification_transition(item=item, to=RectificationStatus.IN_PROGRESS, acting_user=request.user)
        elif verb == "complete":
            _require_utility(request.user)
            data = _cleaned(f.CompleteForm(request.POST))
            services.rectification_transition(
                item=item,
                to=RectificationStatus.DONE_PENDING_VERIFICATION,
                acting_user=request.user,
                note=data["note"],
                completed_on=data["completed_on"],
            )
        elif verb == "verify":
            _require_regulator(request.user)
            data = _cleaned(f.VerifyForm(request.POST))
            to = RectificationStatus.VERIFIED if data["accept"] == "1" else RectificationStatus.IN_PROGRESS
            services.rectification_transition(item=item, to=to, acting_user=request.user, note=data["note"])
        elif verb == "evidence":
            _require_utility(request.user)
            form = f.FileForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError({"file": _("Choose a file.")})
            services.evidence_add(target=item, acting_user=request.user, **form.cleaned_data)
        else:
            raise PermissionDenied
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("campaigns:rectification", pk=item.pk)


# --------------------------------------------------------------------------- public column (no login)


def public_list(request):
    campaigns = Campaign.objects.published().select_related("owner").prefetch_related("phases")
    rows = [{"campaign": c, "phase": selectors.current_phase(c, phases=list(c.phases.all()))} for c in campaigns]
    return render(request, "campaigns/public_list.html", {"rows": rows})


def public_detail(request, code: str):
    """Phases, utilities in scope with their progress, published highlights. Nothing internal: no
    reviewer comments, no names of people, no findings' text."""
    campaign = get_object_or_404(Campaign.objects.published().select_related("owner"), code=code)
    return render(
        request,
        "campaigns/public_detail.html",
        {
            "campaign": campaign,
            "phases": selectors.phases_with_state(campaign),
            "rates": selectors.campaign_progress(campaign),
            "highlights": campaign.highlights.filter(is_published=True),
            "zones": campaign.zones.all(),
        },
    )
