"""Factories and helpers of the complaints tests. Tickets are normally made through the intake
service, so their deadlines and summary are what a real push gives."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from complaints.choices import Category, Channel, Kind
from complaints.intake import fingerprint
from complaints.models import Complaint
from complaints.services import complaint_create

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """'2026-09-30 14:00' in Shanghai time."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def ticket_data(**overrides) -> dict:
    """A pushed ticket as the API receives it (JSON-like)."""
    data = {
        "channel": "95598",
        "kind": "complaint",
        "external_id": "95598-20260930-0001",
        "received_at": "2026-09-30T14:00:00+08:00",
        "utility": "T-X-C-K",
        "region": "泰安市汶源县",
        "category": "outage",
        "content": "城关镇东关村频繁停电，近一周停电三次，未见任何停电通知。",
        "customer_name": "张建国",
        "customer_phone": "13805381234",
        "address": "汶源县城关镇东关村3组12号",
    }
    data.update(overrides)
    return data


def push(user, **overrides) -> Complaint:
    ticket, _outcome = complaint_create(data=ticket_data(**overrides), acting_user=user)
    return ticket


def recent(days: float = 0.0) -> str:
    """An ISO instant `days` ago (for tickets whose deadlines still run)."""
    return (timezone.now() - timedelta(days=days)).astimezone(SH).isoformat()


class ComplaintFactory(DjangoModelFactory):
    """A bare row (no deadlines tracked): for list, filter and permission tests."""

    class Meta:
        model = Complaint

    channel = Channel.HOTLINE_95598
    kind = Kind.COMPLAINT
    external_id = factory.Sequence(lambda n: f"F-{n:07d}")
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    category = Category.OUTAGE
    content = "低电压，晚上灯泡发暗，空调无法启动。"
    customer_name = "李秀英"
    customer_phone = "13905381111"
    address = "泰安市泰山区东岳大街100号"
    fingerprint = factory.LazyAttribute(lambda o: fingerprint({"external_id": o.external_id}))
