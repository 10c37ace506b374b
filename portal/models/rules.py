"""The rule catalogue: every time limit the portal judges by, as data with a source and validity."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import STATUTORY_CLASSES, RuleUnit, SourceClass
from portal.deadlines import RuleSpec, Unit


class RuleQuerySet(models.QuerySet):
    def in_force(self, on: date) -> "RuleQuerySet":
        return self.filter(is_active=True, effective_from__lte=on).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gt=on)
        )


class Rule(models.Model):
    """One time limit (e.g. `complaint.reply`: 7 working days) from one source.

    Several rows may share a code: different jurisdictions or validity periods. `applies_to` narrows
    the events a rule judges, as {"field": [allowed values]}; a missing field means any value.
    """

    code = models.CharField(_("rule id"), max_length=80, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    value = models.PositiveIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=20, choices=RuleUnit.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    applies_to = models.JSONField(_("applies to"), default=dict, blank=True)
    source_class = models.CharField(_("source class"), max_length=20, choices=SourceClass.choices)
    jurisdiction = models.ForeignKey(
        "portal.Province",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty means national."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True, help_text=_("Exclusive."))
    source = models.CharField(_("source"), max_length=200)
    source_text = models.TextField(_("source text"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["code", "effective_from"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "jurisdiction", "effective_from"],
                name="rule_unique_version",
                violation_error_message=_("This rule already has a version from that date in that jurisdiction."),
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gt=models.F("effective_from")),
                name="rule_valid_period",
                violation_error_message=_("A rule's validity must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.value} {self.get_unit_display()}, {self.get_source_class_display()})"

    @property
    def is_statutory(self) -> bool:
        return self.source_class in STATUTORY_CLASSES

    def applies(self, context: dict) -> bool:
        for key, allowed in (self.applies_to or {}).items():
            if key in context and context[key] not in allowed:
                return False
        return True

    def spec(self):
        return RuleSpec(
            code=self.code, value=self.value, unit=Unit(self.unit), params=self.params or {}, title=self.title
        )
