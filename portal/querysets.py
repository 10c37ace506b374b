"""The one scoping mechanism: every list, detail, API and export goes through `visible_to`."""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """A queryset of records that belong to an organisation reached through `scope_field`."""

    scope_field = "utility"

    def visible_to(self, user) -> "ScopedQuerySet":
        from portal.models import Organisation

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(**{f"{self.scope_field}__in": Organisation.objects.visible_to(user)})
