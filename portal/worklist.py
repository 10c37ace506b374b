"""我的待办: what a person has to do next, gathered from every app through one registry.

The portal core never imports a domain app: each app registers the kinds of work it knows about in its
`AppConfig.ready()` (`register_work_kind`), with a function that returns, for a user, the queryset of the
records waiting on them and how to show one. The home page's counts and the worklist page read the same
querysets, so a count always agrees with the list it opens.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import DateField, DateTimeField, F, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import Disposition, Party
from portal.models import Violation
from portal.querysets import acts_as


@dataclass
class WorkItem:
    """One thing to do: the record it is about, when it is due, its state and the one action to take."""

    kind: str
    record: str  # names the record: number and title
    utility: str
    due: datetime | None
    state: str
    action: str
    url: str

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.now()


@dataclass
class WorkSource:
    """The records of one kind waiting on a user: `queryset`, ordered by `due_field`, shown by `item`."""

    queryset: QuerySet
    due_field: str
    item: Callable[[object], WorkItem]
    dated: bool = True  # False: `due_field` only orders the items (nothing of this kind falls due)


@dataclass
class WorkKind:
    key: str
    label: str
    order: int
    source: Callable[[object], WorkSource | None]


_KINDS: dict[str, WorkKind] = {}


def register_work_kind(key: str, label, source: Callable[[object], WorkSource | None], order: int = 50) -> None:
    """Called from an app's `AppConfig.ready()`: `source(user)` gives the records of kind `key` waiting on
    `user` (None when the kind never applies to them)."""
    _KINDS[key] = WorkKind(key=key, label=label, order=order, source=source)


def work_kinds() -> list[WorkKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def _ordered(source: WorkSource) -> QuerySet:
    return source.queryset.order_by(F(source.due_field).asc(nulls_last=True), "pk")


def _cutoff(source: WorkSource, now: datetime):
    """`now` as the due field reads it: a date field (due at the end of its day) is past due from the next day."""
    field = source.queryset.model._meta.get_field(source.due_field)
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        return timezone.localdate(now)
    return now


def end_of_day(day) -> datetime:
    """The instant a date-only due date ends (23:59:59 Asia/Shanghai), for showing it beside instants."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@dataclass
class WorkCount:
    kind: WorkKind
    count: int
    overdue: int


def work_counts(user) -> list[WorkCount]:
    """Per kind that applies to `user`: how many items, and how many of them past due."""
    now = timezone.now()
    out = []
    for kind in work_kinds():
        source = kind.source(user)
        if source is None:
            continue
        qs = source.queryset.order_by()
        overdue = qs.filter(**{f"{source.due_field}__lt": _cutoff(source, now)}).count() if source.dated else 0
        out.append(WorkCount(kind=kind, count=qs.count(), overdue=overdue))
    return out


def work_items(
    user, kind: str | None = None, limit: int = 200, per_kind: int | None = None
) -> tuple[list[WorkItem], int]:
    """The items waiting on `user` (of one kind, or all), earliest due first, at most `limit` (and at most
    `per_kind` of each kind: the home page shows the most urgent of every kind, so a week-old ticket
    backlog does not hide an overdue report); and their total. Undated items come last."""
    items: list[WorkItem] = []
    total = 0
    for k in work_kinds():
        if kind and k.key != kind:
            continue
        source = k.source(user)
        if source is None:
            continue
        qs = _ordered(source)
        total += qs.count()
        items.extend(source.item(obj) for obj in qs[: min(limit, per_kind or limit)])
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda i: i.due or far)
    return items[:limit], total


def violations_source(user) -> WorkSource | None:
    if not acts_as(user, Party.REGULATOR) or getattr(user, "is_superuser", False):
        return None
    qs = Violation.objects.visible_to(user).filter(disposition=Disposition.PENDING).select_related("utility", "rule")
    url = reverse("violations") + "?disposition=pending"

    def item(v) -> WorkItem:
        rule = v.rule.title if v.rule_id else v.code
        return WorkItem(
            kind="violation",
            record=f"{v.content_type.name} #{v.object_id} · {rule}",
            utility=str(v.utility),
            due=None,
            state=_("Pending review since %(when)s")
            % {"when": formats.date_format(timezone.localtime(v.occurred_at), "Y-m-d H:i")},
            action=str(_("Decide")),
            url=url,
        )

    return WorkSource(queryset=qs.select_related("content_type"), due_field="occurred_at", item=item, dated=False)
