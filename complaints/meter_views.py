"""Pages of meter test and abnormal-reading requests: the list (filters, on-time rate per utility with
drill-down) and the request page (result, deadline, violations, the step forms, history)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import meters
from complaints.connection_selectors import on_time_by_utility
from complaints.connection_views import PAGE, personal_of
from complaints.meter_choices import MeterRequestKind, MeterRequestStatus
from complaints.models import MeterRequest
from portal.models import Organisation, TrackedDeadline, Violation
from portal.views_workflow import step_action, step_forms


def _visible(request):
    return MeterRequest.objects.visible_to(request.user).select_related("utility")


@login_required
def meter_list(request):
    qs, chosen = _visible(request), {}
    for name, choices in (("status", MeterRequestStatus), ("kind", MeterRequestKind)):
        value = request.GET.get(name, "")
        if value in choices.values:
            qs = qs.filter(**{name: value})
            chosen[name] = value
    utility = request.GET.get("utility", "")
    if utility.isdigit() and len(utility) < 19:
        org = Organisation.objects.visible_to(request.user).filter(pk=int(utility)).first()
        if org is not None:
            qs = qs.filter(utility__path__startswith=org.path)
            chosen["utility"] = org
    if request.GET.get("late") == "1":
        ct = ContentType.objects.get_for_model(MeterRequest)
        qs = qs.filter(pk__in=Violation.objects.filter(content_type=ct).values("object_id"))
        chosen["late"] = True
    page = Paginator(qs.order_by("-requested_at", "-id"), PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(r, personal_of(request.user, r)) for r in page.object_list],
        "chosen": chosen,
        "statuses": MeterRequestStatus.choices,
        "kinds": MeterRequestKind.choices,
        "rates": on_time_by_utility(MeterRequest, qs),
    }
    return render(request, "complaints/meters/list.html", context)


@login_required
def meter_detail(request, pk: int):
    req = get_object_or_404(_visible(request), pk=pk)
    ct = ContentType.objects.get_for_model(MeterRequest)
    context = {
        "req": req,
        "personal": personal_of(request.user, req),
        "deadlines": list(TrackedDeadline.objects.for_object(req).select_related("rule")),
        "violations": Violation.objects.visible_to(request.user).filter(content_type=ct, object_id=req.pk),
        "steps": step_forms(meters.WORKFLOW, request.user, req),
    }
    return render(request, "complaints/meters/detail.html", context)


@login_required
@require_POST
def meter_action(request, pk: int, verb: str):
    req = get_object_or_404(_visible(request), pk=pk)
    return step_action(
        request,
        req,
        meters.WORKFLOW,
        verb,
        done=lambda r: _("Recorded. The request is now: %(status)s.") % {"status": r.get_status_display()},
    )
