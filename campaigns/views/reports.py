"""Pages of self-check reports: the list, starting one, the report page (figures, checklist answers with
evidence, findings) and its workflow steps, taken through `portal.views_workflow.step_action` from the
table `REPORT_WORKFLOW`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import selectors, services
from campaigns.choices import Answer
from campaigns.filtersets import SelfCheckReportFilterSet
from campaigns.models import ChecklistAnswer, ChecklistItem, SelfCheckReport
from campaigns.services.common import FILED_BY_UTILITY
from campaigns.services.reports import REPORT_WORKFLOW
from campaigns.views.common import back_to, page_of, show_errors, visible_campaign
from portal.choices import Party
from portal.models import Attachment
from portal.paging import row_id
from portal.querysets import acts_as, require_writable
from portal.views_workflow import step_action


@login_required
def report_list(request):
    qs = SelfCheckReport.objects.visible_to(request.user).select_related("campaign", "utility")
    fs = SelfCheckReportFilterSet(request.GET, queryset=qs, request=request)
    return render(request, "campaigns/report_list.html", {"filter": fs, "page": page_of(request, fs.qs)})


@login_required
@require_POST
def report_start(request, pk: int):
    """A utility starts its draft (the service refuses anyone else, 403)."""
    campaign = visible_campaign(request, pk)
    try:
        report = services.report_create(
            campaign=campaign,
            utility=request.user.organisation,
            acting_user=request.user,
            declared_organisation=request.user.organisation.name,
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return back_to(campaign)
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
    can_edit = report.editable and acts_as(user, Party.UTILITY)
    form = f.ReportForm(instance=report) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            if not acts_as(user, Party.UTILITY):
                raise PermissionDenied(FILED_BY_UTILITY)
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
            except ValidationError as exc:
                show_errors(request, exc, form)
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
        # The steps the user may take now, by name: the page keeps its own buttons (and their ids).
        "steps": [step.name for step in REPORT_WORKFLOW.offered(user, report)],
        "checklist": _checklist_rows(report),
        "findings": findings,
        "finding_form": f.FindingForm(campaign=report.campaign),
        "rect_form": f.RectificationForm(),
        "review_form": f.ReturnForm(),
        "warnings": selectors.report_metadata_warnings(report),
        "judgements": selectors.judge_report(report),
        "due": selectors.self_check_due(report.campaign),
        "answer_choices": Answer.choices,
        "progress": selectors.report_progress(report),
        "gaps": selectors.report_gaps(report) if can_edit else [],
    }
    return render(request, "campaigns/report_detail.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def report_answers(request, pk: int):
    """Save checklist answers: the whole form (the button, without JavaScript) or one row as the page saves it
    on change (`Accept: application/json`: answers with the row's state, the progress and the gaps). A row may
    carry an evidence file (`evidence_<item>`): the row's answer is saved first, then the file attaches to it."""
    report = _report(request, pk)
    require_writable(request.user, report, Party.UTILITY, FILED_BY_UTILITY)
    as_json = _wants_json(request)
    saved, rows, errors = 0, {}, []
    items = {i.pk: i for i in selectors.report_checklist_items(report)}
    keys = {k.removeprefix("answer_") for k in request.POST if k.startswith("answer_")}
    keys |= {k.removeprefix("evidence_") for k in request.FILES if k.startswith("evidence_")}
    for key in sorted(keys):
        item = items.get(row_id(key))
        if item is None:
            continue
        value = request.POST.get(f"answer_{key}", "")
        upload = request.FILES.get(f"evidence_{key}")
        try:
            with transaction.atomic():
                answer = None
                if value:
                    answer = services.answer_save(
                        report=report,
                        item=item,
                        answer=value,
                        note=request.POST.get(f"note_{key}", ""),
                        acting_user=request.user,
                    )
                    saved += 1
                if upload is not None:
                    answer = answer or ChecklistAnswer.objects.filter(report=report, item=item).first()
                    if answer is None:
                        raise ValidationError(_("Choose an answer before attaching evidence."))
                    form = f.FileForm({}, {"file": upload})
                    if not form.is_valid():
                        raise ValidationError(form.errors["file"])
                    services.evidence_add(target=answer, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            text = f"{item}: " + " ".join(exc.messages)
            errors.append(text)
            rows[key] = {"ok": False, "error": " ".join(exc.messages)}
            continue
        if answer is not None:
            rows[key] = {
                "ok": True,
                "answer": answer.pk,
                "evidence": [
                    {"name": a.original_name, "url": reverse("attachment-download", args=[a.pk])}
                    for a in Attachment.objects.for_object(answer)
                ],
            }
    if as_json:
        answered, total = selectors.report_progress(report)
        body = {
            "saved": saved,
            "rows": rows,
            "answered": answered,
            "total": total,
            "gaps": selectors.report_gaps(report),
            "errors": errors,
        }
        return JsonResponse(body, status=400 if errors else 200)
    for e in errors:
        messages.error(request, e)
    if saved or not errors:
        messages.success(request, _("%(n)d answers saved.") % {"n": saved})
    return redirect(reverse("campaigns:report", args=[report.pk]) + "#checklist")


@login_required
@require_POST
def answer_evidence(request, pk: int, answer_pk: int):
    report = _report(request, pk)
    require_writable(request.user, report, Party.UTILITY, FILED_BY_UTILITY)
    answer = get_object_or_404(ChecklistAnswer, report=report, pk=answer_pk)
    form = f.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(target=answer, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Evidence attached."))
        except ValidationError as exc:
            show_errors(request, exc)
    else:
        messages.error(request, _("Choose a file."))
    return redirect(reverse("campaigns:report", args=[report.pk]) + "#checklist")


@login_required
@require_POST
def report_finding_add(request, pk: int):
    report = _report(request, pk)
    require_writable(request.user, report, Party.UTILITY, FILED_BY_UTILITY)
    form = f.FindingForm(request.POST, campaign=report.campaign)
    if form.is_valid():
        try:
            services.finding_add(report=report, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc)
    return redirect(reverse("campaigns:report", args=[report.pk]) + "#findings")


@login_required
@require_POST
def report_action(request, pk: int, verb: str):
    """A step of the report's workflow (submit, return, resubmit, accept), from the report page."""
    report = _report(request, pk)
    return step_action(request, report, REPORT_WORKFLOW, verb, back=reverse("campaigns:report", args=[report.pk]))
