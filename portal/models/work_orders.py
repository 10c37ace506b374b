"""What every service work order pushed by a utility's system has (connection applications and meter requests
in `complaints`, arrears cases in `outages`): its key in the source system (unique per source), the
customer (masked for those who only supervise), the fingerprint of what was pushed, and who registered it.
The intake that fills them is `portal.work_orders`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkOrder(models.Model):
    HISTORY_HIDDEN_FIELDS = ("customer_name", "address")

    source = models.CharField(_("source system"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=64)
    customer_name = models.CharField(_("customer name"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.source}-{self.external_id}"

    @staticmethod
    def unique_key(name: str, message) -> models.UniqueConstraint:
        """The idempotency key (source, external id), under the constraint name each table already has."""
        return models.UniqueConstraint(fields=["source", "external_id"], name=name, violation_error_message=message)
