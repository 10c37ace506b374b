"""Pages of the shared core: dashboard shell, calendar, deadlines, violations, notifications, history."""

from datetime import date

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calendar import get_calendar
from portal.choices import DayKind, DeadlineStatus, Disposition
from portal.deadlines import compute_deadline
from portal.filtersets import TrackedDeadlineFilterSet, ViolationFilterSet
from portal.forms import DeadlineExplainForm, ViolationDisposeForm
from portal.instants import InstantError, parse_year
from portal.models import CalendarDay, CalendarYear, Notification, TrackedDeadline, Violation
from portal.redirects import redirect_next
from portal.selectors import local_date, rule_for_code
from portal.services import violation_dispose


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def dashboard(request):
    user = request.user
    deadlines = TrackedDeadline.objects.visible_to(user)
    now = timezone.now()
    counts = deadlines.aggregate(
        open=Count("id", filter=Q(status=DeadlineStatus.OPEN, due__gte=now)),
        overdue=Count("id", filter=Q(status=DeadlineStatus.OVERDUE) | Q(status=DeadlineStatus.OPEN, due__lt=now)),
        at_risk=Count(
            "id", filter=Q(status=DeadlineStatus.OPEN, due__gte=now) & (Q(at_risk_at__lte=now) | Q(remind_at__lte=now))
        ),
    )
    violations = Violation.objects.visible_to(user).aggregate(
        pending=Count("id", filter=Q(disposition=Disposition.PENDING)), total=Count("id")
    )
    context = {
        "counts": counts,
        "violations": violations,
        "notifications": Notification.objects.visible_to(user)[:8],
        "widgets": _dashboard_widgets(request),
    }
    return render(request, "portal/dashboard.html", context)


def _dashboard_widgets(request) -> list[str]:
    """Rendered panels contributed by the domain apps (each app's `dashboard_panel(request)`)."""
    panels = []
    for label in ("campaigns", "complaints", "outages", "reporting"):
        try:
            module = __import__(f"{label}.panels", fromlist=["dashboard_panel"])
        except ImportError:
            continue
        html = module.dashboard_panel(request)
        if html:
            panels.append(html)
    return panels


@login_required
def calendar_page(request):
    """The year's holidays and adjusted working days, and 'explain this deadline'."""
    status = 200
    try:
        year = parse_year(request.GET.get("year"), default=timezone.localdate().year)
    except InstantError as exc:
        messages.error(request, str(exc))
        year, status = timezone.localdate().year, 400
    days = CalendarDay.objects.filter(date__year=year)
    year_info = CalendarYear.objects.filter(year=year).first()
    form = DeadlineExplainForm(request.GET if "rule" in request.GET else None)
    result = rule = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"]
        try:
            rule = rule_for_code(form.cleaned_data["rule"], on=local_date(start))
        except Exception:
            form.add_error("rule", _("No such rule in force on that date."))
        else:
            result = compute_deadline(rule.spec(), start, get_calendar())
    if form.is_bound and form.errors:
        status = 400  # the form says what is wrong
    months = _month_grid(year, {d.date: d for d in days})
    return render(
        request,
        "portal/calendar.html",
        {
            "year": year,
            "days": days,
            "year_info": year_info,
            "form": form,
            "result": result,
            "rule": rule,
            "months": months,
            "years": CalendarYear.objects.all(),
            "DayKind": DayKind,
        },
        status=status,
    )


def _month_grid(year: int, special: dict) -> list[dict]:
    import calendar as pycal

    grid = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for d in week:
                entry = special.get(d)
                kind = entry.kind if entry else ("weekend" if d.weekday() >= 5 else "workday")
                cells.append(
                    {"date": d, "in_month": d.month == month, "kind": kind, "name": entry.name if entry else ""}
                )
            weeks.append(cells)
        grid.append({"month": month, "weeks": weeks})
    return grid


def _page(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@login_required
def deadline_list(request):
    qs = TrackedDeadline.objects.visible_to(request.user).select_related("utility", "content_type")
    fs = TrackedDeadlineFilterSet(request.GET, queryset=qs)
    return render(request, "portal/deadline_list.html", {"filter": fs, "page": _page(request, fs.qs.order_by("due"))})


@login_required
def violation_list(request):
    qs = Violation.objects.visible_to(request.user).select_related("utility", "content_type", "rule")
    fs = ViolationFilterSet(request.GET, queryset=qs)
    return render(request, "portal/violation_list.html", {"filter": fs, "page": _page(request, fs.qs)})


@login_required
@require_POST
def violation_dispose_view(request, pk: int):
    violation = get_object_or_404(Violation.objects.visible_to(request.user), pk=pk)
    if not request.user.is_regulator:
        raise PermissionDenied
    form = ViolationDisposeForm(request.POST)
    if form.is_valid():
        try:
            violation_dispose(violation=violation, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Disposition recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a disposition."))
    return redirect_next(request, "violations")


@login_required
def notification_list(request):
    qs = Notification.objects.visible_to(request.user)
    if request.method == "POST":
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    return render(request, "portal/notification_list.html", {"page": _page(request, qs)})


@login_required
def history_view(request, app_label: str, model: str, pk: int):
    """The audit trail of any record the user may see: who, when, what changed."""
    try:
        model_cls = apps.get_model(app_label, model)
    except LookupError:
        raise Http404 from None
    manager = model_cls._default_manager
    if not hasattr(manager, "visible_to") or not hasattr(model_cls, "history"):
        raise Http404
    obj = get_object_or_404(manager.visible_to(request.user), pk=pk)
    return render(request, "portal/history.html", {"object": obj, "model_name": model_cls._meta.verbose_name})


def public_home(request):
    return render(request, "portal/public_home.html", {"today": date.today()})  # noqa: DTZ011 - display only
