from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints import imports

        # No overdue handler: the shared sweep marks the deadline rows, records the violations and
        # notifies; a ticket's list state follows from its stored dues (`next_due < now`), so the
        # sweep's cost is not multiplied by rewriting every crossing ticket and its indexes.
        imports.register()
