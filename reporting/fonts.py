"""The CJK font the regulator's documents are set in. Without it WeasyPrint prints every Chinese
character as an empty box and reports success, so its absence is an error, never a silent PDF."""

import shutil
import subprocess
from functools import lru_cache

from django.utils.translation import gettext as _

REPORT_FONT = "Noto Sans CJK SC"


class ReportFontMissing(RuntimeError):
    """No CJK font: a Chinese report would print as boxes."""


@lru_cache(maxsize=1)
def cjk_font_available() -> bool | None:
    """Whether fontconfig knows REPORT_FONT for Chinese text; None when fontconfig's `fc-list` is not
    installed, so the font cannot be checked (the Debian package `fontconfig`)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    return REPORT_FONT in out.stdout


def require_cjk_font() -> None:
    """Raise ReportFontMissing unless the report font is installed (an unknown answer lets it pass)."""
    if cjk_font_available() is False:
        raise ReportFontMissing(
            _(
                "The font '%(font)s' is not installed: a Chinese report would print empty boxes."
                " Install the Debian package fonts-noto-cjk."
            )
            % {"font": REPORT_FONT}
        )
