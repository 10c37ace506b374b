"""The outages panel of the workbench: notices by compliance state (one aggregate query)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string

from outages.choices import ComplianceState
from outages.models import OutageNotice


def dashboard_panel(request) -> str:
    qs = OutageNotice.objects.visible_to(request.user)
    counts = qs.aggregate(
        total=Count("id"),
        **{s.value: Count("id", filter=Q(compliance_state=s)) for s in ComplianceState},
        relabelled=Count("id", filter=Q(relabelled=True)),
    )
    if not counts["total"]:
        return ""
    return render_to_string("outages/_panel.html", {"counts": counts}, request=request)
