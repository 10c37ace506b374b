"""Authentication backends: people sign in with a password; system accounts only with their API token."""

from django.contrib.auth.backends import ModelBackend

from portal.choices import Role


class HumanOnlyModelBackend(ModelBackend):
    """Django's model backend, for people only: a system account is refused at sign-in whatever its
    password, and a session that names one is anonymous (so it can open no page, even with a session
    made some other way). System accounts use their API token."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "role", "") != Role.SYSTEM

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return None if user is not None and user.role == Role.SYSTEM else user
