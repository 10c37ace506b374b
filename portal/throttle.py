"""Login throttling per address, beside django-axes' lockout per user name and address.

Axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures; password spraying — one guess
against each of many accounts from one address — never reaches that. This counts every failure of an
address (in the cache: Redis in production, shared by the web workers) and, past
LOGIN_ADDRESS_FAILURE_LIMIT within the cool-off time, refuses sign-in from that address with axes' own
lockout answer (429 and its message). The limit is higher than the per-user one because an office signs
in from behind one address; a success does not reset it (a sprayer could sign in to an account of its own).
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver


def _enabled() -> bool:
    return bool(getattr(settings, "AXES_ENABLED", True))


def _window() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    seconds = cooloff.total_seconds() if isinstance(cooloff, timedelta) else float(cooloff) * 3600
    return max(int(seconds), 1)


def _key(request) -> str:
    return f"portal:login-failures:{get_client_ip_address(request)}"


def address_failures(request) -> int:
    return cache.get(_key(request), 0)


@receiver(user_login_failed, dispatch_uid="portal.throttle.count_failure")
def count_failure(sender, credentials=None, request=None, **kwargs) -> None:
    if request is None or not _enabled():
        return
    key = _key(request)
    cache.add(key, 0, timeout=_window())  # the window starts with the first failure
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())


class AddressThrottleBackend:
    """Authenticates nobody; refuses every sign-in from an address past its failure limit. No `get_user`
    on purpose (like axes' standalone backend), so `force_login` and sessions never pick this backend."""

    def authenticate(self, request, **credentials):
        if request is None or not _enabled():
            return None
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page (429)
            request.axes_credentials = credentials
            raise PermissionDenied
        return None
