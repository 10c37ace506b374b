"""The complaints panel of the workbench: open, overdue, at-risk tickets (one aggregate query)."""

from django.template.loader import render_to_string

from complaints.models import Complaint
from complaints.selectors import state_counts
from portal.choices import Party
from portal.querysets import acts_as


def dashboard_panel(request) -> str:
    counts = state_counts(Complaint.objects.visible_to(request.user))
    if not counts["total"]:
        return ""
    context = {"counts": counts, "show_queue": acts_as(request.user, Party.REGULATOR)}
    return render_to_string("complaints/_panel.html", context, request=request)
