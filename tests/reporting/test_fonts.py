"""Reports never print tofu: without the CJK font, rendering fails loudly and `check` says why."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reporting import fonts, services
from reporting.choices import JobStatus, ReportKind

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_fonts(tmp_path) -> dict:
    """An environment whose fontconfig knows no font at all (a machine without fonts-noto-cjk)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "DJANGO_SETTINGS_MODULE": "portal.settings.test"}


def test_the_font_is_found_on_this_machine():
    assert fonts.cjk_font_available() is True


def test_render_report_exits_non_zero_without_the_font(no_fonts, tmp_path):
    out = tmp_path / "special.pdf"
    done = subprocess.run(
        [sys.executable, "manage.py", "render_report", "campaign_special", "--campaign", "1", "--out", str(out)],
        cwd=ROOT, env=no_fonts, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Noto Sans CJK SC" in done.stderr
    assert not out.exists()


def test_check_warns_without_the_font(no_fonts):
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=no_fonts, capture_output=True, text=True, timeout=120
    )
    assert "reporting.W001" in done.stdout + done.stderr
    system_fonts = {k: v for k, v in no_fonts.items() if k != "FONTCONFIG_FILE"}
    with_fonts = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=system_fonts,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "reporting.W001" not in with_fonts.stdout + with_fonts.stderr


@pytest.mark.django_db
def test_a_report_job_fails_with_the_reason_instead_of_printing_boxes(
    world, campaign_with_data, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(fonts, "cjk_font_available", lambda: False)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL,
            raw={"campaign": campaign_with_data.pk},
            acting_user=world.user("reg_staff_a"),
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "ReportFontMissing" in job.error and not job.file
