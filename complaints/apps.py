from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints import imports
        from complaints.models import Complaint
        from complaints.services import on_deadline_overdue
        from portal.services import register_overdue_handler

        # A deadline crossing its due marks the ticket's summary overdue (one UPDATE per sweep batch).
        register_overdue_handler(Complaint, on_deadline_overdue)
        imports.register()
