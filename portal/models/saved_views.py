"""Saved views (issue 20): a list page with its filters and sort under a name, a person's own or shared
with everyone of their organisation (their office)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The list pages a view may reopen (URL names): never an arbitrary address (no open redirect).
SAVED_VIEW_PAGES = {
    "complaints:list": _("Complaint tickets"),
    "violations": _("Violations register"),
    "deadlines": _("Deadlines"),
    "worklist": _("My to-do"),
}


class SavedViewQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SavedViewQuerySet":
        """A person's own views and those shared within their organisation."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        shared = models.Q(shared=True, organisation_id=user.organisation_id) if user.organisation_id else models.Q()
        return self.filter(models.Q(owner=user) | shared) if shared else self.filter(owner=user)

    def for_page(self, page: str) -> "SavedViewQuerySet":
        return self.filter(page=page)


class SavedView(models.Model):
    owner = models.ForeignKey("portal.User", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "portal.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )
    page = models.CharField(_("page"), max_length=40, choices=list(SAVED_VIEW_PAGES.items()))
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters and sort"), max_length=1000, blank=True)
    shared = models.BooleanField(_("shared with my organisation"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["page", "name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "page", "name"],
                name="saved_view_name_once",
                violation_error_message=_("You already have a view of this page with that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name
