"""Celery tasks of the reporting app: thin, take an id, call one service, safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def run_report(job_id: int) -> str:
    from reporting.services import report_run

    return report_run(job_id).status


@shared_task(acks_late=True)
def refresh_complaint_stats() -> int:
    """Rebuild the dashboard's monthly complaint figures (beat; a second run just rebuilds again)."""
    from reporting.services import complaint_stats_refresh

    return complaint_stats_refresh()
