"""The public column (no login): published campaigns with their phases and progress, nothing internal."""

from django.shortcuts import get_object_or_404, render

from campaigns import selectors
from campaigns.models import Campaign


def public_list(request):
    campaigns = Campaign.objects.published().select_related("owner").prefetch_related("phases")
    rows = [{"campaign": c, "phase": selectors.current_phase(c, phases=list(c.phases.all()))} for c in campaigns]
    return render(request, "campaigns/public_list.html", {"rows": rows})


def public_detail(request, code: str):
    """Phases, utilities in scope with their progress, published highlights. Nothing internal: no
    reviewer comments, no names of people, no findings' text."""
    campaign = get_object_or_404(Campaign.objects.published().select_related("owner"), code=code)
    return render(
        request,
        "campaigns/public_detail.html",
        {
            "campaign": campaign,
            "phases": selectors.phases_with_state(campaign),
            "rates": selectors.campaign_progress(campaign),
            "highlights": campaign.highlights.filter(is_published=True),
            "zones": campaign.zones.all(),
        },
    )
