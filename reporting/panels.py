"""The reporting panel of the workbench: the latest reports the user may see, with their state."""

from django.template.loader import render_to_string

from reporting.models import ReportJob


def dashboard_panel(request) -> str:
    jobs = list(
        ReportJob.objects.visible_to(request.user).select_related("organisation").order_by("-created_at", "-pk")[:5]
    )
    return render_to_string("reporting/_panel.html", {"jobs": jobs}, request=request)
