"""Base classes every API view uses, so scoping and roles are enforced in one place."""

from rest_framework import permissions, viewsets


class RolePermission(permissions.IsAuthenticated):
    """`view.write_roles` (a set of Role values) may use unsafe methods; everyone signed in may read
    what `visible_to` lets them see. Superusers may do everything."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or request.user.is_superuser:
            return True
        roles = getattr(view, "write_roles", None)
        action_roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        allowed = action_roles if action_roles is not None else roles
        return allowed is None or request.user.role in allowed


class ScopedViewSetMixin:
    """Every queryset goes through `visible_to(request.user)`: out-of-scope objects are 404."""

    permission_classes = [RolePermission]
    queryset = None

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
