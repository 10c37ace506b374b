"""Pages of the outages app: notices for utilities (register, update, workflow) and regulators
(list with compliance, dashboard, violations to dispose, Excel export)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outages import lifecycle, services
from outages.feeds import PUBLIC_PARAMS, _query, public_notices
from outages.fields import NOTICE_FIELDS
from outages.filtersets import OutageNoticeFilterSet
from outages.forms import OutageNoticeForm
from outages.models import OutageNotice
from outages.selectors import compliance_by_kind, outage_violations, violation_rates
from portal.choices import OrgLevel, Party
from portal.excel import xlsx_response
from portal.filtersets import ViolationFilterSet
from portal.models import Organisation, Province, TrackedDeadline
from portal.querysets import require_writable
from portal.views_workflow import step_action, step_forms


def _visible(request):
    return OutageNotice.objects.visible_to(request.user).select_related("utility")


def _utilities(request):
    """The utilities the user registers notices for (the write guard; regulators: none)."""
    return Organisation.objects.writable_by(request.user, Party.UTILITY).utilities()


def _page(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def notice_list(request):
    fs = OutageNoticeFilterSet(request.GET, queryset=_visible(request), request=request)
    can_register = _utilities(request).exists()
    return render(
        request,
        "outages/notice_list.html",
        {"filter": fs, "page": _page(request, fs.qs), "can_register": can_register},
    )


@login_required
def notice_export(request):
    """The filtered list as .xlsx (same FilterSet and parameters as the page and the API)."""
    fs = OutageNoticeFilterSet(request.GET, queryset=_visible(request), request=request)
    return xlsx_response(
        filename=_("outage-notices"),
        sheet=_("Outage notices"),
        columns=NOTICE_FIELDS.export_columns(),
        rows=fs.qs.iterator(chunk_size=2000),
        title=_("Outage notices and their compliance"),
    )


@login_required
def notice_detail(request, pk: int):
    notice = get_object_or_404(_visible(request), pk=pk)
    context = {
        "notice": notice,
        "can_edit": OutageNotice.objects.writable_by(request.user, Party.UTILITY).filter(pk=notice.pk).exists(),
        "steps": step_forms(lifecycle.WORKFLOW, request.user, notice),
        "deadlines": TrackedDeadline.objects.for_object(notice).select_related("rule"),
        "violations": outage_violations(request.user).filter(object_id=notice.pk),
    }
    return render(request, "outages/notice_detail.html", context)


@login_required
def notice_create(request):
    utilities = _utilities(request)
    if not utilities.exists():
        raise PermissionDenied
    initial = {"utility": request.user.organisation_id} if request.user.organisation_id else {}
    form = OutageNoticeForm(request.POST or None, utilities=utilities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "utility"}
        try:
            notice = services.notice_register(utility=form.cleaned_data["utility"], data=data, acting_user=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Notice registered: %(state)s.") % {"state": notice.get_compliance_state_display()}
            )
            return redirect(notice)
    return render(request, "outages/notice_form.html", {"form": form})


@login_required
def notice_edit(request, pk: int):
    notice = get_object_or_404(_visible(request), pk=pk)
    require_writable(request.user, notice, Party.UTILITY, lifecycle.WORKFLOW.permission_message)
    form = OutageNoticeForm(request.POST or None, instance=notice, utilities=_utilities(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "utility"}
        try:
            notice = services.notice_update(notice=notice, data=data, acting_user=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Notice updated."))
            return redirect(notice)
    return render(request, "outages/notice_form.html", {"form": form, "notice": notice})


@login_required
@require_POST
def notice_action(request, pk: int, verb: str):
    notice = get_object_or_404(_visible(request), pk=pk)
    return step_action(
        request,
        notice,
        lifecycle.WORKFLOW,
        verb,
        done=lambda n: (
            _("%(status)s; compliance: %(state)s.")
            % {"status": n.get_status_display(), "state": n.get_compliance_state_display()}
        ),
    )


@login_required
def compliance_dashboard(request):
    """Compliance numbers by kind and per-utility violation rates (same filters as the list)."""
    fs = OutageNoticeFilterSet(request.GET, queryset=_visible(request), request=request)
    return render(
        request,
        "outages/dashboard.html",
        {"filter": fs, "by_kind": compliance_by_kind(fs.qs), "rates": violation_rates(request.user, fs.qs)},
    )


@login_required
def violation_list(request):
    """Violations of outage rules, for regulators to confirm or excuse (utilities read their own)."""
    qs = outage_violations(request.user).select_related("utility", "rule")
    fs = ViolationFilterSet(request.GET, queryset=qs, request=request)
    page = _page(request, fs.qs)
    notices = OutageNotice.objects.in_bulk([v.object_id for v in page])
    rows = [(v, notices.get(v.object_id)) for v in page]
    return render(request, "outages/violation_list.html", {"filter": fs, "page": page, "rows": rows})


# --------------------------------------------------------------------------- public


def public_list(request):
    """Upcoming and current outages for customers: plain words, no login, no personal data."""
    fs = public_notices(request.GET)
    now = timezone.now()
    notices = list(fs.qs[:300])
    province = request.GET.get("province") or ""
    companies = Organisation.objects.utilities().filter(level__in=[OrgLevel.CITY, OrgLevel.COUNTY])
    if province:
        companies = companies.filter(province__code=province)
    context = {
        "current": [n for n in notices if n.start_at <= now],
        "upcoming": [n for n in notices if n.start_at > now],
        "provinces": Province.objects.filter(utilities__isnull=False).distinct(),
        "companies": companies.only("code", "name"),
        "params": {k: request.GET.get(k, "") for k in PUBLIC_PARAMS},
        "query": _query(request.GET),
    }
    return render(request, "outages/public_list.html", context)
