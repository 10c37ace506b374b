"""In-app notifications to an organisation (everyone acting for it sees them)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.querysets import ScopedQuerySet, subject_visible


class NotificationQuerySet(ScopedQuerySet):
    scope_field = "organisation"

    def visible_to_organisation(self, organisation):
        """A notification is addressed: only the organisation it is for reads it — and one that names a
        record (`target`) only while that record is visible to it (a 12398 item not yet forwarded)."""
        if organisation is None:
            return self.none()
        return self.filter(organisation_id=organisation.pk).filter(subject_visible(organisation))


class Notification(models.Model):
    """A message to an organisation; `key` makes sending idempotent (a sweep run twice notifies once)."""

    organisation = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, default="info")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.BigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # A digest (the sweep's deadlines crossed today) names each record: [{"id", "record", "utility", "label",
    # "due", "url", "emailed"}], appended to through the day; e-mailed in batches by `send_notification_digests`.
    items = models.JSONField(_("items"), default=list, blank=True)
    # How many records the digest counts; it names the first `DIGEST_NAMED` of them (a sweep catching up on a
    # backlog may cross hundreds of thousands: the rest is one line and the worklist's link).
    total = models.PositiveIntegerField(_("records"), default=0)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="notification_once")]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.subject
