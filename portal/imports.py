"""Spreadsheet imports as resumable background jobs.

A domain app registers a handler for a kind; the shared task reads the file in chunks and hands each chunk
to the handler at once, which answers per row (its result, or the ValidationError that refused it) through
the app's set-based intake, the same path as the REST bulk endpoints: a bad row is recorded and skipped, the
good ones stay, with no savepoint per row. The resume point is saved with the chunk, so a killed worker
resumes where the last committed chunk ended. Handlers are idempotent by (source, external id), so even a
chunk replayed after a crash creates nothing twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.attachments import sha256_of
from portal.excel import TableError, count_rows, read_table
from portal.models import ImportJob, ImportRowError, ImportStatus, User
from portal.selectors import batch
from portal.tasks import run_import_job

log = logging.getLogger(__name__)
RESULTS = ("created", "updated", "unchanged")


# A handler: (rows, *, job, acting_user) -> per row, in order, "created" / "updated" / "unchanged" or the
# ValidationError that refused it (its messages keyed by column header or field).
RowsHandler = Callable[..., list]


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: Any
    handler: RowsHandler
    columns: list[str] = field(default_factory=list)  # headers of the template, in order
    allowed: Callable[[User], bool] = lambda user: True


IMPORT_KINDS: dict[str, ImportKind] = {}


def register_import_handler(
    key: str,
    handler: RowsHandler,
    *,
    label: Any,
    columns: list[str],
    allowed: Callable[[User], bool] | None = None,
) -> None:
    IMPORT_KINDS[key] = ImportKind(key, label, handler, columns, allowed or (lambda user: True))


def import_job_create(*, kind: str, file: UploadedFile, acting_user: User) -> ImportJob:
    """Store the upload and queue its import; refuses unknown kinds, roles without the right, bad files."""
    spec = IMPORT_KINDS.get(kind)
    if spec is None:
        raise ValidationError({"kind": _("Unknown import kind.")})
    if not spec.allowed(acting_user) or acting_user.organisation_id is None:
        raise ValidationError({"file": _("Your role may not import this kind of record.")})
    if file.size > settings.UPLOAD_MAX_BYTES * 10:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES * 10 // 2**20}}
        )
    try:
        total = count_rows(file)
    except (TableError, ValueError, KeyError, OSError) as exc:
        raise ValidationError({"file": _("The file cannot be read as .xlsx or .csv: %(e)s") % {"e": exc}}) from None
    if total == 0:
        raise ValidationError({"file": _("The file has no data rows.")})
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            organisation=acting_user.organisation,
            created_by=acting_user,
            filename=file.name[:200],
            sha256=sha256_of(file),
            total_rows=total,
        )
        job.file.save(file.name, file, save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    run_import_job.delay(job_id)


def import_job_run(job_id: int, *, resume: bool = False) -> ImportJob:
    """Run (or resume) an import. Safe to call twice: a finished job is left alone. `resume` is the
    running task's own retry after a lost database connection, so it takes the running job over."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ImportStatus.DONE:
            return job
        running_elsewhere = job.status == ImportStatus.RUNNING and not job.stalled and job.heartbeat_at is not None
        if running_elsewhere and not resume:
            return job  # another worker is on it (a duplicate delivery); it will finish the file
        job.status = ImportStatus.RUNNING
        job.heartbeat_at = timezone.now()
        job.started_at = job.started_at or timezone.now()
        job.failure_reason = ""
        job.save(update_fields=["status", "started_at", "failure_reason", "heartbeat_at"])
    spec = IMPORT_KINDS.get(job.kind)
    try:
        if spec is None:
            raise RuntimeError(f"no handler registered for {job.kind}")
        with job.file.open("rb") as fh:
            chunk: list[tuple[int, dict]] = []
            for number, row in read_table(fh):
                if number <= job.last_row_number:
                    continue  # committed before a crash: resume after it
                chunk.append((number, row))
                if len(chunk) >= settings.IMPORT_CHUNK_ROWS:
                    _run_chunk(job, spec, chunk)
                    chunk = []
            if chunk:
                _run_chunk(job, spec, chunk)
    except (OperationalError, InterfaceError):
        raise  # the database went away: the job stays running and its task retries (see run_import_job)
    except Exception as exc:
        log.exception("import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, failure_reason=str(exc)[:2000])
        raise
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _run_chunk(job: ImportJob, spec: ImportKind, chunk: list[tuple[int, dict]]) -> None:
    counts = dict.fromkeys(RESULTS, 0)
    with transaction.atomic(), batch():
        outcomes = spec.handler([row for _n, row in chunk], job=job, acting_user=job.created_by)
        # A row that failed before and passes now loses its error; one that fails has it (re)written.
        ImportRowError.objects.filter(job=job, row_number__in=[n for n, _r in chunk]).delete()
        failed = []
        for (number, row), outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, ValidationError):
                messages = outcome.message_dict if hasattr(outcome, "error_dict") else {"__all__": outcome.messages}
                data = {k: str(v) for k, v in row.items() if v is not None}
                failed.append(ImportRowError(job=job, row_number=number, messages=messages, data=data))
            else:
                counts[outcome if outcome in counts else "unchanged"] += 1
        ImportRowError.objects.bulk_create(failed)
        job.last_row_number = chunk[-1][0]
        job.heartbeat_at = timezone.now()
        job.processed_rows += len(chunk)
        job.created_count += counts["created"]
        job.updated_count += counts["updated"]
        job.unchanged_count += counts["unchanged"]
        job.error_count = ImportRowError.objects.filter(job=job).count()
        job.save(
            update_fields=[
                "last_row_number",
                "processed_rows",
                "created_count",
                "updated_count",
                "unchanged_count",
                "error_count",
                "heartbeat_at",
            ]
        )


def intake_outcomes(results, header_of: dict[str, str]) -> list:
    """A bulk intake's per-item results (`result`, `errors`) as a handler's answer: the outcome, or a
    ValidationError whose messages are keyed by the column headers the importer sees."""
    return [
        ValidationError({header_of.get(k, k): (v if isinstance(v, list) else [str(v)]) for k, v in r.errors.items()})
        if r.result == "error"
        else r.result
        for r in results
    ]


def one_row(rows_handler: RowsHandler, row: dict, *, job, acting_user) -> str:
    """A single row through a kind's handler: its result, or its ValidationError raised."""
    outcome = rows_handler([row], job=job, acting_user=acting_user)[0]
    if isinstance(outcome, ValidationError):
        raise outcome
    return outcome


def import_job_retry(*, job: ImportJob, acting_user: User) -> ImportJob:
    """Queue a failed or stalled job again; it resumes after the last committed chunk."""
    if job.status == ImportStatus.DONE:
        raise ValidationError(_("This import has finished."))
    if job.status == ImportStatus.RUNNING and not job.stalled:
        raise ValidationError(_("This import is running."))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job
