"""Writes of the shared core: tracked deadlines, the sweep that enforces them, violations, notifications.

Every function here runs in one transaction; domain apps call them from their own services.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from portal.attachments import sha256_of, validate_upload
from portal.calendar import get_calendar
from portal.choices import DeadlineStatus, Disposition, Party, SourceClass
from portal.deadlines import compute_deadline, fraction_instant
from portal.models import (
    SAVED_VIEW_PAGES,
    Attachment,
    Notification,
    Organisation,
    Rule,
    SavedView,
    TrackedDeadline,
    User,
    Violation,
)
from portal.models.attachments import attachment_path
from portal.querysets import models_with_own_rules, withheld_subjects
from portal.tasks import send_notification_emails

# Domain apps register what happens to their records when a deadline of theirs goes overdue
# (e.g. a rectification item is re-notified). Keyed by "app_label.model"; called with object ids.
OVERDUE_HANDLERS: dict[str, Callable[[list[int], datetime], None]] = {}


def register_overdue_handler(model: type[models.Model], handler: Callable[[list[int], datetime], None]) -> None:
    OVERDUE_HANDLERS[model._meta.label_lower] = handler


def remind_fraction() -> float:
    return float(getattr(settings, "DEADLINE_REMIND_FRACTION", 0.8))


@transaction.atomic
def deadline_track(
    *, subject: models.Model, utility: Organisation, rule: Rule, start: datetime, label: str = "", code: str = ""
) -> TrackedDeadline:
    """Create or recompute the deadline of `subject` under `rule` from `start` — tracked as `code` when one
    subject runs several clocks of the rule (the appeals of a ticket: `complaint.appeal.1`, `.2`), else as
    the rule's code.

    A deadline already met or cancelled is left as it is; an open or overdue one is recomputed
    (e.g. when the accepted instant is corrected), and reopened if its new due lies in the future.
    """
    result = compute_deadline(rule.spec(), start, get_calendar())
    ct = ContentType.objects.get_for_model(subject)
    code = code or rule.code
    existing = TrackedDeadline.objects.filter(content_type=ct, object_id=subject.pk, code=code).first()
    if existing and existing.status in (DeadlineStatus.MET, DeadlineStatus.MET_LATE, DeadlineStatus.CANCELLED):
        return existing
    obj = existing or TrackedDeadline(content_type=ct, object_id=subject.pk, code=code)
    obj.utility = utility
    obj.rule = rule
    obj.label = label or rule.title
    obj.source_class = rule.source_class
    obj.start = start
    obj.due = result.due
    obj.at_risk_at = result.at_risk
    obj.remind_at = fraction_instant(start, result.due, remind_fraction()) if result.due > start else None
    obj.provisional = result.provisional
    if obj.status == DeadlineStatus.OVERDUE and result.due > timezone.now():
        obj.status, obj.overdue_at = DeadlineStatus.OPEN, None
    obj.save()
    return obj


def deadline_values(*, utility_id: int, rule: Rule, start: datetime, result) -> dict:
    """The column values of an open deadline from a `compute_deadline` result (the caller computed it
    with one calendar for a whole batch): the bulk form of `deadline_track` for new records."""
    return {
        "utility_id": utility_id,
        "rule_id": rule.pk,
        "code": rule.code,
        "label": rule.title,
        "source_class": rule.source_class,
        "start": start,
        "due": result.due,
        "at_risk_at": result.at_risk,
        "remind_at": fraction_instant(start, result.due, remind_fraction()) if result.due > start else None,
        "provisional": result.provisional,
    }


@transaction.atomic
def deadline_set(
    *,
    subject: models.Model,
    utility: Organisation,
    code: str,
    label: str,
    due: datetime,
    source_class: str = SourceClass.REGULATOR_RULE,
    start: datetime | None = None,
) -> TrackedDeadline:
    """A deadline set by a person rather than computed from a rule (督办 internal deadlines, fixed dates)."""
    start = start or timezone.now()
    if timezone.is_naive(due):
        raise ValidationError({"due": _("The due time must include a time zone.")})
    ct = ContentType.objects.get_for_model(subject)
    obj, _created = TrackedDeadline.objects.update_or_create(
        content_type=ct,
        object_id=subject.pk,
        code=code,
        defaults={
            "utility": utility,
            "rule": None,
            "label": label,
            "source_class": source_class,
            "start": start,
            "due": due,
            "at_risk_at": None,
            "provisional": False,
            "status": DeadlineStatus.OPEN,
            "remind_at": fraction_instant(start, due, remind_fraction()) if due > start else None,
            "overdue_at": None,
            "met_at": None,
            "reminded_at": None,
        },
    )
    return obj


@transaction.atomic
def deadline_meet(*, subject: models.Model, codes: Iterable[str], at: datetime) -> int:
    """Mark the subject's deadlines `codes` as met at `at` (on time if `at` <= due). Returns rows changed."""
    qs = TrackedDeadline.objects.for_object(subject).filter(
        code__in=list(codes), status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE]
    )
    on_time = qs.filter(due__gte=at).update(status=DeadlineStatus.MET, met_at=at)
    late = qs.filter(due__lt=at).update(status=DeadlineStatus.MET_LATE, met_at=at)
    return on_time + late


@transaction.atomic
def deadline_reopen(*, subject: models.Model, codes: Iterable[str]) -> int:
    """Undo 'met' (e.g. a ticket reopened): the deadline counts again from its original due."""
    now = timezone.now()
    qs = TrackedDeadline.objects.for_object(subject).filter(
        code__in=list(codes), status__in=[DeadlineStatus.MET, DeadlineStatus.MET_LATE]
    )
    n = qs.filter(due__gte=now).update(status=DeadlineStatus.OPEN, met_at=None)
    # Past due: the sweep will mark them overdue (and record the violation once) on its next run.
    n += qs.filter(due__lt=now).update(status=DeadlineStatus.OPEN, met_at=None)
    return n


@transaction.atomic
def deadline_cancel(*, subject: models.Model, codes: Iterable[str] | None = None) -> int:
    qs = TrackedDeadline.objects.for_object(subject).filter(status=DeadlineStatus.OPEN)
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return qs.update(status=DeadlineStatus.CANCELLED)


def notify(
    *,
    organisations: Iterable[Organisation],
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    level: str = "info",
) -> list[Notification]:
    """Send an in-app notification (and e-mail) to each organisation once per `key`. One that names a
    record (`target`) goes only to the organisations that may see it: an organisation from which the
    record's app withholds it (a 12398 item not yet forwarded, for the utility) gets no notification and
    no e-mail about it."""
    orgs = {o.pk: o for o in organisations}
    if target is not None and orgs and target._meta.concrete_model in models_with_own_rules():
        ct_id = ContentType.objects.get_for_model(target).pk
        # Loaded here: callers may pass bare Organisation(pk=…) objects, and the rule may read the kind.
        hidden = withheld_subjects(list(Organisation.objects.in_bulk(list(orgs)).values()), [(ct_id, target.pk)])
        orgs = {pk: o for pk, o in orgs.items() if not hidden.get(pk)}
    if not orgs:
        return []
    already = set(
        Notification.objects.filter(organisation_id__in=orgs, key=key).values_list("organisation_id", flat=True)
    )
    ct = ContentType.objects.get_for_model(target) if target is not None else None
    rows = [
        Notification(
            organisation_id=pk,
            key=key,
            subject=subject[:200],
            body=body,
            url=url,
            level=level,
            content_type=ct,
            object_id=target.pk if target is not None else None,
            emailed_at=timezone.now(),  # e-mailed now, one by one (the sweep's deadlines go in daily digests)
        )
        for pk in orgs
        if pk not in already
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [(n.organisation_id, n.key) for n in created]
    if keys:
        transaction.on_commit(lambda: send_notification_emails.delay(keys))
    return created


def deadlines_sweep(*, now: datetime | None = None, batch: int = 20000) -> dict[str, int]:
    """Mark deadlines that crossed their due as overdue, record one violation each, remind those
    past their reminder instant, and notify the responsible utility and its supervising regulators.

    Reads only rows past a line through partial indexes, so its cost follows the crossings, not the
    open deadlines. State-based, not event-based: a sweep that runs late (broker down) catches up,
    and one that runs twice marks nothing twice.
    """
    now = now or timezone.now()
    counts = {"overdue": 0, "reminded": 0, "violations": 0}
    while True:
        with transaction.atomic():
            ids = list(
                TrackedDeadline.objects.filter(status=DeadlineStatus.OPEN, due__lt=now)
                .order_by("due")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                break
            # select_for_update would also work; the status guard makes a concurrent sweep harmless.
            changed = TrackedDeadline.objects.filter(id__in=ids, status=DeadlineStatus.OPEN).update(
                status=DeadlineStatus.OVERDUE, overdue_at=now
            )
            rows = list(
                TrackedDeadline.objects.filter(id__in=ids, overdue_at=now).values(
                    "id",
                    "content_type_id",
                    "object_id",
                    "utility_id",
                    "rule_id",
                    "code",
                    "source_class",
                    "due",
                    "label",
                )
            )
            recorded = _violations_for_overdue(ids, now)
            counts["overdue"] += changed
            counts["violations"] += recorded
            _dispatch_overdue(rows, now)
            _notify_crossings(rows, now, kind="overdue")
    with transaction.atomic():
        due_reminders = list(
            TrackedDeadline.objects.filter(status=DeadlineStatus.OPEN, reminded_at__isnull=True, remind_at__lte=now)
            # Ordered by the partial index's own column: the model's default (due) made PostgreSQL walk
            # every open deadline (1.6 s at two million) instead of the few past their reminder.
            .order_by("remind_at")
            .values("id", "content_type_id", "object_id", "utility_id", "code", "due", "label")[:batch]
        )
        if due_reminders:
            counts["reminded"] = TrackedDeadline.objects.filter(
                id__in=[r["id"] for r in due_reminders], reminded_at__isnull=True
            ).update(reminded_at=now)
            _notify_crossings(due_reminders, now, kind="reminder")
    return counts


def _violations_for_overdue(ids: list[int], now: datetime) -> int:
    """One violation per deadline of `ids` that this sweep marked overdue, inserted by the database in
    one statement (INSERT … SELECT): no row travels to Python and back. A violation already recorded
    for the record and rule is kept (ON CONFLICT DO NOTHING on `violation_once_per_rule`)."""
    pg = connection.vendor == "postgresql"
    shortfall = (
        "CAST(EXTRACT(EPOCH FROM (%s - due)) AS BIGINT)"
        if pg
        else "CAST(ROUND((julianday(%s) - julianday(due)) * 86400) AS INTEGER)"
    )
    chosen = "id = ANY(%s)" if pg else "id IN (SELECT value FROM json_each(%s))"
    columns = (
        "utility_id, content_type_id, object_id, deadline_id, rule_id, code, source_class, occurred_at,"
        " shortfall_seconds, description, disposition, disposition_reason, created_at"
    )
    values = "utility_id, content_type_id, object_id, id, rule_id, code, source_class, due"
    target, source = Violation._meta.db_table, TrackedDeadline._meta.db_table
    sql = (
        f"INSERT INTO {target} ({columns}) SELECT {values}, {shortfall}, SUBSTR(label, 1, 300), %s, '', %s"  # noqa: S608
        f" FROM {source} WHERE {chosen} AND status = %s AND overdue_at = %s ON CONFLICT DO NOTHING"
    )
    at = connection.ops.adapt_datetimefield_value(now)  # as the ORM stored overdue_at
    params = [at, Disposition.PENDING, at, ids if pg else json.dumps(ids), DeadlineStatus.OVERDUE, at]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _dispatch_overdue(rows: list[dict], now: datetime) -> None:
    by_ct: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        by_ct[r["content_type_id"]].append(r["object_id"])
    for ct_id, object_ids in by_ct.items():
        ct = ContentType.objects.get_for_id(ct_id)
        handler = OVERDUE_HANDLERS.get(f"{ct.app_label}.{ct.model}")
        if handler:
            handler(object_ids, now)


def _notify_crossings(rows: list[dict], now: datetime, *, kind: str) -> None:
    """One digest per organisation and sweep: the utility and every regulator supervising it."""
    by_utility: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_utility[r["utility_id"]].append(r)
    utilities = Organisation.objects.in_bulk(list(by_utility))
    recipients: dict[int, list[dict]] = defaultdict(list)
    for uid, items in by_utility.items():
        recipients[uid].extend(items)
        for reg in Organisation.objects.supervising(utilities[uid]).only("id", "kind"):
            recipients[reg.pk].extend(items)
            utilities.setdefault(reg.pk, reg)
    # A digest counts and names only what its reader may see: the deadlines of a subject withheld from
    # an organisation (a 12398 item not yet forwarded, for the utility) are left out of its digest.
    hidden = withheld_subjects(
        [utilities[pk] for pk in recipients], [(r["content_type_id"], r["object_id"]) for r in rows]
    )
    day = timezone.localtime(now).date().isoformat()
    visible: dict[int, list[dict]] = {}
    for org_id, all_items in recipients.items():
        items = [r for r in all_items if (r["content_type_id"], r["object_id"]) not in hidden[org_id]]
        if items:
            # A digest names at most DIGEST_NAMED records (the earliest due): only those are looked up.
            visible[org_id] = sorted(items, key=lambda r: r["due"])
    names = _record_names([r for items in visible.values() for r in items[:DIGEST_NAMED]])
    for org_id, items in visible.items():
        entries = []
        for r in items[:DIGEST_NAMED]:
            record, url = names.get((r["content_type_id"], r["object_id"]), ("", ""))
            utility = utilities.get(r["utility_id"])
            entries.append(
                {
                    "id": r["id"],
                    "record": record,
                    "utility": utility.name if utility is not None else "",
                    "label": r["label"] or r["code"],
                    "due": r["due"].isoformat(),
                    "url": url,
                    "emailed": False,
                }
            )
        _digest_add(org_id, kind, day, entries, count=len(items))


def _record_names(rows: list[dict]) -> dict[tuple[int, int], tuple[str, str]]:
    """(content type, id) → (what the record is called, where it opens), read once per kind of record
    through the model registry (the core names no app): its `str()` and `get_absolute_url()`."""
    by_ct: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        by_ct[r["content_type_id"]].add(r["object_id"])
    out = {}
    for ct_id, ids in by_ct.items():
        ct = ContentType.objects.get_for_id(ct_id)
        model = ct.model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
            out[(ct_id, pk)] = (f"{model._meta.verbose_name} {obj}", url)
    return out


def _local(iso: str) -> str:
    return f"{timezone.localtime(datetime.fromisoformat(iso)):%Y-%m-%d %H:%M}"


DIGEST_NAMED = 200  # records a digest names; it counts them all


def _digest_add(org_id: int, kind: str, day: str, entries: list[dict], *, count: int) -> Notification:
    """The organisation's digest of `kind` for `day`: made at the first crossing, appended to by later
    sweeps (a deadline named once), unread again when it grows; e-mailed in batches, never per deadline.
    `entries`: the first of this sweep's `count` records, named."""
    key = f"{kind}:{day}"
    note, _created = Notification.objects.select_for_update().get_or_create(
        organisation_id=org_id,
        key=key,
        defaults={
            "level": "danger" if kind == "overdue" else "warning",
            "url": reverse("worklist"),
        },
    )
    known = {i.get("id") for i in note.items}
    fresh = [e for e in entries if e["id"] not in known]
    if not fresh and not _created:
        return note
    # The sweep marks a deadline overdue (or reminded) once: a record beyond the named ones is never counted
    # twice. Rewriting every record of the day into one row at each sweep was quadratic in a backlog.
    note.total += count - (len(entries) - len(fresh))
    room = max(0, DIGEST_NAMED - len(note.items))
    note.items = sorted(note.items + fresh[:room], key=lambda i: i["due"])  # the earliest due first
    n = note.total
    if kind == "overdue":
        note.subject = _("%(n)d deadline(s) went overdue") % {"n": n}
    else:
        note.subject = _("%(n)d deadline(s) due soon") % {"n": n}
    lines = [f"{i['record']} · {i['utility']} · {i['label']}: {_local(i['due'])}" for i in note.items[:20]]
    if n > 20:
        lines.append(_("… and %(n)d more") % {"n": n - 20})
    note.body = "\n".join(lines)
    note.read_at = None
    note.emailed_at = None
    note.save()
    return note


@transaction.atomic
def violation_record(
    *,
    subject: models.Model,
    utility: Organisation,
    rule: Rule | None,
    code: str,
    source_class: str,
    occurred_at: datetime,
    shortfall: timedelta,
    description: str = "",
) -> Violation:
    """Record that `subject` broke `code` (idempotent: one violation per record and rule)."""
    ct = ContentType.objects.get_for_model(subject)
    obj, _created = Violation.objects.get_or_create(
        content_type=ct,
        object_id=subject.pk,
        code=code,
        defaults={
            "utility": utility,
            "rule": rule,
            "source_class": source_class,
            "occurred_at": occurred_at,
            "shortfall_seconds": max(0, int(shortfall.total_seconds())),
            "description": description[:300],
        },
    )
    return obj


@transaction.atomic
def violation_withdraw(*, subject: models.Model, code: str) -> int:
    """Remove a pending violation that a later correction shows never happened (e.g. notice re-dated)."""
    ct = ContentType.objects.get_for_model(subject)
    deleted, _ = Violation.objects.filter(
        content_type=ct, object_id=subject.pk, code=code, disposition=Disposition.PENDING
    ).delete()
    return deleted


@transaction.atomic
def violation_dispose(*, violation: Violation, disposition: str, reason: str, acting_user: User) -> Violation:
    """A regulator confirms or excuses a violation; excusing needs a reason."""
    if not acting_user.is_regulator:
        raise ValidationError(_("Only regulator staff dispose of violations."))
    if disposition not in (Disposition.CONFIRMED, Disposition.EXCUSED):
        raise ValidationError({"disposition": _("Choose confirmed or excused.")})
    if disposition == Disposition.EXCUSED and not reason.strip():
        raise ValidationError({"reason": _("Excusing a violation needs a reason.")})
    violation.disposition = disposition
    violation.disposition_reason = reason
    violation.disposed_by = acting_user
    violation.disposed_at = timezone.now()
    violation._history_user = acting_user
    violation.save()
    return violation


@transaction.atomic
def violations_dispose_bulk(*, ids: Iterable[int], disposition: str, reason: str, acting_user: User) -> int:
    """A regulator confirms or excuses many pending violations at once with one reason (issue 20): set-based,
    one history row per violation (who, when, the reason as the change reason). Only pending violations the
    user may judge are touched; the number disposed is returned."""
    if not acting_user.is_regulator:
        raise ValidationError(_("Only regulator staff dispose of violations."))
    if disposition not in (Disposition.CONFIRMED, Disposition.EXCUSED):
        raise ValidationError({"disposition": _("Choose confirmed or excused.")})
    if disposition == Disposition.EXCUSED and not reason.strip():
        raise ValidationError({"reason": _("Excusing a violation needs a reason.")})
    now = timezone.now()
    chosen = list(
        Violation.objects.writable_by(acting_user, Party.REGULATOR)
        .filter(pk__in=list(ids), disposition=Disposition.PENDING)
        .select_for_update()
    )
    for violation in chosen:
        violation.disposition = disposition
        violation.disposition_reason = reason
        violation.disposed_by = acting_user
        violation.disposed_at = now
    bulk_update_with_history(
        chosen,
        Violation,
        ["disposition", "disposition_reason", "disposed_by", "disposed_at"],
        default_user=acting_user,
        default_change_reason=reason[:100],
        default_date=now,
    )
    return len(chosen)


@transaction.atomic
def attachment_add(*, owner: models.Model, utility: Organisation, file, acting_user: User, description: str = ""):
    """Attach an uploaded file to `owner` after checking its real type and size.

    The same content attached twice to one record is refused with "already attached as …" (code
    `duplicate`), naming the earlier file: silently answering with the first attachment would drop the
    new name and description while the sender believes them saved."""
    mime, ext = validate_upload(file)
    digest = sha256_of(file)
    ct = ContentType.objects.get_for_model(owner)
    existing = Attachment.objects.filter(content_type=ct, object_id=owner.pk, sha256=digest).first()
    if existing:
        raise ValidationError(
            _("This file is already attached to the record as “%(name)s”.") % {"name": existing.original_name},
            code="duplicate",
        )
    attachment = Attachment(
        content_type=ct,
        object_id=owner.pk,
        utility=utility,
        original_name=(file.name or "file")[:200],
        mime_type=mime,
        extension=ext,
        size=file.size,
        sha256=digest,
        description=description[:200],
        uploaded_by=acting_user,
    )
    path = attachment_path(attachment, file.name)
    if default_storage.exists(path):
        attachment.file.name = path  # content-addressed: the same bytes are stored once
    else:
        attachment.file.save(path, file, save=False)
    attachment._history_user = acting_user
    attachment.save()
    return attachment


# --------------------------------------------------------------------------- saved views (issue 20)

VIEW_QUERY_DROPPED = {"before", "n", "page", "csrfmiddlewaretoken"}  # a position, not a filter


def saved_view_query(params) -> str:
    """The filters and sort of a list's query string, without its page position."""
    kept = [(k, v) for k, values in params.lists() if k not in VIEW_QUERY_DROPPED for v in values if v != ""]
    return urlencode(kept)[:1000]


@transaction.atomic
def saved_view_save(*, acting_user: User, page: str, name: str, query: str, shared: bool) -> SavedView:
    """Save (or overwrite, by name) the user's view of a list page; shared: everyone of their organisation."""
    if page not in SAVED_VIEW_PAGES:
        raise ValidationError({"page": _("This page cannot be saved as a view.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    view, _created = SavedView.objects.update_or_create(
        owner=acting_user,
        page=page,
        name=name[:60],
        defaults={"query": query[:1000], "shared": shared, "organisation": acting_user.organisation},
    )
    return view


def saved_view_delete(*, view: SavedView, acting_user: User) -> None:
    if view.owner_id != acting_user.pk:
        raise PermissionDenied(_("Only its owner deletes a saved view."))
    view.delete()
