"""Celery tasks of the shared core: thin, idempotent, safe to retry."""

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.choices import Role
from portal.models import Notification, User


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    from portal.services import deadlines_sweep  # cycle: portal.tasks -> portal.services -> portal.tasks

    return deadlines_sweep()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(keys: list[tuple[int, str]]) -> int:
    """E-mail each notification to the people of its organisation who have an address."""
    sent = 0
    for org_id, key in keys:
        note = Notification.objects.filter(organisation_id=org_id, key=key).first()
        if note is None:
            continue
        to = list(
            User.objects.filter(organisation_id=org_id, is_active=True)
            .exclude(email="")
            .exclude(role=Role.SYSTEM)
            .values_list("email", flat=True)
        )
        if to:
            send_mail(note.subject, f"{note.body}\n\n{note.url}", None, to, fail_silently=False)
            sent += 1
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_digests() -> int:
    """Beat: one e-mail per organisation with what its digests gained since the last one (each record named,
    with its utility, due instant and link) — never one message per deadline. Idempotent: what is sent is
    marked, a retry after a failure sends what was not."""
    sent = 0
    base = settings.PORTAL_BASE_URL.rstrip("/")
    org_ids = (
        Notification.objects.filter(emailed_at__isnull=True)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    for org_id in list(org_ids):
        with transaction.atomic():
            # Locked: a sweep appending to a digest meanwhile waits, so no item is marked sent unsent.
            notes = list(
                Notification.objects.select_for_update()
                .filter(organisation_id=org_id, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            to = list(
                User.objects.filter(organisation_id=org_id, is_active=True)
                .exclude(email="")
                .exclude(role=Role.SYSTEM)
                .values_list("email", flat=True)
            )
            with translation.override(settings.LANGUAGE_CODE):
                lines: list[str] = []
                count = 0
                for note in notes:
                    lines.append(note.subject)
                    for i in note.items:
                        if i.get("emailed"):
                            continue
                        due = timezone.localtime(datetime.fromisoformat(i["due"]))
                        link = f"  {base}{i['url']}" if i.get("url") else ""
                        lines.append(f"- {i['record']} · {i['utility']} · {i['label']} · {due:%Y-%m-%d %H:%M}{link}")
                        count += 1
                    if note.total > len(note.items):
                        lines.append(_("… and %(n)d more") % {"n": note.total - len(note.items)})
                    lines.append("")
                subject = ngettext("%(n)d deadline to look at", "%(n)d deadlines to look at", count) % {"n": count}
            if to and count:
                send_mail(subject, "\n".join(lines) + f"{base}{reverse('worklist')}", None, to, fail_silently=False)
                sent += 1
            now = timezone.now()
            for note in notes:
                note.items = [{**i, "emailed": True} for i in note.items]
                note.emailed_at = now
            Notification.objects.bulk_update(notes, ["items", "emailed_at"])
    return sent


@shared_task
def calendar_check_coverage() -> list[int]:
    """Warn operators when this year's (or, from December, next year's) calendar is missing: deadlines
    into it are provisional. Regulator admins see the same as a banner in the portal."""
    from portal.calendar import calendar_missing_years  # cycle: portal.tasks -> portal.calendar -> portal.tasks

    missing = calendar_missing_years()
    for year in missing:
        logging.getLogger(__name__).warning("Calendar for %s is not loaded: deadlines into it are provisional", year)
    return missing


@shared_task(acks_late=True)
def calendar_rejudge(change_id: int) -> str:
    """Judge again the deadlines a calendar change touches (idempotent: a finished change is left alone)."""
    from portal.rejudge import calendar_rejudge_run  # cycle: tasks -> rejudge -> calendar -> tasks

    return calendar_rejudge_run(change_id).status


@shared_task(acks_late=True)
def calendar_rejudge_pending() -> int:
    """Beat: finish any calendar change whose task was lost (broker down, worker killed)."""
    from portal.rejudge import calendar_rejudge_pending as run_pending  # cycle: tasks -> rejudge -> calendar -> tasks

    return run_pending()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=12)
def run_import_job(self, job_id: int, resume: bool = False) -> dict:
    """Thin wrapper: a killed worker's message is redelivered and the job resumes from its last chunk;
    a lost database connection (a PostgreSQL restart, a failover) is retried with backoff by this same
    task, which takes its own running job over."""
    from portal.imports import import_job_run  # cycle: portal.tasks -> portal.imports -> portal.tasks

    try:
        job = import_job_run(job_id, resume=resume)
    except (OperationalError, InterfaceError) as exc:
        connections.close_all()  # drop the broken connection; the retry opens a new one
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 30), kwargs={"resume": True}) from exc
    return {"status": job.status, "processed": job.processed_rows, "errors": job.error_count}
