"""Files of a campaign: evidence of a checklist answer or of a rectification item's completion (the
utility's), and documents of the campaign itself (plans, notices: the issuing office's)."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from campaigns.choices import RectificationStatus
from campaigns.models import Campaign, ChecklistAnswer, RectificationItem
from campaigns.services.common import FILED_BY_UTILITY, MANAGED_BY_OFFICE
from campaigns.services.reports import require_editable
from portal.choices import Party
from portal.models import User
from portal.querysets import require_writable
from portal.services import attachment_add


@transaction.atomic
def evidence_add(*, target: models.Model, file, acting_user: User, description: str = ""):
    """Attach an evidence file to a checklist answer (while its report is editable) or to a
    rectification item's completion (until verified). The type is sniffed from the content and the
    size checked against settings.UPLOAD_MAX_BYTES; the error says which limit was broken."""
    if isinstance(target, ChecklistAnswer):
        report = target.report
        require_writable(acting_user, report, Party.UTILITY, FILED_BY_UTILITY)
        require_editable(report)
        utility = report.utility
    elif isinstance(target, RectificationItem):
        require_writable(acting_user, target, Party.UTILITY, FILED_BY_UTILITY)
        if target.status == RectificationStatus.VERIFIED:
            raise ValidationError({"file": _("The item is verified: its evidence is closed.")})
        utility = target.utility
    else:
        raise ValidationError({"file": _("Evidence is attached to an answer or a rectification item.")})
    try:
        return attachment_add(
            owner=target, utility=utility, file=file, acting_user=acting_user, description=description
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


@transaction.atomic
def document_add(*, campaign: Campaign, file, acting_user: User, description: str = ""):
    """Attach a document (plan, notice) to a campaign; kept under the issuing office."""
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    try:
        return attachment_add(
            owner=campaign, utility=campaign.owner, file=file, acting_user=acting_user, description=description
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
