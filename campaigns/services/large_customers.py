"""Writes of large customers (大电力客户, seed 002 第五篇): the register, inspection visits and the periods in which
each customer is owed one, hazard notices (`HAZARD_WORKFLOW`) and the periodic filing to the government
(`FILING_WORKFLOW`). Every clock is a rule of the catalogue, tracked on the record it concerns and judged by the
shared sweep (`portal.services.deadlines_sweep`); nothing here runs on a timer of its own.

- **Cycle** (第十九条(一)(二)): a customer is owed an inspection within the cycle of the shortest
  `large_customer.inspection.cycle.*` rule whose params apply to it (a rule applies when the customer meets
  any of its conditions: `min_voltage_kv`, `importance`, `high_risk`), counted from its last inspection (or its
  registration). Each cycle is an `InspectionDue`; an inspection meets every open cycle begun on or before
  its date and opens the next one from that date. Missed, the sweep records the violation of that rule; the
  late inspection meets it late.
- **Windows** (第十九条(三)): every active customer is owed a spring and an autumn inspection each year, within
  the window the rule's params name (`opens`, `closes`); a window not met when it closes is a violation of
  its rule. The next year's window is opened when this one is met or goes overdue.
- **Hazard notices** (第十八条): issued from an inspection with a number unique per utility and year; the
  deadline on the notice is tracked by `large_customer.hazard.rectify`; overdue (the sweep), the notice is
  owed a re-notice and re-filing within `large_customer.hazard.renotice`.
- **Filing** (第十八条(四)): each utility with large customers files periodically (`large_customer.filing.periodic`,
  quarterly by default), counted from its previous filing; a filing freezes the open and overdue notices.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import large_customer_forms as forms
from campaigns.large_customer_choices import (
    CYCLE_PREFIX,
    FILING_RULE,
    HAZARD_RENOTICE_RULE,
    HAZARD_RULE,
    SEASON_RULES,
    DueKind,
    DueStatus,
    FilingStatus,
    HazardStatus,
    LargeCustomerStatus,
    Season,
)
from campaigns.models import GovernmentFiling, HazardNotice, InspectionDue, LargeCustomer, LargeCustomerInspection
from campaigns.services.common import save
from portal.choices import Party
from portal.deadlines import SHANGHAI, end_of_day, local_date
from portal.models import Organisation, Rule, User
from portal.querysets import require_writable
from portal.selectors import rule_for_code, rules_in_force
from portal.services import (
    attachment_add,
    deadline_cancel,
    deadline_meet,
    deadline_reopen,
    deadline_track,
    notify,
)
from portal.tracking import late_violations
from portal.workflow import Move, Step, Workflow

MAINTAINED_BY_UTILITY = gettext_lazy("Only the utility itself (or its parent company) maintains its large customers.")
CUSTOMER_FIELDS = (
    "name",
    "account_number",
    "importance",
    "voltage_kv",
    "source_count",
    "sources",
    "high_risk",
    "security_load_kw",
    "emergency_capacity_kw",
    "government_designation",
    "emergency_plan_on_file",
    "registered_on",
    "last_inspected_on",
    "status",
    "source",
    "external_id",
)
OPEN_NOTICE = frozenset({HazardStatus.ISSUED, HazardStatus.SIGNED, HazardStatus.OVERDUE, HazardStatus.RENOTICED})


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _today() -> date:
    return local_date(timezone.now())


def _met_at(day: date) -> datetime:
    """The instant a thing done on `day` counts as done: the end of that day, never in the future."""
    return min(timezone.now(), end_of_day(day))


# --------------------------------------------------------------------------- which rule, which window


def cycle_applies(rule: Rule, customer: LargeCustomer) -> bool:
    """Whether the cycle `rule` applies to `customer`: it meets any condition the rule's params name."""
    params = rule.params or {}
    if "min_voltage_kv" in params and customer.voltage_kv >= Decimal(str(params["min_voltage_kv"])):
        return True
    if customer.importance in params.get("importance", ()):
        return True
    return bool(params.get("high_risk")) and customer.high_risk


def cycle_rule(customer: LargeCustomer, on: date) -> Rule | None:
    """The shortest cycle in force on `on` that applies to `customer` (None: no cycle applies)."""
    found = rules_in_force(prefix=CYCLE_PREFIX, on=on, province_id=customer.utility.province_id)
    by_code: dict[str, Rule] = {}
    for rule in sorted(found, key=lambda r: (r.jurisdiction_id is not None, r.effective_from)):
        by_code[rule.code] = rule  # a provincial version wins over the national one
    applicable = [r for r in by_code.values() if cycle_applies(r, customer)]
    return min(applicable, key=lambda r: (r.value, r.code), default=None)


def _month_day(text: str, year: int) -> date:
    month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


def window(kind: str, year: int, province_id: int | None) -> tuple[Rule, date, date]:
    """The rule of the spring or autumn window and its opening and (nominal) closing day in `year`."""
    rule = rule_for_code(SEASON_RULES[kind], on=date(year, 1, 1), province_id=province_id)
    return rule, _month_day(rule.params["opens"], year), _month_day(rule.params["closes"], year)


# --------------------------------------------------------------------------- the periods owed


def _track(due: InspectionDue, rule: Rule) -> None:
    deadline_track(
        subject=due,
        utility=due.utility,
        rule=rule,
        start=_midnight(due.starts_on),
        label=f"{due.customer.name}：{rule.title}"[:200],
    )


def _open_cycle(customer: LargeCustomer, starts_on: date, user: User | None) -> InspectionDue | None:
    rule = cycle_rule(customer, starts_on)
    if rule is None:
        return None
    due = InspectionDue.objects.filter(customer=customer, kind=DueKind.CYCLE, starts_on=starts_on).first()
    if due is None:
        due = InspectionDue(
            customer=customer, utility=customer.utility, kind=DueKind.CYCLE, code=rule.code, starts_on=starts_on
        )
        save(due, user)
    if due.status == DueStatus.OPEN:
        _track(due, rule)
    return due


def _open_window(customer: LargeCustomer, kind: str, year: int, user: User | None) -> InspectionDue | None:
    try:
        rule, opens, _closes = window(kind, year, customer.utility.province_id)
    except Rule.DoesNotExist:
        return None
    due = InspectionDue.objects.filter(customer=customer, kind=kind, starts_on=opens).first()
    if due is None:
        due = InspectionDue(customer=customer, utility=customer.utility, kind=kind, code=rule.code, starts_on=opens)
        save(due, user)
        _track(due, rule)
    return due


def _open_windows_from(customer: LargeCustomer, day: date, user: User | None) -> None:
    """The first spring and the first autumn window that close on or after `day`."""
    for kind in (DueKind.SPRING, DueKind.AUTUMN):
        for year in (day.year, day.year + 1):
            try:
                _rule, _opens, closes = window(kind, year, customer.utility.province_id)
            except Rule.DoesNotExist:
                continue
            if closes >= day:
                _open_window(customer, kind, year, user)
                break


def _cancel_open(customer: LargeCustomer, user: User | None) -> None:
    for due in customer.dues.filter(status=DueStatus.OPEN):
        due.status = DueStatus.CANCELLED
        save(due, user, "close")
        deadline_cancel(subject=due)


def _meet(due: InspectionDue, inspection: LargeCustomerInspection, user: User | None) -> None:
    due.status, due.met_by = DueStatus.MET, inspection
    save(due, user, f"inspected {inspection.inspected_on}")
    deadline_meet(subject=due, codes=[due.code], at=_met_at(inspection.inspected_on))
    late_violations(due)  # inspected after the due: judged now, as the sweep would have


def _ensure_filing(utility: Organisation, day: date, user: User | None) -> None:
    if GovernmentFiling.objects.filter(utility=utility, status=FilingStatus.DUE).exists():
        return
    try:
        rule = rule_for_code(FILING_RULE, on=day, province_id=utility.province_id)
    except Rule.DoesNotExist:  # a day before the filing rule was in force: nothing is owed from it
        return
    filing, _created = GovernmentFiling.objects.get_or_create(utility=utility, period_start=day)
    if filing.status == FilingStatus.DUE:
        deadline_track(
            subject=filing, utility=utility, rule=rule, start=_midnight(day), label=f"{utility.name}：{rule.title}"
        )


# --------------------------------------------------------------------------- the register


def _check_customer(customer: LargeCustomer) -> None:
    errors = {}
    today = _today()
    if customer.registered_on and customer.registered_on > today:
        errors["registered_on"] = _("The date lies in the future.")
    if customer.last_inspected_on and (
        customer.last_inspected_on > today
        or (customer.registered_on and customer.last_inspected_on > customer.registered_on)
    ):
        errors["last_inspected_on"] = _("Give the last inspection before the customer was registered.")
    if customer.emergency_capacity_kw is not None and customer.security_load_kw is None:
        errors["security_load_kw"] = _("Give the security load the emergency supply is judged against.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def large_customer_register(*, utility: Organisation, acting_user: User, **fields) -> LargeCustomer:
    """A customer on `utility`'s register; its first cycle, the next spring and autumn windows and (for the
    utility) the periodic filing start tracking at once."""
    if not utility.is_utility:
        raise ValidationError({"utility": _("Large customers are registered by a utility.")})
    if not Organisation.objects.writable_by(acting_user, Party.UTILITY).filter(pk=utility.pk).exists():
        raise PermissionDenied(MAINTAINED_BY_UTILITY)
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    fields.setdefault("registered_on", _today())
    customer = LargeCustomer(utility=utility, **fields)
    _check_customer(customer)
    save(customer, acting_user, "registered")
    if customer.status == LargeCustomerStatus.ACTIVE:
        _start_tracking(customer, acting_user)
    return customer


def _start_tracking(customer: LargeCustomer, user: User | None) -> None:
    _open_cycle(customer, customer.last_inspected_on or customer.registered_on, user)
    _open_windows_from(customer, customer.registered_on, user)
    _ensure_filing(customer.utility, customer.registered_on, user)


@transaction.atomic
def large_customer_update(*, customer: LargeCustomer, acting_user: User, **fields) -> LargeCustomer:
    """Change the register entry. A change of class, voltage or the high-risk flag puts the open cycle under
    the rule that applies now (from the same start); closing stops every period owed; reopening starts afresh
    from today."""
    require_writable(acting_user, customer, Party.UTILITY, MAINTAINED_BY_UTILITY)
    customer = LargeCustomer.objects.select_for_update().get(pk=customer.pk)
    before = customer.status
    for name, value in fields.items():
        if name not in CUSTOMER_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(customer, name, value)
    _check_customer(customer)
    save(customer, acting_user, "updated")
    if customer.status == LargeCustomerStatus.CLOSED and before != LargeCustomerStatus.CLOSED:
        _cancel_open(customer, acting_user)
    elif customer.status == LargeCustomerStatus.ACTIVE and before == LargeCustomerStatus.CLOSED:
        today = _today()
        _open_cycle(customer, today, acting_user)
        _open_windows_from(customer, today, acting_user)
        _ensure_filing(customer.utility, today, acting_user)
    else:
        for due in customer.dues.filter(kind=DueKind.CYCLE, status=DueStatus.OPEN):
            rule = cycle_rule(customer, due.starts_on)
            if rule is None or rule.code != due.code:
                deadline_cancel(subject=due, codes=[due.code])
                if rule is None:
                    due.status = DueStatus.CANCELLED
                else:
                    due.code = rule.code
                save(due, acting_user, "cycle rule changed")
                if rule is not None:
                    _track(due, rule)
    return customer


@transaction.atomic
def emergency_plan_attach(*, customer: LargeCustomer, file, acting_user: User) -> LargeCustomer:
    """The outage emergency plan (第二十三条) on file: the file is kept with the customer."""
    require_writable(acting_user, customer, Party.UTILITY, MAINTAINED_BY_UTILITY)
    try:
        attachment = attachment_add(
            owner=customer, utility=customer.utility, file=file, acting_user=acting_user, description="应急预案"
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    customer.emergency_plan, customer.emergency_plan_on_file = attachment, True
    save(customer, acting_user, "emergency plan filed")
    return customer


# --------------------------------------------------------------------------- inspections


@transaction.atomic
def large_customer_inspect(
    *,
    customer: LargeCustomer,
    inspected_on: date,
    inspector: str,
    season: str,
    acting_user: User,
    findings: str = "",
) -> LargeCustomerInspection:
    """Record an inspection visit. It meets every open cycle begun on or before its date (and opens the next
    from it); a spring or autumn inspection meets that year's window (late when after it closed; refused
    before it opens)."""
    require_writable(acting_user, customer, Party.UTILITY, MAINTAINED_BY_UTILITY)
    customer = LargeCustomer.objects.select_for_update().select_related("utility").get(pk=customer.pk)
    if customer.status != LargeCustomerStatus.ACTIVE:
        raise ValidationError({"customer": _("The customer is closed on the register.")})
    if inspected_on > _today():
        raise ValidationError({"inspected_on": _("The date lies in the future.")})
    windowed = season in (Season.SPRING, Season.AUTUMN)
    if windowed:
        try:
            _rule, opens, _closes = window(season, inspected_on.year, customer.utility.province_id)
        except Rule.DoesNotExist:  # no window in force that year (before the rule): a visit like any other
            windowed = False
    if windowed and inspected_on < opens:
        raise ValidationError(
            {"inspected_on": _("The window of this inspection opens on %(day)s.") % {"day": opens.isoformat()}}
        )
    inspection = LargeCustomerInspection(
        customer=customer,
        utility=customer.utility,
        inspected_on=inspected_on,
        inspector=inspector,
        season=season,
        findings=findings,
    )
    save(inspection, acting_user)
    for due in customer.dues.filter(kind=DueKind.CYCLE, status=DueStatus.OPEN, starts_on__lte=inspected_on):
        _meet(due, inspection, acting_user)
    if not customer.dues.filter(kind=DueKind.CYCLE, status=DueStatus.OPEN).exists():
        _open_cycle(customer, inspected_on, acting_user)
    if windowed:
        due = customer.dues.filter(kind=season, status=DueStatus.OPEN, starts_on=opens).first()
        if due is not None:
            _meet(due, inspection, acting_user)
            _open_window(customer, season, inspected_on.year + 1, acting_user)
    return inspection


def inspection_due_overdue(ids: list[int], now: datetime) -> None:
    """Overdue handler (the shared sweep): a window that closed without its inspection opens next year's
    (the violation is the sweep's); a missed cycle stays owed until the next inspection meets it late."""
    dues = InspectionDue.objects.filter(pk__in=ids, kind__in=list(SEASON_RULES), status=DueStatus.OPEN)
    for due in dues.select_related("customer__utility"):
        if due.customer.status == LargeCustomerStatus.ACTIVE:
            _open_window(due.customer, due.kind, due.starts_on.year + 1, None)


# --------------------------------------------------------------------------- hazard notices


def _notice_number(utility: Organisation, year: int) -> str:
    prefix = f"{utility.code}-{year}-"
    taken = set(HazardNotice.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


def _track_notice(notice: HazardNotice) -> None:
    rule = rule_for_code(HAZARD_RULE, on=notice.deadline, province_id=notice.utility.province_id)
    deadline_track(
        subject=notice,
        utility=notice.utility,
        rule=rule,
        start=_midnight(notice.deadline),
        label=f"{notice.number} 整改期限",
    )


@transaction.atomic
def hazard_notice_issue(
    *,
    inspection: LargeCustomerInspection,
    hazard: str,
    measures: str,
    deadline: date,
    inspector: str,
    acting_user: User,
    at: datetime | None = None,
) -> HazardNotice:
    """A hazard notice from an inspection (第十八条): numbered `<utility code>-<year>-<nnnn>`, signed by the
    inspector when issued; its deadline tracked by `large_customer.hazard.rectify`."""
    require_writable(acting_user, inspection, Party.UTILITY, MAINTAINED_BY_UTILITY)
    utility = Organisation.objects.select_for_update().get(pk=inspection.utility_id)  # numbers one at a time
    at = at or timezone.now()
    issued_on = local_date(at)
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"at": _("The date lies in the future.")})
    if issued_on < inspection.inspected_on:
        raise ValidationError({"at": _("A notice is issued on or after the inspection.")})
    if deadline < issued_on:
        raise ValidationError({"deadline": _("The deadline lies before the notice is issued.")})
    notice = HazardNotice(
        customer=inspection.customer,
        utility=utility,
        inspection=inspection,
        number=_notice_number(utility, issued_on.year),
        hazard=hazard,
        measures=measures,
        deadline=deadline,
        issued_at=at,
        inspector=inspector,
    )
    save(notice, acting_user, "issue")
    _track_notice(notice)
    return notice


def _sign(notice: HazardNotice, move: Move) -> None:
    if local_date(move.at) < local_date(notice.issued_at):
        raise ValidationError({"at": _("The customer signs the notice after it is issued.")})
    notice.customer_signatory = move.data["signatory"]
    notice.customer_signed_at = move.at


def _receipt(notice: HazardNotice, move: Move) -> None:
    day = move.data["receipt_on"]
    if day > local_date(move.at):
        raise ValidationError({"receipt_on": _("The date lies in the future.")})
    if day < local_date(notice.issued_at):
        raise ValidationError({"receipt_on": _("The receipt is dated before the notice was issued.")})
    try:
        attachment = attachment_add(
            owner=notice, utility=notice.utility, file=move.data["file"], acting_user=move.user, description="整改回执"
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    notice.receipt_on, notice.receipt = day, attachment
    move.met_at = _met_at(day)


def _judge_receipt(notice: HazardNotice, move: Move) -> None:
    deadline_cancel(subject=notice, codes=[HAZARD_RENOTICE_RULE])
    late_violations(notice)


def _needs_signature(notice: HazardNotice, probe) -> str | None:
    if notice.customer_signed_at is None:
        return _("The customer has not signed the notice yet.")
    return None


def _overdue(notice: HazardNotice, move: Move) -> None:
    move.reason = _("Overdue: to be re-notified and re-filed")


def _renotice_owed(notice: HazardNotice, move: Move) -> None:
    """Overdue: a re-notice and re-filing is owed within `large_customer.hazard.renotice` (one for each time
    the notice goes overdue)."""
    rule = rule_for_code(HAZARD_RENOTICE_RULE, on=local_date(move.at), province_id=notice.utility.province_id)
    deadline_reopen(subject=notice, codes=[rule.code])
    deadline_track(subject=notice, utility=notice.utility, rule=rule, start=move.at, label=f"{notice.number} 再通知")
    notify(
        organisations=[notice.utility],
        key=f"campaigns.hazard-overdue:{notice.pk}:{notice.renotice_count}",
        subject=_("Hazard notice overdue: %(number)s") % {"number": notice.number},
        body=f"{notice.customer.name}\n{notice.hazard}",
        url=notice.get_absolute_url(),
        target=notice,
        level="danger",
    )


def _renotice(notice: HazardNotice, move: Move) -> None:
    today = local_date(move.at)
    new, refiled = move.data["deadline"], move.data["refiled_on"]
    if new <= today:
        raise ValidationError({"deadline": _("The new deadline lies after today.")})
    if refiled > today or refiled < notice.deadline:
        raise ValidationError({"refiled_on": _("Re-filed after the deadline was missed, and not in the future.")})
    notice.deadline, notice.refiled_on = new, refiled
    notice.renotice_count += 1
    notice.customer_signatory, notice.customer_signed_at = "", None  # the customer signs the re-notice
    move.reason = _("Re-notified (%(n)d), new deadline %(day)s: %(note)s") % {
        "n": notice.renotice_count,
        "day": new.isoformat(),
        "note": move.note,
    }


def _retrack(notice: HazardNotice, move: Move) -> None:
    late_violations(notice)
    _track_notice(notice)  # the missed deadline's clock runs again to the new date (its violation stays)


def _close(notice: HazardNotice, move: Move) -> None:
    notice.closed_at = move.at


H = HazardStatus
HAZARD_WORKFLOW = Workflow(
    model=HazardNotice,
    lock_related=("utility", "customer"),
    status_label=lambda s: HazardStatus(s).label,
    refusal=gettext_lazy("A hazard notice that is %(status)s cannot be %(step)s."),
    permission_message=MAINTAINED_BY_UTILITY,
    clean=True,
    steps=(
        Step(
            "sign",
            gettext_lazy("Customer signed the notice"),
            to=H.SIGNED,
            sources=frozenset({H.ISSUED, H.RENOTICED}),
            form=forms.SignForm,
            apply=_sign,
        ),
        Step(
            "receipt",
            gettext_lazy("Completion receipt received"),
            to=H.RECEIPTED,
            sources=frozenset({H.SIGNED, H.OVERDUE}),
            form=forms.ReceiptForm,
            check=_needs_signature,
            apply=_receipt,
            then=_judge_receipt,
            meets=(HAZARD_RULE,),
        ),
        Step(
            "close",
            gettext_lazy("Close the notice"),
            to=H.CLOSED,
            sources=frozenset({H.RECEIPTED}),
            form=forms.CloseForm,
            apply=_close,
        ),
        Step(
            "renotice",
            gettext_lazy("Re-notify and re-file (再通知、再备案)"),
            to=H.RENOTICED,
            sources=frozenset({H.OVERDUE}),
            form=forms.RenoticeForm,
            note_required=gettext_lazy("Say what the review of the hazard found (再梳理)."),
            apply=_renotice,
            then=_retrack,
            meets=(HAZARD_RENOTICE_RULE,),
            danger=True,
        ),
        Step(
            "overdue",
            gettext_lazy("Overdue"),
            to=H.OVERDUE,
            sources=frozenset({H.ISSUED, H.SIGNED, H.RENOTICED}),
            by=(Party.SYSTEM,),
            apply=_overdue,
            then=_renotice_owed,
        ),
    ),
)


def hazard_notice_overdue(ids: list[int], now: datetime) -> None:
    """Overdue handler (the shared sweep): each notice of `ids` past its deadline takes the system step
    `overdue` (a missed re-notice is only a violation: the notice is already overdue)."""
    step = HAZARD_WORKFLOW.step("overdue")
    for notice in HazardNotice.objects.filter(pk__in=ids, status__in=step.sources).order_by("pk"):
        if notice.receipt_on is None:
            HAZARD_WORKFLOW.transition(notice, step.name, None, at=now)


# --------------------------------------------------------------------------- filings to the government


def open_notices(utility: Organisation):
    return HazardNotice.objects.filter(utility=utility, status__in=OPEN_NOTICE).select_related("customer")


def _file(filing: GovernmentFiling, move: Move) -> None:
    day = move.data["filed_on"]
    if day > local_date(move.at):
        raise ValidationError({"filed_on": _("The date lies in the future.")})
    if day < filing.period_start:
        raise ValidationError({"filed_on": _("The filing is dated before its period starts.")})
    filing.filed_on, filing.filed_at = day, move.at
    filing.authority, filing.reference = move.data["authority"], move.data.get("reference", "")
    filing.notices = [
        {
            "id": n.pk,
            "number": n.number,
            "customer": n.customer.name,
            "hazard": n.hazard,
            "deadline": n.deadline.isoformat(),
            "status": n.status,
            "overdue": n.status == H.OVERDUE or n.deadline < day,
        }
        for n in open_notices(filing.utility).order_by("deadline", "pk")
    ]
    move.met_at = _met_at(day)


def _next_filing(filing: GovernmentFiling, move: Move) -> None:
    late_violations(filing)
    utility = filing.utility
    if LargeCustomer.objects.filter(utility=utility, status=LargeCustomerStatus.ACTIVE).exists():
        _ensure_filing(utility, filing.filed_on, move.user)


FILING_WORKFLOW = Workflow(
    model=GovernmentFiling,
    lock_related=("utility",),
    status_label=lambda s: FilingStatus(s).label,
    refusal=gettext_lazy("A filing that is %(status)s cannot be %(step)s."),
    permission_message=MAINTAINED_BY_UTILITY,
    clean=True,
    steps=(
        Step(
            "file",
            gettext_lazy("Filed with the government"),
            to=FilingStatus.FILED,
            sources=frozenset({FilingStatus.DUE}),
            form=forms.FilingForm,
            apply=_file,
            then=_next_filing,
            meets=(FILING_RULE,),
        ),
    ),
)


__all__ = [
    "FILING_WORKFLOW",
    "HAZARD_WORKFLOW",
    "cycle_rule",
    "emergency_plan_attach",
    "hazard_notice_issue",
    "hazard_notice_overdue",
    "inspection_due_overdue",
    "large_customer_inspect",
    "large_customer_register",
    "large_customer_update",
    "window",
]
