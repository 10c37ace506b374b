"""The campaigns panel of the workbench: campaigns in progress with their current phase and counts."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from campaigns.choices import RectificationStatus, ReportStatus
from campaigns.models import Campaign, RectificationItem, SelfCheckReport
from campaigns.selectors import current_phase, worklist_deliverables


def dashboard_panel(request) -> str:
    user = request.user
    today = timezone.localdate()
    campaigns = list(
        Campaign.objects.visible_to(user)
        .filter(start_date__lte=today, end_date__gte=today)
        .select_related("manual_phase")
        .prefetch_related("phases")[:5]
    )
    if not campaigns:
        return ""
    reports = SelfCheckReport.objects.visible_to(user).aggregate(
        to_review=Count("id", filter=Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED])),
    )
    items = RectificationItem.objects.visible_to(user).aggregate(
        overdue=Count("id", filter=Q(status=RectificationStatus.OVERDUE)),
        to_verify=Count("id", filter=Q(status=RectificationStatus.DONE_PENDING_VERIFICATION)),
    )
    # What the utility has to hand in: the worklist's own selector (我的待办, kind "deliverable"), so the count
    # here is the count of the list it opens — every deliverable to file, not only self-check reports.
    to_file = worklist_deliverables(user)
    reports["to_file"] = to_file.queryset.order_by().count() if to_file is not None else 0
    rows = [{"campaign": c, "phase": current_phase(c, today, list(c.phases.all()))} for c in campaigns]
    return render_to_string(
        "campaigns/_panel.html", {"rows": rows, "reports": reports, "items": items, "user": user}, request=request
    )
