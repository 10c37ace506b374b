from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from portal import checks, throttle  # noqa: F401 - the calendar check; throttle's signal receiver
        from portal.worklist import register_work_kind, violations_source

        register_work_kind("violation", _("Violations to review"), violations_source, order=60)
