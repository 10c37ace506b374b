"""Writes of a campaign itself: its dates and the four template phases, its scope (the utilities it
covers), phase overrides, focus items and published highlights. Only the issuing office's regulators
(and the offices above it) manage a campaign: `require_writable(..., Party.REGULATOR)` on the campaign."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.choices import PhaseKind, PhaseOverride
from campaigns.models import Campaign, CampaignUtility, FocusItem, Highlight, Phase, SelfCheckReport
from campaigns.selectors import current_phase
from campaigns.services.common import MANAGED_BY_OFFICE, save
from campaigns.services.deliverables import deliverable_codes, deliverable_track
from portal.choices import OrgKind, Party
from portal.models import Organisation, User
from portal.querysets import require_writable
from portal.services import deadline_cancel

# The four phases of seed 000 (with the share of the campaign's span each took there: 37/183/153/61 days).
PHASE_TEMPLATE = [
    (PhaseKind.DEPLOYMENT, "组织部署", "组织部署阶段", 37),
    (PhaseKind.SELF_CHECK, "企业自查", "企业自查阶段", 183),
    (PhaseKind.INSPECTION, "检查督查", "检查督查阶段", 153),
    (PhaseKind.SUMMARY, "总结提高", "落实整改与总结提高阶段", 61),
]


def template_phase_dates(start: date, end: date) -> list[tuple[date, date]]:
    """Split [start, end] into the four template phases in the proportions of seed 000 (≥ 1 day each)."""
    span = (end - start).days + 1
    if span < len(PHASE_TEMPLATE):
        raise ValidationError({"end_date": _("The campaign is too short for the four-phase template.")})
    total = sum(w for *_rest, w in PHASE_TEMPLATE)
    out, cursor, used = [], start, 0
    for i, (*_rest, weight) in enumerate(PHASE_TEMPLATE):
        if i == len(PHASE_TEMPLATE) - 1:
            days = span - used
        else:
            days = max(1, round(span * weight / total))
            days = min(days, span - used - (len(PHASE_TEMPLATE) - 1 - i))
        out.append((cursor, cursor + timedelta(days=days - 1)))
        cursor += timedelta(days=days)
        used += days
    return out


@transaction.atomic
def campaign_create(
    *,
    owner: Organisation,
    code: str,
    title: str,
    start_date: date,
    end_date: date,
    acting_user: User,
    with_template_phases: bool = True,
    **fields,
) -> Campaign:
    """Create a campaign of `owner` (a regulator office the user acts for or supervises), by default
    with the four phases of seed 000 spread over its dates."""
    offices = Organisation.objects.writable_by(acting_user, Party.REGULATOR).regulators()
    if not offices.filter(pk=owner.pk).exists():
        raise PermissionDenied(_("A campaign is created by its issuing office."))
    campaign = Campaign(owner=owner, code=code, title=title, start_date=start_date, end_date=end_date, **fields)
    save(campaign, acting_user)
    if with_template_phases:
        for order, ((kind, name, full, _w), (s, e)) in enumerate(
            zip(PHASE_TEMPLATE, template_phase_dates(start_date, end_date), strict=True), start=1
        ):
            save(
                Phase(campaign=campaign, order=order, name=name, full_name=full, kind=kind, start_date=s, end_date=e),
                acting_user,
            )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, acting_user: User, **fields) -> Campaign:
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    for k, v in fields.items():
        setattr(campaign, k, v)
    save(campaign, acting_user)
    return campaign


@transaction.atomic
def campaign_set_scope(
    *,
    campaign: Campaign,
    organisations: Iterable[Organisation] = (),
    subtrees: Iterable[Organisation] = (),
    acting_user: User,
    replace: bool = False,
) -> int:
    """Put utilities in scope: each of `organisations`, and every utility of each subtree in `subtrees`.

    Subtrees are expanded now (an indexed prefix query per root); returns the number in scope.
    Deliverable deadlines follow the scope (tracked for new utilities, cancelled for removed ones).
    """
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    wanted: dict[int, int | None] = {}
    for org in organisations:
        if org.kind != OrgKind.UTILITY:
            raise ValidationError({"organisations": _("“%(name)s” is not a utility.") % {"name": org.name}})
        wanted.setdefault(org.pk, None)
    for root in subtrees:
        if root.kind != OrgKind.UTILITY:
            raise ValidationError({"subtrees": _("“%(name)s” is not a utility.") % {"name": root.name}})
        for pk in Organisation.objects.subtree(root).utilities().values_list("pk", flat=True):
            wanted.setdefault(pk, root.pk)
    # Only utilities of the issuing office's jurisdiction (issue 11: scope was accepting any utility).
    covered = Organisation.objects.visible_to_organisation(campaign.owner).values("pk")
    outside = list(
        Organisation.objects.filter(pk__in=wanted).exclude(pk__in=covered).values_list("name", flat=True)[:5]
    )
    if outside:
        raise ValidationError(
            {
                "organisations": _("Outside the jurisdiction of %(office)s: %(names)s.")
                % {"office": campaign.owner.name, "names": "、".join(outside)}
            }
        )
    current = dict(CampaignUtility.objects.filter(campaign=campaign).values_list("utility_id", "pk"))
    if replace:
        removed = [pk for pk in current if pk not in wanted]
        if removed:
            if SelfCheckReport.objects.filter(campaign=campaign, utility_id__in=removed).exists():
                raise ValidationError(
                    {"organisations": _("A utility that has filed a self-check report cannot leave the scope.")}
                )
            CampaignUtility.objects.filter(campaign=campaign, utility_id__in=removed).delete()
            for deliverable in campaign.deliverables.filter(per_utility=True):
                gone = deliverable_codes(deliverable, Organisation.objects.filter(pk__in=removed))
                deadline_cancel(subject=deliverable, codes=[code for code, *_r in gone])
    new = [
        CampaignUtility(campaign=campaign, utility_id=pk, via_id=via) for pk, via in wanted.items() if pk not in current
    ]
    CampaignUtility.objects.bulk_create(new)
    if new:
        new_orgs = list(Organisation.objects.filter(pk__in=[n.utility_id for n in new]))
        for deliverable in campaign.deliverables.filter(per_utility=True):
            deliverable_track(deliverable, new_orgs)
    save(campaign, acting_user, reason=_("Scope changed"))
    return CampaignUtility.objects.filter(campaign=campaign).count()


@transaction.atomic
def phase_save(*, campaign: Campaign, acting_user: User, phase: Phase | None = None, **fields) -> Phase:
    """Add or change a phase; refused when outside the campaign's dates or overlapping another."""
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    phase = phase or Phase(campaign=campaign)
    for k, v in fields.items():
        setattr(phase, k, v)
    if phase.order is None:
        phase.order = (campaign.phases.aggregate(m=Max("order"))["m"] or 0) + 1
    save(phase, acting_user)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, acting_user: User) -> None:
    """Remove a phase of a campaign the user manages (its history keeps who removed it)."""
    require_writable(acting_user, phase, Party.REGULATOR, MANAGED_BY_OFFICE)
    phase._history_user = acting_user
    phase.delete()


@transaction.atomic
def campaign_override_phase(*, campaign: Campaign, action: str, reason: str, acting_user: User) -> Campaign:
    """Hold the current phase past its end, advance to the next one early, or follow the dates again.
    Every override needs a reason; it is kept in the campaign's history."""
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    if not reason.strip():
        raise ValidationError({"reason": _("Holding or advancing a phase needs a reason.")})
    current = current_phase(campaign)
    if action == PhaseOverride.RELEASE:
        campaign.manual_phase = None
    elif action == PhaseOverride.HOLD:
        if current is None:
            raise ValidationError({"action": _("No phase is current: there is nothing to hold.")})
        campaign.manual_phase = current
    elif action == PhaseOverride.ADVANCE:
        phases = list(campaign.phases.order_by("order"))
        if current is None:
            today = timezone.localdate()
            nxt = next((p for p in phases if p.start_date > today), None)
        else:
            nxt = next((p for p in phases if p.order > current.order), None)
        if nxt is None:
            raise ValidationError({"action": _("The last phase is already current.")})
        campaign.manual_phase = nxt
    else:
        raise ValidationError({"action": _("Unknown action.")})
    campaign.manual_phase_reason = reason.strip()
    save(campaign, acting_user, reason=f"{PhaseOverride(action).label}: {reason.strip()}")
    return campaign


@transaction.atomic
def focus_item_save(
    *, campaign: Campaign, acting_user: User, focus_item: FocusItem | None = None, **fields
) -> FocusItem:
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    focus_item = focus_item or FocusItem(campaign=campaign)
    for k, v in fields.items():
        setattr(focus_item, k, v)
    if focus_item.number is None:
        focus_item.number = (campaign.focus_items.aggregate(m=Max("number"))["m"] or 0) + 1
    save(focus_item, acting_user)
    return focus_item


@transaction.atomic
def highlight_publish(*, campaign: Campaign, title: str, body: str, acting_user: User, published_on=None) -> Highlight:
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    h = Highlight(campaign=campaign, title=title, body=body, published_on=published_on or timezone.localdate())
    save(h, acting_user)
    return h
