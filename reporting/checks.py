"""System checks of the reporting app (`manage.py check`)."""

from django.core import checks

from reporting.fonts import REPORT_FONT, cjk_font_available


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
