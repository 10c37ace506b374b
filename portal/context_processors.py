from django.conf import settings

from portal.calendar import calendar_missing_years
from portal.models import Notification


def portal(request):
    user = getattr(request, "user", None)
    unread = 0
    missing_years: list[int] = []
    if user is not None and user.is_authenticated:
        unread = Notification.objects.visible_to(user).filter(read_at__isnull=True).count()
        if user.is_regulator_admin:
            # The people who can fix it see it on every page until the year is entered.
            missing_years = calendar_missing_years()
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "unread_notifications": unread,
        "calendar_missing_years": missing_years,
    }
