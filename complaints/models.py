"""Complaint tickets (投诉举报工单), the cases that link them across channels, and their lifecycle events.

A ticket is what one channel's system knows (`external_id`, unique per channel: the same push twice is
one ticket). The same grievance through several channels is one `ComplaintCase` with linked tickets.
Deadlines live in the shared `portal.TrackedDeadline` register; the ticket keeps a summary of them
(`contact_due`, `reply_due`, `next_due`, `overdue`, ...) so lists filter on indexed columns. The summary
is written by `complaints.services` and by the sweep's overdue handler, never by `save()`.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from complaints.choices import (
    ENDED_STATUSES,
    Action,
    AppealOutcome,
    Category,
    Channel,
    Finding,
    Kind,
    Satisfaction,
    Status,
    SupervisionLevel,
    SupervisionStatus,
    TalkLevel,
)
from complaints.connection_choices import ConnectionStatus, CustomerClass
from complaints.meter_choices import MeterRequestKind, MeterRequestStatus
from complaints.querysets import ComplaintCaseQuerySet, ComplaintQuerySet
from portal.models import WorkOrder
from portal.querysets import ScopedQuerySet


class ComplaintCase(models.Model):
    """One grievance, whatever the number of channels it came through (跨渠道同一诉求)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ComplaintCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("complaint case")
        verbose_name_plural = _("complaint cases")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Complaint(models.Model):
    """A ticket from one channel: who complains about which utility, what, and how it was handled."""

    HISTORY_HIDDEN_FIELDS = ("customer_name", "customer_phone", "address")

    case = models.ForeignKey(
        ComplaintCase,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    external_id = models.CharField(
        _("external id"), max_length=64, help_text=_("The ticket's number in the source system.")
    )
    received_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    utility = models.ForeignKey(  # indexed by cmp_utility_received, which leads with it
        "portal.Organisation",
        verbose_name=_("responsible utility"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    region = models.CharField(_("region"), max_length=60, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    content = models.TextField(_("content"))
    # Personal data: shown masked to anyone without a need to see it (complaints.selectors.may_see_personal),
    # and never replayed in the change history.
    customer_name = models.CharField(_("customer name"), max_length=60, blank=True)
    customer_phone = models.CharField(_("customer phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # Handling (each also an event with who and when)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("forwarded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never filtered on; one index less on every intake insert
    )
    contacted_at = models.DateTimeField(_("customer contacted at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply_opinion = models.TextField(_("handling opinion"), blank=True)
    visited_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    appeal_count = models.PositiveSmallIntegerField(_("appeals"), default=0)
    appeal_outcome = models.CharField(
        _("outcome of the last appeal"), max_length=10, choices=AppealOutcome.choices, blank=True
    )
    supervised_at = models.DateTimeField(_("supervised at"), null=True, blank=True)
    supervision_note = models.TextField(_("supervision note"), blank=True)
    # 三级督办 / 两级约谈 (issue 13): the highest level reached, for the list's filters (records below).
    supervision_level = models.PositiveSmallIntegerField(_("supervision level"), default=0, db_index=True)
    talk_count = models.PositiveSmallIntegerField(_("talks held"), default=0)
    # A 12398 举报 is the regulator's own case (issue 13): assigned to one of its officers, investigated,
    # concluded; never forwarded, so never shown to the utility it concerns.
    officer = models.ForeignKey(
        "portal.User",
        verbose_name=_("officer in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion of the investigation"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    # Outcome and responsibility (issue 13): not accepted (不予受理) with its reason; the finding (核实结论),
    # the department responsible, and for a repair or outage complaint the fault outage it was about.
    declined_at = models.DateTimeField(_("not accepted at"), null=True, blank=True)
    declined_reason = models.TextField(_("reason for not accepting"), blank=True)
    finding = models.CharField(_("verification finding"), max_length=10, choices=Finding.choices, blank=True)
    responsible_department = models.CharField(_("responsible department"), max_length=100, blank=True)
    outage = models.ForeignKey(
        "outages.OutageNotice",
        verbose_name=_("fault outage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    # What the source system sent, hashed: an identical retry is `unchanged`, a different one a conflict.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    # Summary of the tracked deadlines, for indexed filters (complaints.services._refresh_summary).
    contact_due = models.DateTimeField(_("contact due"), null=True, blank=True, editable=False)
    reply_due = models.DateTimeField(_("reply due"), null=True, blank=True, editable=False)
    next_due = models.DateTimeField(_("next due"), null=True, blank=True, editable=False)
    next_warn_at = models.DateTimeField(_("at risk from"), null=True, blank=True, editable=False)
    next_statutory_due = models.DateTimeField(_("next statutory due"), null=True, blank=True, editable=False)
    has_deadlines = models.BooleanField(_("has deadlines"), default=False, editable=False)
    # As of the last step: a deadline overdue and not met. A deadline that crosses its due later is
    # overdue through `next_due < now` (see the querysets and the *_now properties): the sweep marks
    # the deadline rows and records the violations, it does not rewrite tickets.
    overdue = models.BooleanField(pgettext_lazy("ticket", "overdue"), default=False, editable=False)
    late = models.BooleanField(_("a deadline was missed"), default=False, editable=False)
    statutory_breach = models.BooleanField(_("statutory deadline missed"), default=False, editable=False)
    provisional = models.BooleanField(_("provisional deadlines"), default=False, editable=False)
    created_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never filtered on; one index less on every intake insert
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="complaint")
    history = HistoricalRecords()

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint ticket")
        verbose_name_plural = _("complaint tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                name="complaint_external_id_per_channel",
                violation_error_message=_("This channel already has a ticket with that external id."),
            ),
        ]
        indexes = [
            # Keyset pagination of the list (received_at desc, id desc) and the filters that go with it.
            models.Index(fields=["received_at", "id"], name="cmp_received"),
            models.Index(fields=["utility", "received_at"], name="cmp_utility_received"),
            models.Index(fields=["channel", "status", "received_at"], name="cmp_channel_status"),
            models.Index(fields=["category", "received_at"], name="cmp_category_received"),
            models.Index(fields=["status", "received_at"], name="cmp_status_received"),
            # Deadline-state filters read only tickets with something running or overdue.
            models.Index(fields=["next_due"], name="cmp_next_due", condition=models.Q(next_due__isnull=False)),
            models.Index(fields=["received_at"], name="cmp_overdue", condition=models.Q(overdue=True)),
            models.Index(
                fields=["next_statutory_due"],
                name="cmp_next_statutory_due",
                condition=models.Q(next_statutory_due__isnull=False),
            ),
            # Duplicate candidates: same phone or same address.
            models.Index(fields=["customer_phone", "received_at"], name="cmp_phone"),
            models.Index(fields=["address", "received_at"], name="cmp_address"),
            # The tickets withheld from utilities (12398 items awaiting the forward): the small set every
            # derived record of a utility's is checked against (portal.querysets.subject_visible).
            models.Index(
                fields=["id"], name="cmp_withheld_utilities", condition=ComplaintQuerySet.withheld_from_utilities()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}-{self.external_id}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in ENDED_STATUSES

    def _past(self, instant) -> bool:
        return instant is not None and instant < timezone.now()

    @property
    def overdue_now(self) -> bool:
        """A deadline is past due and not met (marked at the last step, or crossed since)."""
        return self.overdue or self._past(self.next_due)

    @property
    def late_now(self) -> bool:
        return self.late or self._past(self.next_due)

    @property
    def statutory_breach_now(self) -> bool:
        return self.statutory_breach or self._past(self.next_statutory_due)


class Supervision(models.Model):
    """One level of 督办 on a ticket (三级督办, seed 004): who raised it, when, and its own deadline from the
    catalogue (`complaint.supervision`, `.2`, `.3`), tracked on the ticket and swept; an overdue level is
    escalated to the next by the sweep, in order."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="supervisions"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=SupervisionLevel.choices)
    note = models.TextField(_("supervision note"))
    started_at = models.DateTimeField(_("supervised at"))
    due = models.DateTimeField(_("due"))
    code = models.CharField(_("deadline"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN
    )
    automatic = models.BooleanField(_("escalated by the sweep"), default=False)
    by = models.ForeignKey(
        "portal.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "level"]
        verbose_name = _("supervision level")
        verbose_name_plural = _("supervision levels")
        constraints = [models.UniqueConstraint(fields=["complaint", "level"], name="supervision_level_once")]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_level_display()}"


class Talk(models.Model):
    """约谈: the regulator talks with the utility's leadership about a ticket (两级约谈, seed 004): when,
    who attended, what was agreed, and the follow-up deadline (tracked on the ticket, `complaint.talk.N`)."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="talks")
    level = models.PositiveSmallIntegerField(_("level"), choices=TalkLevel.choices)
    held_at = models.DateTimeField(_("held at"))
    attendees = models.TextField(_("attendees"))
    agreement = models.TextField(_("what was agreed"))
    follow_up_due = models.DateTimeField(_("follow-up due"))
    followed_up_at = models.DateTimeField(_("follow-up reported at"), null=True, blank=True)
    follow_up_report = models.TextField(_("follow-up report"), blank=True)
    by = models.ForeignKey(
        "portal.User", verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "portal.Organisation", verbose_name=_("organisation"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "level"]
        verbose_name = _("talk (约谈)")
        verbose_name_plural = _("talks (约谈)")
        constraints = [models.UniqueConstraint(fields=["complaint", "level"], name="talk_level_once")]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_level_display()}"

    @property
    def code(self) -> str:
        return f"complaint.talk.{self.level}"


class Investigation(models.Model):
    """One investigation step of a 举报 the regulator handles itself: when, what was done, what was found."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="investigations"
    )
    at = models.DateTimeField(_("when"))
    method = models.CharField(_("measure taken"), max_length=200)
    findings = models.TextField(_("what was found"))
    by = models.ForeignKey("portal.User", verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "at", "id"]
        verbose_name = _("investigation step")
        verbose_name_plural = _("investigation steps")

    def __str__(self) -> str:
        return f"{self.complaint} {self.method}"


class Appeal(models.Model):
    """申诉: the customer appeals against the handling; the appeal runs on its own clock (`complaint.appeal`
    in the catalogue, tracked as `complaint.appeal.N`) until the regulator decides it."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="appeals")
    number = models.PositiveSmallIntegerField(_("number"))
    lodged_at = models.DateTimeField(_("lodged at"))
    grounds = models.TextField(_("grounds of the appeal"))
    due = models.DateTimeField(_("due"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=AppealOutcome.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "portal.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "number"]
        verbose_name = _("appeal (申诉)")
        verbose_name_plural = _("appeals (申诉)")
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="appeal_number_once")]

    def __str__(self) -> str:
        return f"{self.complaint} #{self.number}"

    @property
    def code(self) -> str:
        return f"complaint.appeal.{self.number}"


class ComplaintEvent(models.Model):
    """One step of a ticket's lifecycle: what, when it happened, who recorded it, with a note."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        "portal.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [models.Index(fields=["complaint", "at"], name="cmp_event_ticket")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------- 95598 service work orders
# (issue 12) Connection applications pushed by the utilities' marketing systems; see docs/complaints.md.


class ConnectionApplicationQuerySet(ScopedQuerySet):
    scope_field = "utility"


class ConnectionApplication(WorkOrder):
    """A connection application (业扩报装) as the utility's marketing system knows it: the customer's class,
    capacity, the steps it goes through and the instant of each. Idempotent by (source, external id). Its
    deadlines (scheme reply, power-on, 获得电力) are in the shared register; `working_days` is the 获得电力
    total (application to power-on), counted as the rules count."""

    utility = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("responsible utility"),
        on_delete=models.PROTECT,
        related_name="connection_applications",
    )
    customer_class = models.CharField(_("customer class"), max_length=16, choices=CustomerClass.choices)
    capacity_kva = models.DecimalField(_("capacity (kVA)"), max_digits=10, decimal_places=1)
    affordable_housing = models.BooleanField(_("affordable housing (green channel)"), default=False)
    step_count = models.PositiveSmallIntegerField(_("number of steps"), default=4)
    status = models.CharField(
        _("status"), max_length=16, choices=ConnectionStatus.choices, default=ConnectionStatus.APPLIED
    )
    applied_at = models.DateTimeField(_("applied at"))
    scheme_replied_at = models.DateTimeField(_("supply scheme replied at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("inspection accepted at"), null=True, blank=True)
    powered_at = models.DateTimeField(_("powered on at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("getting electricity (working days)"), null=True, blank=True)
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="connection_application")
    history = HistoricalRecords()

    objects = ConnectionApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("connection application")
        verbose_name_plural = _("connection applications")
        constraints = [
            WorkOrder.unique_key(
                "connection_external_id_per_source", _("This source already has an application with that external id.")
            ),
        ]
        indexes = [
            models.Index(fields=["utility", "applied_at"], name="conn_utility_applied"),
            models.Index(fields=["status", "applied_at"], name="conn_status_applied"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("complaints:connection-detail", args=[self.pk])


class MeterRequestQuerySet(ScopedQuerySet):
    scope_field = "utility"


class MeterRequest(WorkOrder):
    """A customer's meter test request (电能表校验) or abnormal-reading request (抄表数据异常) as the utility's
    system knows it, with the result: the test's error %, within tolerance or not, the refund. Idempotent by
    (source, external id); its deadline (`meter.test_result` 5 WD / `meter.abnormal_reading` 7 WD) is in the
    shared register."""

    utility = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("responsible utility"),
        on_delete=models.PROTECT,
        related_name="meter_requests",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeterRequestKind.choices)
    meter_number = models.CharField(_("meter number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeterRequestStatus.choices, default=MeterRequestStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    error_percent = models.DecimalField(_("error (%)"), max_digits=7, decimal_places=3, null=True, blank=True)
    within_tolerance = models.BooleanField(_("within tolerance"), null=True, blank=True)
    refund_yuan = models.DecimalField(_("refund (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="meter_request")
    history = HistoricalRecords()

    objects = MeterRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("meter request")
        verbose_name_plural = _("meter requests")
        constraints = [
            WorkOrder.unique_key(
                "meter_request_external_id_per_source", _("This source already has a request with that external id.")
            ),
        ]
        indexes = [models.Index(fields=["utility", "requested_at"], name="meter_utility_requested")]

    def get_absolute_url(self) -> str:
        return reverse("complaints:meter-detail", args=[self.pk])
