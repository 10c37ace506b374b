"""Scoping of campaign records: one `visible_to` per kind of record, all reduced to the core rule.

A campaign is seen by its owner office and the offices above it (the organisation tree), by the
national regulator, and by the utilities in its scope (and their parent companies). Records that
belong to one utility (self-check reports, findings, rectification items, inspections) follow the
core rule on that utility, through `portal.querysets.ScopedQuerySet`.
"""

from django.apps import apps
from django.db import models

from portal.querysets import ScopedQuerySet, WritableMixin


def _model(name: str):
    """A campaigns model from the app registry: campaigns.models imports this module for its querysets,
    so the querysets reach the other models by name rather than by import."""
    return apps.get_model("campaigns", name)


class CampaignQuerySet(WritableMixin, models.QuerySet):
    def visible_to(self, user) -> "CampaignQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        org = user.organisation
        if org is None:
            return self.none()
        if org.is_regulator:
            # The owner office is in the user's office subtree: the user's own office or one below it.
            return self.filter(owner__path__startswith=org.path) if org.level != "national" else self.all()
        in_scope = _model("CampaignUtility").objects.filter(utility__path__startswith=org.path).values("campaign_id")
        return self.filter(pk__in=in_scope)

    def published(self) -> "CampaignQuerySet":
        return self.filter(is_public=True)


class CampaignChildQuerySet(WritableMixin, models.QuerySet):
    """Phases, deliverables, focus items, groups: visible with their campaign."""

    campaign_field = "campaign"

    def visible_to(self, user):
        return self.filter(**{f"{self.campaign_field}__in": _model("Campaign").objects.visible_to(user).values("pk")})


class MemberQuerySet(CampaignChildQuerySet):
    campaign_field = "group__campaign"


class ChecklistTemplateQuerySet(models.QuerySet):
    """Shared templates (no owner, e.g. 百问百查) are read by everyone signed in; an office's own
    templates by that office and the offices above it, and by utilities of campaigns that use them."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        used = (
            _model("FocusItem")
            .objects.filter(campaign__in=_model("Campaign").objects.visible_to(user).values("pk"))
            .values("checklist_id")
        )
        q = models.Q(owner__isnull=True) | models.Q(pk__in=used)
        if user.organisation is not None and user.organisation.is_regulator:
            q |= models.Q(owner__path__startswith=user.organisation.path)
        return self.filter(q)


class ChecklistItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(template__in=_model("ChecklistTemplate").objects.visible_to(user).values("pk"))


class UtilityRecordQuerySet(ScopedQuerySet):
    """Self-check reports, findings, inspections, rectification items: by their utility."""

    scope_field = "utility"
    # Where the issuing office of the record is: its campaign's (or, issue 11, its rectification programme's).
    owner_fields = ("campaign__owner",)

    def visible_to(self, user):
        qs = super().visible_to(user)
        org = getattr(user, "organisation", None)
        if org is not None and org.is_regulator and org.level != "national":
            # A regulator reads utility records of campaigns (and programmes) of its own office subtree only.
            q = models.Q()
            for field in self.owner_fields:
                q |= models.Q(**{f"{field}__path__startswith": org.path})
            qs = qs.filter(q)
        return qs


class RectificationRecordQuerySet(UtilityRecordQuerySet):
    """Findings and rectification items: of a campaign, or of a standalone rectification programme (issue 11)."""

    owner_fields = ("campaign__owner", "programme__owner")


class ProgrammeQuerySet(WritableMixin, models.QuerySet):
    """Rectification programmes (整改方案, issue 11): seen like a campaign — by the owner office and the offices
    above it, the national regulator, and the utilities with findings in it (and their parent companies)."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        org = user.organisation
        if org is None:
            return self.none()
        if org.is_regulator:
            return self.filter(owner__path__startswith=org.path) if org.level != "national" else self.all()
        addressed = _model("Finding").objects.filter(utility__path__startswith=org.path).values("programme_id")
        return self.filter(pk__in=addressed)


class AnswerQuerySet(WritableMixin, models.QuerySet):
    def visible_to(self, user):
        return self.filter(report__in=_model("SelfCheckReport").objects.visible_to(user).values("pk"))
