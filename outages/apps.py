from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutagesConfig(AppConfig):
    name = "outages"
    verbose_name = _("Outages")

    def ready(self) -> None:
        from outages import imports
        from outages.evaluation import on_deadline_overdue
        from outages.models import OutageNotice
        from portal.services import register_overdue_handler

        # A publish-by or restoration deadline that goes overdue turns the notice's compliance.
        register_overdue_handler(OutageNotice, on_deadline_overdue)
        imports.register()
