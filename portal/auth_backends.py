"""Authentication backends: people sign in with a password; system accounts only with their API token.
Both read the user with its organisation in one query: every page and API call scopes by it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from portal.choices import Role


class HumanOnlyModelBackend(ModelBackend):
    """Django's model backend, for people only: a system account is refused at sign-in whatever its
    password, and a session that names one is anonymous (so it can open no page, even with a session
    made some other way). System accounts use their API token."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "role", "") != Role.SYSTEM

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, the user's organisation read with the token (DRF's own messages)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__organisation").get(key=key)
        except model.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
