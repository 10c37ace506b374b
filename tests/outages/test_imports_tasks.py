"""Excel import rows through the shared import jobs, and the re-evaluation tasks."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from outages.imports import import_notice_row
from outages.models import OutageNotice
from outages.tasks import reevaluate_notices, reevaluate_utility
from tests.outages.factories import OutageNoticeFactory

pytestmark = pytest.mark.django_db

ROW = {
    "外部编号": "WY-2026-001",
    "单位编码": "T-X-C-K",
    "停电类型": "计划检修",
    "停电原因": "线路检修",
    "停电区域": "城关镇东关村",
    "停电线路": "10kV城关线",
    "影响户数": 120.0,
    "计划开始": datetime(2026, 3, 10, 8, 0),  # naive from Excel: Shanghai wall-clock time
    "计划结束": "2026-03-10 18:00",
    "发布时间": "2026-03-03 09:00",
    "发布渠道": "短信、新闻媒体",
}


def test_import_row_creates_then_is_unchanged_then_updates(world, calendar):
    user = world.user("system_x")
    assert import_notice_row(dict(ROW), job=None, acting_user=user) == "created"
    n = OutageNotice.objects.get()
    assert n.compliance_state == "borderline" and n.channels == ["media", "sms"] and n.affected_customers == 120
    assert import_notice_row(dict(ROW), job=None, acting_user=user) == "unchanged"
    assert import_notice_row({**ROW, "停电区域": "城关镇西关村"}, job=None, acting_user=user) == "updated"


def test_import_row_errors_name_the_column(world, calendar):
    with pytest.raises(ValidationError) as exc:
        import_notice_row({**ROW, "停电类型": "停电"}, job=None, acting_user=world.user("system_x"))
    assert "停电类型" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        import_notice_row({**ROW, "单位编码": "T-Y"}, job=None, acting_user=world.user("system_x"))
    assert "单位编码" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        import_notice_row({**ROW, "计划结束": "2026-03-10 07:00"}, job=None, acting_user=world.user("system_x"))
    assert "end_at" in exc.value.message_dict
    assert not OutageNotice.objects.exists()


def test_reevaluation_tasks(world, calendar):
    a = OutageNoticeFactory(utility=world.county_x)
    b = OutageNoticeFactory(utility=world.company_y)
    assert a.compliance == {}
    assert reevaluate_notices.delay([a.pk]).get() == 1
    a.refresh_from_db()
    assert a.compliance_state == "compliant" and a.compliance["rules"]
    assert reevaluate_utility.delay(world.company_x.pk).get() == 1
    b.refresh_from_db()
    assert b.compliance == {}
