"""System checks of the reporting app (`manage.py check`)."""

from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from reporting.choices import ReportKind
from reporting.fonts import REPORT_FONT, cjk_font_available
from reporting.kinds import REGISTRY


@checks.register()
def cjk_font_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    available = cjk_font_available()
    if available is None:
        return [
            checks.Warning(
                "fontconfig's fc-list is not installed, so the report font cannot be checked.",
                hint="Install the Debian package fontconfig.",
                id="reporting.W002",
            )
        ]
    if not available:
        return [
            checks.Warning(
                f"The CJK font '{REPORT_FONT}' is not installed: reports cannot be rendered in Chinese.",
                hint="Install the Debian package fonts-noto-cjk; until then report rendering fails with this error.",
                id="reporting.W001",
            )
        ]
    return []


@checks.register()
def report_kinds_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every `ReportKind` has one registered definition (reporting/kinds/) whose template exists, and
    every definition is a `ReportKind` (the stored jobs, the filters and the API list the kinds from it)."""

    errors = []
    for value in set(ReportKind.values) ^ set(REGISTRY):
        errors.append(
            checks.Error(
                f"Report kind '{value}' is in {'ReportKind' if value in ReportKind.values else 'REGISTRY'} only.",
                hint="Add its ReportKind member and register its ReportKindSpec in reporting/kinds/__init__.py.",
                id="reporting.E001",
            )
        )
    for key, spec in REGISTRY.items():
        try:
            get_template(spec.template)
        except TemplateDoesNotExist:
            errors.append(
                checks.Error(
                    f"The template of report kind '{key}' does not exist: {spec.template}", id="reporting.E002"
                )
            )
    return errors
