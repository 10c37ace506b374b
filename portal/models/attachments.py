"""Files attached to any record (evidence, complaint attachments, campaign documents)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.querysets import DerivedQuerySet


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Content-addressed and outside the web root; the original name is kept in the row only.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class AttachmentQuerySet(DerivedQuerySet):
    scope_field = "utility"

    def for_object(self, obj) -> "AttachmentQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Attachment(models.Model):
    """A file whose type was sniffed from its content; downloadable only by those who may see its record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    utility = models.ForeignKey(
        "portal.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        "portal.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "sha256"],
                name="attachment_once_per_record",
                violation_error_message=_("This file is already attached to the record."),
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.original_name
