"""Report kinds as a registry: one definition per kind, one module each.

A `ReportKindSpec` says everything about a kind in one place — its parameters (parsed and checked,
with who may request it), its title, its document-number prefix, its PDF template and the builder
of its content. `services`, `params`, the `render_report` command, the views, the API and the task
look a kind up here (`spec(kind)`); nothing else branches on the kind.

To add a kind, see docs/reporting.md ("Adding a report kind").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reporting.kinds.base import Progress, ReportKindSpec
from reporting.kinds.campaign_special import SPEC as CAMPAIGN_SPECIAL
from reporting.kinds.complaint_bulletin import SPEC as COMPLAINT_BULLETIN
from reporting.kinds.outage_compliance import SPEC as OUTAGE_COMPLIANCE
from reporting.kinds.self_check import SPEC as SELF_CHECK

# The one place a kind is registered.
REGISTRY: dict[str, ReportKindSpec] = {
    s.key: s for s in (CAMPAIGN_SPECIAL, SELF_CHECK, COMPLAINT_BULLETIN, OUTAGE_COMPLIANCE)
}


def spec(kind: str) -> ReportKindSpec:
    """The definition of `kind`; an unknown kind is a ValidationError on `kind`."""
    try:
        return REGISTRY[kind]
    except (KeyError, TypeError):
        raise ValidationError({"kind": _("Unknown report kind.")}) from None


__all__ = ["REGISTRY", "Progress", "ReportKindSpec", "spec"]
