"""Issue 20: the official PDF agrees with itself. One issuing office (the job's organisation) names the cover,
the running header, the document number and the signature; while a section the regulator writes is empty the
document is a draft (草稿 on every page, the gap named on the cover), and a final prints no placeholder;
figures are numbered in page order. Checked on the rendered PDF's text (pdftotext)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from campaigns import services as campaign_services
from reporting import services
from reporting.choices import JobStatus, ReportKind
from tests.reporting.factories import pdf_text

pytestmark = pytest.mark.django_db
PLACEHOLDER = "监管机构尚未撰写本部分内容"
SHOTS = Path("/work/shots/20-s4")


def _special(world, campaign, user, capture):
    with capture(execute=True):
        job = services.report_request(kind=ReportKind.CAMPAIGN_SPECIAL, raw={"campaign": campaign.pk}, acting_user=user)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job, services.report_file_path(job)


def _pages(path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [p.replace(" ", "") for p in out.split("\f") if p.strip()]


def test_one_issuing_office_names_cover_header_number_and_signature(
    world, campaign_with_data, django_capture_on_commit_callbacks
):
    # The national office asks for the special report of office A's campaign: the national office issues it.
    job, path = _special(world, campaign_with_data, world.user("national_admin"), django_capture_on_commit_callbacks)
    assert job.document_number == f"国家能源局〔{job.created_at.year}〕专报{job.pk}号"
    pages = _pages(path)
    cover = pages[0]
    assert cover.count("国家能源局") >= 2 and "华北监管局" not in cover  # the office line and the dated signature
    assert job.document_number in cover
    assert all(p.startswith("国家能源局") for p in pages[1:])  # the running header of every later page
    text = "\n".join(pages)
    dated = re.findall(r"(\S+)\n+\d{4}年\d{1,2}月\d{1,2}日$", text, flags=re.M)
    assert dated.count("国家能源局") == 2 and len(dated) == 2, dated  # the cover's date line and the signature


def test_a_draft_until_every_written_section_is_there(world, campaign_with_data, django_capture_on_commit_callbacks):
    reg = world.user("reg_admin_a")
    campaign_services.campaign_update(campaign=campaign_with_data, acting_user=reg, experience="")
    _job, path = _special(world, campaign_with_data, world.user("reg_staff_a"), django_capture_on_commit_callbacks)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / "special-draft.pdf")
    pages = _pages(path)
    assert all("草稿" in p for p in pages), [i for i, p in enumerate(pages) if "草稿" not in p]
    assert "经验做法" in pages[0] and "草稿" in pages[0]  # the cover names what is unwritten
    assert PLACEHOLDER in "".join(pages)
    campaign_services.campaign_update(
        campaign=campaign_with_data, acting_user=reg, experience="建立停电信息报送月度通报制度。"
    )
    _job, path = _special(world, campaign_with_data, world.user("reg_staff_a"), django_capture_on_commit_callbacks)
    pages = _pages(path)
    # No watermark or draft header (草稿 is left only where the report status of that name is counted).
    assert sum("草稿" in p for p in pages) <= 2 < len(pages) and "尚未撰写" not in "".join(pages)
    assert PLACEHOLDER not in "".join(pages)
    assert "建立停电信息报送月度通报制度" in "".join(pages)


def test_figures_are_numbered_in_page_order(world, campaign_with_data, django_capture_on_commit_callbacks):
    _job, path = _special(world, campaign_with_data, world.user("reg_staff_a"), django_capture_on_commit_callbacks)
    text = pdf_text(path).replace(" ", "")
    numbers = [int(n) for n in re.findall(r"图(\d+)", text)]
    assert len(numbers) >= 3
    assert numbers == list(range(1, len(numbers) + 1)), numbers
