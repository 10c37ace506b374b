"""Writes of deliverables (报送材料): their due dates as tracked deadlines, one per utility in scope (or the
office, for a regulator's deliverable) and per occurrence of a recurring one."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Deliverable
from campaigns.selectors import DELIVERABLE_PREFIX, deliverable_occurrences, internal_date_of
from campaigns.services.common import MANAGED_BY_OFFICE, save
from portal.calendar import get_calendar
from portal.choices import DeadlineStatus, Party, SourceClass
from portal.deadlines import end_of_day, fixed_date_deadline
from portal.models import Organisation, TrackedDeadline, User
from portal.querysets import require_writable
from portal.services import deadline_cancel, deadline_meet, deadline_set


def deliverable_codes(deliverable: Deliverable, utilities: Iterable[Organisation]):
    """(code, utility, due date) of every tracked deadline of the deliverable."""
    dates = deliverable_occurrences(deliverable)
    targets = list(utilities) if deliverable.per_utility else [deliverable.campaign.owner]
    for org in targets:
        for d in dates:
            code = DELIVERABLE_PREFIX
            if deliverable.per_utility:
                code += f".{org.code}"
            if deliverable.is_recurring:
                code += f".{d:%Y%m%d}"
            yield code, org, d


def deliverable_track(deliverable: Deliverable, utilities: Iterable[Organisation]) -> int:
    """Track (or move) the deliverable's deadlines of `utilities`; an unchanged one is left as it is. The
    utility's internal date, when the deliverable has one, is the deadline's reminder instant (the sweep
    reminds at 24:00 of it): a reminder, never a violation."""
    cal = get_calendar()
    n = 0
    for code, org, d in deliverable_codes(deliverable, utilities):
        fixed = fixed_date_deadline(code, d, cal)
        existing = TrackedDeadline.objects.for_object(deliverable).filter(code=code).first()
        internal = internal_date_of(deliverable, d) if deliverable.per_utility else None
        if existing and existing.due == fixed.due:
            # unchanged (and possibly already met): only its reminder follows the internal date
            if internal and existing.status == DeadlineStatus.OPEN and existing.reminded_at is None:
                TrackedDeadline.objects.filter(pk=existing.pk).update(remind_at=end_of_day(internal))
            continue
        deadline_set(
            subject=deliverable,
            utility=org,
            code=code,
            label=f"{deliverable.campaign.short_title or deliverable.campaign.title}：{deliverable.title}",
            due=fixed.due,
            source_class=SourceClass.CAMPAIGN,
            start=min(fixed.start, timezone.now()),
        )
        if internal:
            TrackedDeadline.objects.for_object(deliverable).filter(code=code).update(remind_at=end_of_day(internal))
        n += 1
    return n


def deliverables_rest_day_refresh(dates: list) -> int:
    """Re-flag the deliverables due on changed calendar dates (a fixed date is never moved, only flagged)."""
    cal = get_calendar()
    changed = []
    for deliverable in Deliverable.objects.filter(due_date__in=dates).only("pk", "due_date", "due_on_rest_day"):
        rest = fixed_date_deadline("x", deliverable.due_date, cal).rest_day
        if rest != deliverable.due_on_rest_day:
            deliverable.due_on_rest_day = rest
            changed.append(deliverable)
    Deliverable.objects.bulk_update(changed, ["due_on_rest_day"])
    return len(changed)


@transaction.atomic
def deliverable_save(
    *, campaign: Campaign, acting_user: User, deliverable: Deliverable | None = None, **fields
) -> Deliverable:
    """Add or change a deliverable and track its due dates (fixed dates: 24:00 of the date, not moved
    off a rest day but flagged)."""
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    deliverable = deliverable or Deliverable(campaign=campaign)
    for k, v in fields.items():
        setattr(deliverable, k, v)
    if deliverable.due_date:
        deliverable.due_on_rest_day = fixed_date_deadline("x", deliverable.due_date, get_calendar()).rest_day
    else:
        deliverable.due_on_rest_day = False
    save(deliverable, acting_user)
    old = set(TrackedDeadline.objects.for_object(deliverable).open().values_list("code", flat=True))
    wanted = {c for c, *_r in deliverable_codes(deliverable, campaign.utilities.all())}
    if old - wanted:
        deadline_cancel(subject=deliverable, codes=old - wanted)
    deliverable_track(deliverable, campaign.utilities.all())
    return deliverable


@transaction.atomic
def deliverable_mark_done(
    *, deliverable: Deliverable, utility: Organisation, acting_user: User, at: datetime | None = None
) -> int:
    """Record that `utility` (or the office, for a regulator deliverable) handed the deliverable in."""
    at = at or timezone.now()
    codes = [code for code, org, _d in deliverable_codes(deliverable, [utility]) if org.pk == utility.pk]
    return deadline_meet(subject=deliverable, codes=codes, at=at)
