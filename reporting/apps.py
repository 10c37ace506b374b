from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from reporting import checks  # noqa: F401 - registers the font and report-kind checks
