"""Demo arrears cases (欠费停复电): customers in arrears this year, most reminded 7, 3 and 1 days before the
30-day cut-off (seed 004) and paying in time, some disconnected after a written notice 7 days ahead and
reconnected within 2 hours (by 10:00 after a late-evening payment) — and a few that break a rule."""

import random
from datetime import timedelta

from django.utils import timezone

from outages.arrears import arrears_intake
from outages.models import ArrearsCase
from portal.deadlines import SHANGHAI
from portal.models import Organisation, User
from portal.services import deadlines_sweep

PREFIX = "QF-DEMO-"
UTILITIES = {"SGCC-SD-TA-WY": "37", "SGCC-SD-LY-YD": "37", "SGCC-SD-JN-ZQ": "37", "SGCC-HE-SJZ-ZD": "13"}
NAMES = ["王建国", "李秀英", "张志强", "刘丽娟", "陈海燕", "杨文博", "赵春梅", "周国庆", "吴玉兰", "徐晓东"]


def _case(rng, n: int, utility: str, now) -> dict:
    since = (
        (now - timedelta(days=rng.randint(35, 300)))
        .astimezone(SHANGHAI)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    cut_off = since + timedelta(days=30)
    sloppy = rng.random() < 0.15
    item = {
        "source": "营销系统",
        "external_id": f"{PREFIX}{n:05d}",
        "utility": utility,
        "customer_name": rng.choice(NAMES),
        "address": f"{rng.choice(['城关镇', '汶阳镇', '埠村街道', '正定镇'])}{rng.randint(1, 60)}号",
        "amount_yuan": f"{rng.uniform(60, 900):.2f}",
        "overdue_since": since.isoformat(),
    }
    reminders = [cut_off - timedelta(days=d, hours=-9) for d in (7, 3, 1)]
    if sloppy:
        reminders = reminders[: rng.randint(0, 2)]
    if rng.random() < 0.6:  # pays after a reminder
        item["reminders"] = [r.isoformat() for r in reminders[:2]]
        item["paid_at"] = (
            (reminders[min(1, len(reminders) - 1)] + timedelta(hours=5)).isoformat()
            if reminders
            else (cut_off - timedelta(days=2)).isoformat()
        )
        return item
    item["reminders"] = [r.isoformat() for r in reminders]
    announced = cut_off + timedelta(days=rng.randint(1, 5), hours=9)
    notice = announced - timedelta(days=4 if sloppy else rng.randint(7, 9))
    cut = announced + timedelta(minutes=rng.randint(0, 40))
    paid = cut + timedelta(days=rng.randint(0, 3), hours=rng.choice([2, 5, 13]))
    reconnect = paid + timedelta(minutes=rng.randint(30, 100) if not sloppy else rng.randint(150, 400))
    if paid.astimezone(SHANGHAI).hour >= 22:
        reconnect = paid.astimezone(SHANGHAI).replace(hour=8, minute=30) + timedelta(days=1)
    item |= {
        "notice_delivered_at": notice.isoformat(),
        "announced_cut_at": announced.isoformat(),
        "renoticed_at": (cut - timedelta(minutes=45)).isoformat(),
        "disconnected_at": cut.isoformat(),
    }
    if reconnect < now:
        item |= {"paid_at": paid.isoformat(), "reconnected_at": reconnect.isoformat()}
    return item


def load(stdout=None) -> dict:
    if ArrearsCase.objects.filter(external_id__startswith=PREFIX).exists():
        return {"created": 0}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=UTILITIES)}
    users = {u.username: u for u in User.objects.filter(username__in=["sys_95598_sd", "he_manager"])}
    if len(orgs) < len(UTILITIES) or len(users) < 2:
        return {"created": 0}
    rng = random.Random(4)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    writer = {"37": users["sys_95598_sd"], "13": users["he_manager"]}
    created = 0
    for n in range(200):
        utility = rng.choice(list(UTILITIES))
        result = arrears_intake(items=[_case(rng, n, utility, now)], acting_user=writer[UTILITIES[utility]])[0]
        created += result.result == "created"
    deadlines_sweep(now=now)
    if stdout:
        stdout.write(f"arrears demo: {created} arrears cases added")
    return {"created": created}
