"""Celery tasks of campaigns. Deadlines of deliverables and rectification items are swept by the shared
`portal.tasks.sweep_deadlines` (the overdue handler re-notifies); this task keeps deliverable deadlines in
step with each campaign's scope and due dates (idempotent, e.g. after an organisation joins a subtree)."""

from celery import shared_task


@shared_task(acks_late=True)
def retrack_deliverables(campaign_id: int) -> int:
    from campaigns.models import Campaign
    from campaigns.services import _track_deliverable

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    utilities = list(campaign.utilities.all())
    return sum(_track_deliverable(d, utilities) for d in campaign.deliverables.all())
