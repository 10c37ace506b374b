"""Writes of the reporting app: request a report (a new version), run it, retry a failed run.

A request never overwrites: the same kind and parameters for the same organisation form a series
and every request is its next version. The PDF is stored under the private media root with its
SHA-256, page count and render time; only `report_run` writes those, once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaints.selectors import ticket_counts_by_month
from portal.services import notify
from reporting import render
from reporting.choices import RETRYABLE, JobStatus
from reporting.kinds import REGISTRY, spec
from reporting.models import ComplaintMonthStat, ReportJob
from reporting.params import Resolved, report_params
from reporting.tasks import run_report

log = logging.getLogger(__name__)

# The document-number prefix of each kind, from its definition (reporting/kinds/).
DOC_PREFIX = {key: s.doc_prefix for key, s in REGISTRY.items()}


def series_key(resolved: Resolved) -> str:
    blob = json.dumps(
        {"kind": resolved.kind, "params": resolved.params, "org": resolved.organisation.pk}, sort_keys=True
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def report_title(resolved: Resolved) -> str:

    with translation.override("zh-hans"):
        return spec(resolved.kind).title(resolved)


def document_number(job: ReportJob) -> str:
    """e.g. 国家能源局山东监管办公室〔2026〕专报12号 — the issuing office (the job's organisation, the same
    name the cover, the running header and the signature print), year, kind, the job's number."""
    org = job.organisation
    year = timezone.localtime(job.created_at).year if job.created_at else timezone.localdate().year
    return f"{org.name}〔{year}〕{DOC_PREFIX.get(job.kind, '')}{job.pk}号"


def report_request(*, kind: str, raw: dict, acting_user, enqueue: bool = True) -> ReportJob:
    """Queue the next version of a report. Raises Http404 for records the user may not see,
    PermissionDenied for a kind the role may not request, ValidationError for bad parameters.
    `enqueue=False` leaves the run to the caller (the demo loader renders in-process)."""
    resolved = report_params(kind=kind, raw=raw, user=acting_user)
    key = series_key(resolved)
    title = report_title(resolved)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = ReportJob.objects.filter(series_key=key).aggregate(v=Max("version"))["v"] or 0
                job = ReportJob(
                    kind=kind,
                    params=resolved.params,
                    series_key=key,
                    version=latest + 1,
                    title=title,
                    organisation=resolved.organisation,
                    campaign=resolved.campaign,
                    created_by=acting_user if getattr(acting_user, "pk", None) else None,
                )
                job._history_user = job.created_by
                job.save()
                job.document_number = document_number(job)
                job.save(update_fields=["document_number"])
                if enqueue:
                    transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
                return job
        except IntegrityError:
            continue  # two requests took the same version number at once: take the next one
    raise ValidationError(_("The report could not be queued; try again."))


def _enqueue(job_id: int) -> None:

    run_report.delay(job_id)


def is_stalled(job: ReportJob, now=None) -> bool:
    """Queued or running for longer than a task may run (CELERY_TASK_TIME_LIMIT): its message or its
    worker was lost, so it may be started again."""

    now = now or timezone.now()
    limit = timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 1800) or 1800)
    since = job.started_at if job.status == JobStatus.RUNNING else job.created_at
    return job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and since is not None and now - since > limit


def report_retry(*, job: ReportJob, acting_user) -> ReportJob:
    """Queue a failed (or stalled) job again (same version: such a run produced no file)."""
    if job.status not in RETRYABLE and not is_stalled(job):
        raise ValidationError(_("Only a failed report can be retried; request a new version instead."))
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.stage = ""
    job.error = ""
    job._history_user = acting_user
    job.save(update_fields=["status", "progress", "stage", "error"])
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def build_content(kind: str, params: dict, organisation, progress):
    """The content of a report from its stored parameters (what the task and the CLI render)."""
    return spec(kind).build(params, organisation, progress)


def _store(job: ReportJob, pdf: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(pdf).hexdigest()
    rel = Path("reports") / f"{timezone.localtime(job.created_at):%Y}" / f"{job.pk}-v{job.version}-{digest[:12]}.pdf"
    path = Path(settings.MEDIA_ROOT) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)  # a reader never sees half a file
    return str(rel), digest


def report_file_path(job: ReportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file


def report_run(job_id: int) -> ReportJob:
    """Render a queued job. Idempotent: a done job is left alone; a failure marks the job failed
    with the reason (the previous versions stay untouched) and it may be retried."""

    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == JobStatus.DONE:
            return job
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress = 5
        job.stage = _("Started")
        job.save(update_fields=["status", "started_at", "attempts", "progress", "stage"])

    def progress(percent: int, stage: str) -> None:
        ReportJob.objects.filter(pk=job_id).update(progress=percent, stage=str(stage)[:80])

    try:
        with translation.override("zh-hans"):
            content = build_content(job.kind, job.params, job.organisation, progress)
            rendered = render.render_pdf(
                content,
                document_number=job.document_number,
                issued_on=timezone.localtime(job.created_at).date(),
                version=job.version,
                progress=progress,
                issuing_office=job.organisation.name,
            )
            tables = [t.as_json() for t in content.tables.values()]  # labels in Chinese, as printed
        rel, digest = _store(job, rendered.pdf)
    except Exception as exc:
        log.exception("report %s failed", job_id)
        job.refresh_from_db()
        job.status = JobStatus.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.refresh_from_db()
    job.status = JobStatus.DONE
    job.progress = 100
    job.stage = _("Done")
    job.file, job.sha256, job.size = rel, digest, len(rendered.pdf)
    job.pages, job.render_seconds = rendered.pages, rendered.seconds
    job.tables = tables
    job.finished_at = timezone.now()
    job.error = ""
    job.save()

    notify(
        organisations=[job.organisation],
        key=f"report-done-{job.pk}",
        subject=_("Report ready: %(title)s (version %(v)d)") % {"title": job.title, "v": job.version},
        url=job.get_absolute_url(),
        target=job,
    )
    return job


def complaint_stats_refresh() -> int:
    """Rebuild the monthly complaint figures from the live tickets (two grouped queries, asked of the
    complaints app), replaced in one transaction (readers see the old or the new set, never half).
    Returns the rows."""

    now = timezone.now()
    objs = [
        ComplaintMonthStat(
            utility_id=u, month=m, channel=ch, category=cat, pending_forward=pf, refreshed_at=now, **counts
        )
        for (u, m, ch, cat, pf), counts in ticket_counts_by_month().items()
    ]
    with transaction.atomic():
        ComplaintMonthStat.objects.all().delete()
        ComplaintMonthStat.objects.bulk_create(objs, batch_size=5000)
    return len(objs)
