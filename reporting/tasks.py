"""Celery tasks of the reporting app: thin, take an id, call one service, safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def run_report(job_id: int) -> str:
    from reporting.services import report_run

    return report_run(job_id).status
