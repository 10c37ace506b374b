"""`manage.py render_report KIND … --out FILE.pdf` renders synchronously."""

import pytest
from django.core.management import CommandError, call_command

from tests.reporting.factories import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "args", "words"),
    [
        ("campaign_special", ["--campaign", "{campaign}"], "专项报告"),
        ("self_check", ["--campaign", "{campaign}", "--utility", "T-X-C-K"], "自查工作开展情况"),
        ("outage_compliance", ["--period", "2026", "--office", "{office}"], "分类型合规情况"),
        ("complaint_bulletin", ["--period", "2026-10", "--office", "{office}"], "及时办结率"),
    ],
)
def test_render_each_kind(world, campaign_with_data, tmp_path, kind, args, words, capsys):
    out = tmp_path / "r.pdf"
    values = {"campaign": campaign_with_data.pk, "office": world.office_a.pk}
    call_command("render_report", kind, *[a.format(**values) for a in args], "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert words in pdf_text(out).replace(" ", "")
    assert "NotoSansCJK" in pdf_fonts(out).replace("-", "")
    assert "pages" in capsys.readouterr().out


def test_bad_arguments(world, calendar, tmp_path):
    with pytest.raises(CommandError):
        call_command("render_report", "campaign_special", "--campaign", "999", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("render_report", "outage_compliance", "--period", "soon", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
