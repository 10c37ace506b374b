"""Pages of connection applications (业扩报装): the list with filters and the 获得电力 averages per utility,
and the application page (its steps and instants, deadlines, violations, the step forms, history)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import connection_selectors as selectors
from complaints import connections
from complaints.connection_choices import ConnectionStatus, CustomerClass
from complaints.models import ConnectionApplication
from complaints.selectors import mask_address, mask_name
from portal.models import Organisation, Violation
from portal.views_workflow import step_action, step_forms

PAGE = 50


def _visible(request):
    return ConnectionApplication.objects.visible_to(request.user).select_related("utility")


def personal_of(user, app) -> dict:
    """The customer's name and address: in full for the utility handling it, masked for everyone else."""
    org = getattr(user, "organisation", None)
    full = user.is_superuser or (org is not None and org.is_utility and app.utility.path.startswith(org.path))
    if full:
        return {"customer_name": app.customer_name, "address": app.address}
    return {"customer_name": mask_name(app.customer_name), "address": mask_address(app.address)}


def _filtered(request):
    qs = _visible(request)
    chosen = {}
    for name, choices in (("status", ConnectionStatus), ("customer_class", CustomerClass)):
        value = request.GET.get(name, "")
        if value in choices.values:
            qs = qs.filter(**{name: value})
            chosen[name] = value
    utility = request.GET.get("utility", "")
    if utility.isdigit() and len(utility) < 19:
        # The utility and its subtree (a drill-down from the figures per utility).
        org = Organisation.objects.visible_to(request.user).filter(pk=int(utility)).first()
        if org is not None:
            qs = qs.filter(utility__path__startswith=org.path)
            chosen["utility"] = org
    if request.GET.get("late") == "1":
        ct = ContentType.objects.get_for_model(ConnectionApplication)
        qs = qs.filter(pk__in=Violation.objects.filter(content_type=ct).values("object_id"))
        chosen["late"] = True
    if request.GET.get("affordable_housing") == "1":
        qs = qs.filter(affordable_housing=True)
        chosen["affordable_housing"] = True
    return qs, chosen


@login_required
def connection_list(request):
    qs, chosen = _filtered(request)
    page = Paginator(qs.order_by("-applied_at", "-id"), PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(a, personal_of(request.user, a)) for a in page.object_list],
        "chosen": chosen,
        "statuses": ConnectionStatus.choices,
        "classes": CustomerClass.choices,
        "averages": selectors.getting_electricity_by_utility(qs),
        "rates": selectors.on_time_by_utility(ConnectionApplication, qs),
    }
    return render(request, "complaints/connections/list.html", context)


@login_required
def connection_detail(request, pk: int):
    app = get_object_or_404(_visible(request), pk=pk)
    ct = ContentType.objects.get_for_model(ConnectionApplication)
    context = {
        "app": app,
        "personal": personal_of(request.user, app),
        "deadlines": list(selectors.connection_deadline_rows(app)),
        "violations": Violation.objects.visible_to(request.user).filter(content_type=ct, object_id=app.pk),
        "steps": step_forms(connections.WORKFLOW, request.user, app),
        "instants": [
            (_("Applied"), app.applied_at),
            (_("Supply scheme replied"), app.scheme_replied_at if app.step_count == 4 else None),
            (_("Accepted (inspection passed)"), app.accepted_at if app.step_count == 4 else None),
            (_("Powered on"), app.powered_at),
            (_("Withdrawn"), app.withdrawn_at),
        ],
    }
    return render(request, "complaints/connections/detail.html", context)


@login_required
@require_POST
def connection_action(request, pk: int, verb: str):
    app = get_object_or_404(_visible(request), pk=pk)
    return step_action(
        request,
        app,
        connections.WORKFLOW,
        verb,
        done=lambda a: _("Recorded. The application is now: %(status)s.") % {"status": a.get_status_display()},
    )
