"""Pages of large customers (大电力客户, issue 12): the register (keyset-paged, filtered by the same FilterSet as the
API, with the on-time rate of inspections per utility), a customer's page (its file, the periods it is owed an
inspection with their deadlines, inspections, hazard notices, violations, history), a hazard notice's page with its
steps, and the filings to the government. Writes go through `campaigns.services.large_customers`: a refusal of
the service's write guard is 403 with its reason; its field messages come back on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import large_customer_forms as forms
from campaigns.large_customer_filtersets import LargeCustomerFilterSet
from campaigns.models import GovernmentFiling, HazardNotice, InspectionDue, LargeCustomer, LargeCustomerInspection
from campaigns.services import large_customers as lc
from campaigns.views.common import show_errors
from portal.choices import Party
from portal.models import Organisation, TrackedDeadline, Violation
from portal.paging import keyset_page, row_id
from portal.tracking import on_time_by_utility
from portal.views_workflow import form_error_text, step_action, step_forms


def _customers(request):
    return LargeCustomer.objects.visible_to(request.user).select_related("utility")


def _may_register(user) -> bool:
    return Organisation.objects.writable_by(user, Party.UTILITY).filter(kind="utility").exists()


@login_required
def large_customer_list(request):
    params = request.GET.copy()
    chosen = params.get("utility", "")
    if row_id(chosen) is not None:  # the dashboard's and bulletin's drill-down names the utility's id
        org = Organisation.objects.visible_to(request.user).filter(pk=row_id(chosen)).first()
        params["utility"] = org.code if org is not None else ""
    filterset = LargeCustomerFilterSet(params or None, queryset=_customers(request), request=request)
    qs = filterset.qs if filterset.is_valid() else _customers(request)
    page = keyset_page(request, qs, "registered_on")
    dues = InspectionDue.objects.filter(customer__in=qs.values("pk"))
    context = {
        "filterset": filterset,
        "customers": page.rows,
        **page.context(),
        "rates": on_time_by_utility(InspectionDue, dues),
        "may_register": _may_register(request.user),
    }
    return render(request, "campaigns/large_customers/list.html", context)


@login_required
def large_customer_new(request):
    if not _may_register(request.user):
        raise PermissionDenied(lc.MAINTAINED_BY_UTILITY)
    utilities = Organisation.objects.writable_by(request.user, Party.UTILITY).filter(kind="utility")
    form = forms.LargeCustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = request.POST.get("utility", "")
        utility = utilities.filter(pk=row_id(chosen)).first() if row_id(chosen) is not None else None
        utility = utility or request.user.organisation
        try:
            customer = lc.large_customer_register(utility=utility, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc, form)
        else:
            messages.success(request, _("Registered."))
            return redirect(customer)
    return render(request, "campaigns/large_customers/form.html", {"form": form, "utilities": utilities})


@login_required
def large_customer_edit(request, pk: int):
    customer = get_object_or_404(_customers(request), pk=pk)
    if not LargeCustomer.objects.writable_by(request.user, Party.UTILITY).filter(pk=pk).exists():
        raise PermissionDenied(lc.MAINTAINED_BY_UTILITY)
    form = forms.LargeCustomerForm(request.POST or None, instance=LargeCustomer.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            lc.large_customer_update(customer=customer, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect(customer)
    return render(request, "campaigns/large_customers/form.html", {"form": form, "customer": customer})


def _judged(records) -> tuple[list, list]:
    """The deadlines and violations of `records` (one kind), two queries."""
    records = list(records)
    if not records:
        return [], []
    ct = ContentType.objects.get_for_model(type(records[0]))
    ids = [r.pk for r in records]
    deadlines = TrackedDeadline.objects.filter(content_type=ct, object_id__in=ids).select_related("rule")
    violations = Violation.objects.filter(content_type=ct, object_id__in=ids).order_by("occurred_at")
    return list(deadlines), list(violations)


@login_required
def large_customer_detail(request, pk: int):
    customer = get_object_or_404(_customers(request), pk=pk)
    dues = list(customer.dues.select_related("met_by").order_by("-starts_on", "kind"))
    notices = list(customer.hazard_notices.order_by("-issued_at"))
    due_deadlines, due_violations = _judged(dues)
    notice_deadlines, notice_violations = _judged(notices)
    by_due = {d.object_id: d for d in due_deadlines}
    writable = LargeCustomer.objects.writable_by(request.user, Party.UTILITY).filter(pk=pk).exists()
    inspections = list(customer.inspections.all())
    context = {
        "customer": customer,
        "dues": [(d, by_due.get(d.pk)) for d in dues],
        "inspections": [(i, forms.HazardNoticeForm(auto_id=f"id_notice{i.pk}_%s")) for i in inspections],
        "notices": notices,
        "deadlines": [d for d in due_deadlines + notice_deadlines if d.status in ("open", "overdue")],
        "violations": due_violations + notice_violations,
        "writable": writable and customer.status == "active",
        "inspection_form": forms.InspectionForm(auto_id="id_inspection_%s"),
        "plan_form": forms.PlanForm(auto_id="id_plan_%s"),
    }
    return render(request, "campaigns/large_customers/detail.html", context)


@login_required
@require_POST
def large_customer_inspect(request, pk: int):
    customer = get_object_or_404(_customers(request), pk=pk)
    form = forms.InspectionForm(request.POST)
    if not form.is_valid():
        if not LargeCustomer.objects.writable_by(request.user, Party.UTILITY).filter(pk=pk).exists():
            raise PermissionDenied(lc.MAINTAINED_BY_UTILITY)
        messages.error(request, form_error_text(form))
        return redirect(customer)
    try:
        lc.large_customer_inspect(customer=customer, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("Inspection recorded."))
    return redirect(customer)


@login_required
@require_POST
def large_customer_plan(request, pk: int):
    """The outage emergency plan's file, kept with the customer (第二十三条)."""
    customer = get_object_or_404(_customers(request), pk=pk)
    form = forms.PlanForm(request.POST, request.FILES)
    if not LargeCustomer.objects.writable_by(request.user, Party.UTILITY).filter(pk=pk).exists():
        raise PermissionDenied(lc.MAINTAINED_BY_UTILITY)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(customer)
    try:
        lc.emergency_plan_attach(customer=customer, file=form.cleaned_data["file"], acting_user=request.user)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The emergency plan is on file."))
    return redirect(customer)


@login_required
@require_POST
def hazard_notice_issue(request, pk: int):
    """A hazard notice from the inspection `pk`."""
    inspection = get_object_or_404(LargeCustomerInspection.objects.visible_to(request.user), pk=pk)
    form = forms.HazardNoticeForm(request.POST)
    if not LargeCustomerInspection.objects.writable_by(request.user, Party.UTILITY).filter(pk=pk).exists():
        raise PermissionDenied(lc.MAINTAINED_BY_UTILITY)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(inspection.customer)
    try:
        notice = lc.hazard_notice_issue(inspection=inspection, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect(inspection.customer)
    messages.success(request, _("Hazard notice %(number)s issued.") % {"number": notice.number})
    return redirect(notice)


@login_required
def hazard_notice_detail(request, pk: int):
    visible = HazardNotice.objects.visible_to(request.user).select_related("customer", "utility")
    notice = get_object_or_404(visible, pk=pk)
    deadlines, violations = _judged([notice])
    context = {
        "notice": notice,
        "deadlines": deadlines,
        "violations": violations,
        "steps": step_forms(lc.HAZARD_WORKFLOW, request.user, notice),
    }
    return render(request, "campaigns/large_customers/notice.html", context)


@login_required
@require_POST
def hazard_notice_action(request, pk: int, verb: str):
    notice = get_object_or_404(HazardNotice.objects.visible_to(request.user), pk=pk)
    return step_action(request, notice, lc.HAZARD_WORKFLOW, verb)


@login_required
def filing_list(request):
    filings = GovernmentFiling.objects.visible_to(request.user).select_related("utility")
    page = keyset_page(request, filings, "period_start")
    deadlines, violations = _judged(page.rows)
    by_filing = {d.object_id: d for d in deadlines}
    late = {v.object_id for v in violations}
    context = {
        "rows": [(f, by_filing.get(f.pk), f.pk in late) for f in page.rows],
        **page.context(),
    }
    return render(request, "campaigns/large_customers/filings.html", context)


@login_required
def filing_detail(request, pk: int):
    filing = get_object_or_404(GovernmentFiling.objects.visible_to(request.user).select_related("utility"), pk=pk)
    deadlines, violations = _judged([filing])
    context = {
        "filing": filing,
        "deadlines": deadlines,
        "violations": violations,
        "steps": step_forms(lc.FILING_WORKFLOW, request.user, filing),
    }
    return render(request, "campaigns/large_customers/filing.html", context)


@login_required
@require_POST
def filing_action(request, pk: int, verb: str):
    filing = get_object_or_404(GovernmentFiling.objects.visible_to(request.user), pk=pk)
    return step_action(request, filing, lc.FILING_WORKFLOW, verb)
