"""Demo 95598 service work orders. Connection applications (业扩报装): a year of applications pushed
by each province's marketing system with their original instants — most on time, some late (a slow
scheme reply, a power-on after the 22-working-day 获得电力 target), small and micro businesses in two
steps (seed 003), a few affordable-housing projects (green channel, seed 000), some still open and
swept. Meter tests and abnormal readings (seed 000: 5 / 7 working days), most answered in time, a few
late or awaited, some meters out of tolerance with a refund."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from complaints.connections import connections_intake
from complaints.demo import PLACES, UTILITIES
from complaints.meters import meters_intake
from complaints.models import ConnectionApplication
from portal.deadlines import SHANGHAI
from portal.models import Organisation, User
from portal.services import deadlines_sweep

PREFIX = "YK-DEMO-"
CLASSES = [("residential", 50), ("low_voltage", 15), ("small_micro", 20), ("hv_single", 10), ("hv_dual", 5)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海燕", "文博", "春梅", "国庆", "玉兰", "晓东"]
BUSINESSES = ["茶社", "便利店", "汽修厂", "面馆", "农机合作社", "印刷厂", "冷库", "家具厂"]
CAPACITY = {"residential": [8, 10, 16], "low_voltage": [50, 80, 200], "small_micro": [30, 60, 100, 160]}
CAPACITY |= {"hv_single": [400, 630, 1250], "hv_dual": [2000, 3150, 5000]}
# Working days each step usually takes (the late ones take more): scheme reply, acceptance after it, power-on.
TYPICAL = {"residential": (2, 3, 2), "low_voltage": (5, 6, 3), "small_micro": (0, 12, 0)}
TYPICAL |= {"hv_single": (12, 20, 4), "hv_dual": (25, 30, 4)}


def _pick(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _later(rng, start: datetime, days: int) -> datetime:
    """About `days` working days later (weekends skipped; the rules' own calendar judges the result)."""
    at = start
    while days > 0:
        at += timedelta(days=1)
        if at.weekday() < 5:
            days -= 1
    return at.replace(hour=rng.randint(9, 16), minute=rng.choice([0, 15, 30, 45]))


def _item(rng, n: int, utility: str, now: datetime) -> dict:
    cls = _pick(rng, CLASSES)
    applied = (now - timedelta(days=rng.randint(5, 330))).astimezone(SHANGHAI)
    applied = applied.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)
    place = rng.choice(PLACES[utility])
    name = rng.choice(SURNAMES) + (rng.choice(GIVEN) if cls == "residential" else rng.choice(BUSINESSES))
    item = {
        "source": "营销系统",
        "external_id": f"{PREFIX}{n:05d}",
        "utility": utility,
        "customer_class": cls,
        "capacity_kva": rng.choice(CAPACITY[cls]),
        "affordable_housing": cls == "residential" and rng.random() < 0.08,
        "customer_name": name,
        "address": f"{UTILITIES[utility][0]}{place}{rng.randint(1, 40)}号",
        "applied_at": applied.isoformat(),
    }
    scheme, accept, power = TYPICAL[cls]
    slow = rng.random() < 0.12
    done = None if rng.random() > 0.15 else rng.randrange(3)  # some still open after that many steps
    if cls == "small_micro" and item["capacity_kva"] <= 160:
        steps = [("powered_at", accept + (rng.randint(8, 20) if slow else rng.randint(-6, 8)))]
    else:
        steps = [
            ("scheme_replied_at", scheme + (rng.randint(2, 6) if slow else rng.randint(-1, 0))),
            ("accepted_at", accept + rng.randint(-2, 6)),
            ("powered_at", power + (rng.randint(2, 8) if slow else rng.randint(-1, 0))),
        ]
    at = applied
    for i, (name, days) in enumerate(steps):
        at = _later(rng, at, max(1, days))
        if at > now - timedelta(hours=1) or (done is not None and i >= done):
            break
        item[name] = at.isoformat()
    return item


def load(stdout=None) -> dict:
    if ConnectionApplication.objects.filter(external_id__startswith=PREFIX).exists():
        if stdout:
            stdout.write("connections demo: already loaded")
        return {"created": 0}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=UTILITIES).select_related("province")}
    users = {u.username: u for u in User.objects.filter(username__in=["sys_95598_sd", "he_manager", "ha_manager"])}
    if len(orgs) < len(UTILITIES) or len(users) < 3:
        return {"created": 0}
    rng = random.Random(12)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    writer = {"37": users["sys_95598_sd"], "13": users["he_manager"], "41": users["ha_manager"]}
    batches: dict[int, tuple[User, list]] = {}
    codes = list(UTILITIES)
    weights = [UTILITIES[c][1] for c in codes]
    for n in range(900):
        utility = rng.choices(codes, weights=weights)[0]
        user = writer[orgs[utility].province.code]
        batches.setdefault(user.pk, (user, []))[1].append(_item(rng, n, utility, now))
    created = 0
    for user, items in batches.values():
        results = connections_intake(items=items, acting_user=user)
        created += sum(r.result == "created" for r in results)
    meters = 0
    for n in range(300):
        utility = rng.choices(codes, weights=weights)[0]
        results = meters_intake(items=[_meter(rng, n, utility, now)], acting_user=writer[orgs[utility].province.code])
        meters += results[0].result == "created"
    deadlines_sweep(now=now)
    if stdout:
        stdout.write(f"connections demo: {created} connection applications, {meters} meter requests added")
    return {"created": created}


def _meter(rng, n: int, utility: str, now: datetime) -> dict:
    kind = rng.choice(["test", "test", "abnormal_reading"])
    requested = (now - timedelta(days=rng.randint(2, 300))).astimezone(SHANGHAI)
    requested = requested.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)
    item = {
        "source": "营销系统",
        "external_id": f"JL-DEMO-{n:05d}",
        "utility": utility,
        "kind": kind,
        "meter_number": f"37{rng.randint(10**10, 10**11 - 1)}",
        "customer_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "address": f"{UTILITIES[utility][0]}{rng.choice(PLACES[utility])}{rng.randint(1, 40)}号",
        "requested_at": requested.isoformat(),
    }
    if rng.random() < 0.1:
        return item  # awaited
    limit = 5 if kind == "test" else 7
    answered = _later(rng, requested, limit + rng.randint(1, 4) if rng.random() < 0.12 else rng.randint(1, limit))
    if answered > now - timedelta(hours=1):
        return item
    within = rng.random() > 0.2
    item |= {"answered_at": answered.isoformat(), "within_tolerance": within}
    if kind == "test":
        item["error_percent"] = str(round(rng.uniform(-1.8, 1.8) if within else rng.uniform(2.1, 6.5), 2))
    if not within:
        item["refund_yuan"] = str(round(rng.uniform(8, 260), 2))
    return item
