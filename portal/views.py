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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.choices import DeadlineStatus, Disposition, Party
from portal.filtersets import TrackedDeadlineFilterSet, ViolationFilterSet
from portal.forms import ViolationBulkForm, ViolationDisposeForm
from portal.models import Notification, TrackedDeadline, Violation
from portal.querysets import acts_as
from portal.redirects import redirect_next
from portal.services import violation_dispose, violations_dispose_bulk
from portal.worklist import work_counts, work_items, work_kinds


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
        provisional=Count("id", filter=Q(status=DeadlineStatus.OPEN, provisional=True)),
    )
    violations = Violation.objects.visible_to(user).aggregate(
        pending=Count("id", filter=Q(disposition=Disposition.PENDING)), total=Count("id")
    )
    context = {
        "counts": counts,
        "violations": violations,
        "notifications": Notification.objects.visible_to(user)[:8],
        "widgets": _dashboard_widgets(request),
        "work_counts": work_counts(user),
        "work_items": work_items(user, limit=12, per_kind=3)[0],
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


def _page(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@login_required
def deadline_list(request):
    qs = TrackedDeadline.objects.visible_to(request.user).select_related("utility", "content_type")
    fs = TrackedDeadlineFilterSet(request.GET, queryset=qs, request=request)
    return render(request, "portal/deadline_list.html", {"filter": fs, "page": _page(request, fs.qs.order_by("due"))})


@login_required
def violation_list(request):
    qs = Violation.objects.visible_to(request.user).select_related("utility", "content_type", "rule", "disposed_by")
    fs = ViolationFilterSet(request.GET, queryset=qs, request=request)
    page = _page(request, fs.qs.prefetch_related("subject"))
    rows = [{"v": v, "url": _record_url(v)} for v in page]
    may_judge = acts_as(request.user, Party.REGULATOR) and request.user.is_regulator
    return render(
        request,
        "portal/violation_list.html",
        {"filter": fs, "page": page, "rows": rows, "may_judge": may_judge, "bulk_form": ViolationBulkForm()},
    )


def _record_url(violation) -> str:
    """Where the record a violation is about opens: its own page, else its history."""
    subject = violation.subject
    if subject is not None and hasattr(subject, "get_absolute_url"):
        return subject.get_absolute_url()
    ct = violation.content_type
    return reverse("history", args=[ct.app_label, ct.model, violation.object_id])


@login_required
@require_POST
def violation_bulk_view(request):
    """Confirm or excuse the chosen violations with one reason; each keeps its own history row."""
    if not (acts_as(request.user, Party.REGULATOR) and request.user.is_regulator):
        raise PermissionDenied(_("Only regulator staff dispose of violations."))
    form = ViolationBulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect_next(request, "violations")
    try:
        n = violations_dispose_bulk(acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect_next(request, "violations")
    skipped = len(form.cleaned_data["ids"]) - n
    messages.success(request, ngettext("%(n)d violation decided.", "%(n)d violations decided.", n) % {"n": n})
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d chosen violation was not pending or not yours to judge: left as it was.",
                "%(n)d chosen violations were not pending or not yours to judge: left as they were.",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect_next(request, "violations")


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
def worklist_page(request):
    """我的待办 on its own page: every item waiting on the user (or of one kind), earliest due first."""
    kinds = {k.key: k for k in work_kinds()}
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in kinds:
        kind = None
    counts = work_counts(request.user)
    items, total = work_items(request.user, kind=kind, limit=WORKLIST_LIMIT)
    context = {"counts": counts, "items": items, "total": total, "kind": kinds.get(kind), "limit": WORKLIST_LIMIT}
    return render(request, "portal/worklist.html", context)


WORKLIST_LIMIT = 200


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
