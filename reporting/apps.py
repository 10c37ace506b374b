from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # 我的待办: reports the user asked for that are ready (issue 20).
        from portal.worklist import register_work_kind
        from reporting import checks  # noqa: F401 - registers the font and report-kind checks
        from reporting.selectors import worklist_reports_ready

        register_work_kind("report_ready", _("Reports ready"), worklist_reports_ready, order=70)
