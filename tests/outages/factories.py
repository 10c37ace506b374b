"""Factories and helpers of the outages tests. Notices are normally made through the service, so
their compliance, violations and deadlines are what a real registration gives."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from outages.choices import NoticeStatus, OutageKind
from outages.models import OutageNotice
from outages.services import notice_register

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """'2026-03-10 08:00' in Shanghai time."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def notice_data(**overrides) -> dict:
    data = {
        "kind": OutageKind.PLANNED,
        "external_id": "TA-2026-0001",
        "reason": "10kV线路检修",
        "area": "汶源县城关镇东关村、西关村",
        "lines": "10kV城关线",
        "affected_customers": 320,
        "start_at": at("2026-03-10 08:00"),
        "end_at": at("2026-03-10 18:00"),
        "published_at": at("2026-03-01 09:00"),
        "channels": ["media", "sms"],
    }
    data.update(overrides)
    return data


def register(user, utility, **overrides) -> OutageNotice:
    return notice_register(utility=utility, data=notice_data(**overrides), acting_user=user)


def future(days: float = 10, hour: int = 8) -> datetime:
    """A local instant `days` ahead at `hour`:00 (for notices whose deadlines still run)."""
    base = (datetime.now(SH) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base


class OutageNoticeFactory(DjangoModelFactory):
    """A bare row (no compliance evaluation): for list, filter and permission tests."""

    class Meta:
        model = OutageNotice

    kind = OutageKind.PLANNED
    external_id = factory.Sequence(lambda n: f"F-{n:06d}")
    reason = "计划检修"
    area = "城关镇东关村"
    lines = "10kV城关线"
    start_at = factory.LazyFunction(lambda: future(10))
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(hours=10))
    published_at = factory.LazyFunction(lambda: datetime.now(SH) - timedelta(hours=1))
    channels = factory.LazyFunction(lambda: ["media"])
    status = NoticeStatus.SCHEDULED
