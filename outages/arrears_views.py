"""Pages of arrears cases: the list (filters, on-time rate per utility with drill-down) and the case page (its
story, deadlines, violations, the step forms, history)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outages import arrears
from outages.arrears_choices import ArrearsStatus
from outages.models import ArrearsCase
from portal.models import Organisation, TrackedDeadline, Violation
from portal.tracking import on_time_by_utility
from portal.views_workflow import step_action, step_forms

PAGE = 50


def _visible(request):
    return ArrearsCase.objects.visible_to(request.user).select_related("utility")


def _personal(user, case) -> dict:
    org = getattr(user, "organisation", None)
    if user.is_superuser or (org is not None and org.is_utility and case.utility.path.startswith(org.path)):
        return {"customer_name": case.customer_name, "address": case.address}
    name = case.customer_name
    return {"customer_name": (name[:1] + "*" * max(1, len(name) - 1)) if name else "", "address": case.address[:6]}


@login_required
def arrears_list(request):
    qs, chosen = _visible(request), {}
    value = request.GET.get("status", "")
    if value in ArrearsStatus.values:
        qs = qs.filter(status=value)
        chosen["status"] = value
    utility = request.GET.get("utility", "")
    if utility.isdigit() and len(utility) < 19:
        org = Organisation.objects.visible_to(request.user).filter(pk=int(utility)).first()
        if org is not None:
            qs = qs.filter(utility__path__startswith=org.path)
            chosen["utility"] = org
    if request.GET.get("late") == "1":
        ct = ContentType.objects.get_for_model(ArrearsCase)
        qs = qs.filter(pk__in=Violation.objects.filter(content_type=ct).values("object_id"))
        chosen["late"] = True
    page = Paginator(qs.order_by("-overdue_since", "-id"), PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(c, _personal(request.user, c)) for c in page.object_list],
        "chosen": chosen,
        "statuses": ArrearsStatus.choices,
        "rates": on_time_by_utility(ArrearsCase, qs),
    }
    return render(request, "outages/arrears/list.html", context)


@login_required
def arrears_detail(request, pk: int):
    case = get_object_or_404(_visible(request), pk=pk)
    ct = ContentType.objects.get_for_model(ArrearsCase)
    context = {
        "case": case,
        "personal": _personal(request.user, case),
        "cutoff": arrears.cutoff(case),
        "reminders": case.reminders_at(),
        "deadlines": list(TrackedDeadline.objects.for_object(case).select_related("rule")),
        "violations": Violation.objects.visible_to(request.user).filter(content_type=ct, object_id=case.pk),
        "steps": step_forms(arrears.WORKFLOW, request.user, case),
    }
    return render(request, "outages/arrears/detail.html", context)


@login_required
@require_POST
def arrears_action(request, pk: int, verb: str):
    case = get_object_or_404(_visible(request), pk=pk)
    return step_action(
        request,
        case,
        arrears.WORKFLOW,
        verb,
        done=lambda c: _("Recorded. The case is now: %(status)s.") % {"status": c.get_status_display()},
    )
