"""Connection applications (业扩报装) over REST: intake, steps at their instants, the catalogue's clocks and
violations, the sweep, bulk idempotence and the 获得电力 averages per utility."""

import io
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from complaints.connection_imports import COLUMNS
from complaints.connection_selectors import getting_electricity_by_utility, on_time_by_utility
from complaints.models import ConnectionApplication
from portal.calendar import get_calendar
from portal.choices import DeadlineStatus
from portal.imports import import_job_create, import_job_run
from portal.models import Organisation, Rule, TrackedDeadline, Violation
from portal.services import deadlines_sweep

pytestmark = pytest.mark.django_db
URL = "/api/v1/connections/"
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def app_data(**overrides) -> dict:
    data = {
        "source": "营销系统",
        "external_id": "YK-2026-0001",
        "utility": "T-X-C-K",
        "customer_class": "居民",
        "capacity_kva": "8",
        "customer_name": "李秀英",
        "address": "汶源县城关镇东关村5组3号",
        "applied_at": "2026-03-02T10:00:00+08:00",
    }
    data.update(overrides)
    return data


def violations_of(pk: int) -> set[tuple[str, str]]:
    ct = ContentType.objects.get_for_model(ConnectionApplication)
    return set(Violation.objects.filter(content_type=ct, object_id=pk).values_list("code", "source_class"))


def step(client, pk, name, when, **extra):
    response = client.post(f"{URL}{pk}/{name}/", {"at": when, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_one_on_time_and_one_late_over_rest_give_exactly_the_catalogues_violations(world, calendar, api):
    client = api(world.user("system_x"))
    # On time: scheme 3 WD (by 03-05), power-on 3 WD after acceptance, 获得电力 22 WD (by 04-01).
    r = client.post(URL, app_data(), format="json")
    assert r.status_code == 201, r.content
    good = r.json()["id"]
    step(client, good, "reply_scheme", "2026-03-04T16:00:00+08:00")
    step(client, good, "accept", "2026-03-10T09:00:00+08:00")
    body = step(client, good, "power_on", "2026-03-12T15:00:00+08:00")
    assert body["status"] == "powered"
    assert body["working_days"] == 8  # 3-3..3-6, 3-9..3-12
    dues = {d["code"]: (d["due"], d["status"]) for d in body["deadlines"]}
    assert dues == {
        "connection.scheme_reply.residential": ("2026-03-05T23:59:59.999999+08:00", "met"),  # end of 03-05
        "connection.power_on.residential": ("2026-03-13T23:59:59.999999+08:00", "met"),
        "connection.getting_electricity.residential": ("2026-04-01T23:59:59.999999+08:00", "met"),
    }
    # Late: the scheme on 03-09, power-on on 04-10 (acceptance 03-20: due 03-25; 获得电力 due 04-01).
    late = client.post(URL, app_data(external_id="YK-2026-0002"), format="json").json()["id"]
    step(client, late, "reply_scheme", "2026-03-09T10:00:00+08:00")
    step(client, late, "accept", "2026-03-20T10:00:00+08:00")
    body = step(client, late, "power_on", "2026-04-10T10:00:00+08:00")
    assert {d["code"]: d["status"] for d in body["deadlines"]} == {
        "connection.scheme_reply.residential": "met_late",
        "connection.power_on.residential": "met_late",
        "connection.getting_electricity.residential": "met_late",
    }
    deadlines_sweep()
    assert violations_of(good) == set()
    expected = {
        ("connection.scheme_reply.residential", "commitment"),
        ("connection.power_on.residential", "commitment"),
        ("connection.getting_electricity.residential", "regulator_rule"),  # statutory side, apart
    }
    assert violations_of(late) == expected
    assert {(v["code"], v["source_class"]) for v in body["violations"]} == expected
    scheme = Violation.objects.get(object_id=late, code="connection.scheme_reply.residential")
    end_of_day = at("2026-03-05 23:59:59.999999")
    assert scheme.occurred_at == end_of_day
    assert scheme.shortfall_seconds == int((at("2026-03-09 10:00") - end_of_day).total_seconds())
    # The history keeps each step, by whom.
    app = ConnectionApplication.objects.get(pk=late)
    assert [h.history_change_reason for h in app.history.order_by("history_date")] == [
        "intake",
        "reply_scheme",
        "accept",
        "power_on",
    ]
    assert {h.history_user for h in app.history.all()} == {world.user("system_x")}
    rates = {r["utility"].code: r for r in on_time_by_utility(ConnectionApplication)}
    assert (rates["T-X-C-K"]["met"], rates["T-X-C-K"]["late"], rates["T-X-C-K"]["rate"]) == (3, 3, Decimal("50.0"))


def test_open_clocks_are_swept_and_small_business_is_judged_on_the_average_only(world, calendar, api):
    client = api(world.user("system_x"))
    lv = client.post(URL, app_data(external_id="LV-1", customer_class="low_voltage", capacity_kva="200"), format="json")
    small = client.post(URL, app_data(external_id="SM-1", customer_class="小微企业", capacity_kva="100"), format="json")
    assert lv.status_code == small.status_code == 201
    assert small.json()["step_count"] == 2 and lv.json()["step_count"] == 4
    assert small.json()["deadlines"] == []  # two steps: no scheme reply; 获得电力 25 WD is an average
    counts = deadlines_sweep()
    assert counts["violations"] == 1
    assert violations_of(lv.json()["id"]) == {("connection.scheme_reply.low_voltage", "commitment")}
    # Two steps: the scheme reply and a separate acceptance are refused, 验收接电 is one step.
    r = client.post(f"{URL}{small.json()['id']}/reply_scheme/", {"at": "2026-03-03T10:00:00+08:00"}, format="json")
    assert r.status_code == 409  # the application's state (two steps) refuses it, whatever the body
    body = step(client, small.json()["id"], "power_on", "2026-04-03T10:00:00+08:00")
    assert body["status"] == "powered" and body["accepted_at"] == body["powered_at"]
    assert violations_of(small.json()["id"]) == set()


def test_bad_input_and_who_may_push(world, calendar, api):
    client = api(world.user("system_x"))
    for override, field in [
        ({"customer_class": "工厂"}, "customer_class"),
        ({"capacity_kva": "-3"}, "capacity_kva"),
        ({"utility": "T-REG-A"}, "utility"),
        ({"applied_at": "2099-01-01T00:00:00+08:00"}, "applied_at"),
        ({"step_count": 2}, "step_count"),  # a residential customer is not a two-step small business
        ({"accepted_at": "2026-03-05T10:00:00+08:00"}, "accepted_at"),  # no scheme reply before it
        ({"scheme_replied_at": "2026-03-01T10:00:00+08:00"}, "scheme_replied_at"),  # before the application
    ]:
        r = client.post(URL, app_data(**override), format="json")
        assert r.status_code == 400, (override, r.content)
        assert field in r.json()["errors"], r.json()
    assert ConnectionApplication.objects.count() == 0
    assert api(world.user("reg_staff_a")).post(URL, app_data(), format="json").status_code == 403
    assert api(world.user("manager_y")).post(URL, app_data(), format="json").status_code == 403
    pk = client.post(URL, app_data(), format="json").json()["id"]
    assert client.post(URL, app_data(), format="json").status_code == 200  # identical retry
    assert client.post(URL, app_data(capacity_kva="10"), format="json").status_code == 409
    # Another utility neither sees nor steps it; a regulator reads it but takes no step.
    assert api(world.user("manager_y")).get(f"{URL}{pk}/").status_code == 404
    assert api(world.user("reg_staff_a")).get(f"{URL}{pk}/").status_code == 200
    r = api(world.user("reg_staff_a")).post(
        f"{URL}{pk}/reply_scheme/", {"at": "2026-03-03T10:00:00+08:00"}, format="json"
    )
    assert r.status_code == 403


def test_a_later_push_takes_the_steps_at_their_instants(world, calendar, api):
    client = api(world.user("system_x"))
    pk = client.post(URL, app_data(), format="json").json()["id"]
    later = app_data(
        scheme_replied_at="2026-03-09T10:00:00+08:00",
        accepted_at="2026-03-10T10:00:00+08:00",
        powered_at="2026-03-11T10:00:00+08:00",
    )
    assert client.post(f"{URL}bulk/", {"items": [later]}, format="json").json()["results"][0]["status"] == 409
    r = client.post(f"{URL}bulk/", {"items": [later], "update": True}, format="json").json()
    assert r["counts"] == {"created": 0, "unchanged": 0, "updated": 1, "error": 0}
    app = ConnectionApplication.objects.get(pk=pk)
    assert app.status == "powered" and app.working_days == 7
    assert violations_of(pk) == {("connection.scheme_reply.residential", "commitment")}
    again = client.post(f"{URL}bulk/", {"items": [later], "update": True}, format="json").json()
    assert again["counts"]["unchanged"] == 1
    changed = dict(later, applied_at="2026-03-01T10:00:00+08:00")
    bad = client.post(f"{URL}bulk/", {"items": [changed], "update": True}, format="json").json()
    assert bad["results"][0]["status"] == 409


CLASSES = ["residential", "low_voltage", "small_micro", "hv_single", "hv_dual"]


def _bulk_items(n: int, utilities: list[str]) -> list[dict]:
    """n applications with original instants spread over 2026 (deterministic)."""
    items = []
    base = at("2026-01-05 09:00")
    for i in range(n):
        cls = CLASSES[i % 5]
        applied = base + timedelta(days=(i * 7) % 200, minutes=i % 600)
        item = {
            "source": "营销系统",
            "external_id": f"B-{i:06d}",
            "utility": utilities[i % len(utilities)],
            "customer_class": cls,
            "capacity_kva": "100" if cls == "small_micro" else "630",
            "applied_at": applied.isoformat(),
        }
        if i % 4:  # three in four are powered on, after (i % 37) + 3 days
            powered = applied + timedelta(days=(i % 37) + 3, hours=2)
            if cls != "small_micro":
                item["scheme_replied_at"] = (applied + timedelta(days=1 + i % 9)).isoformat()
                item["accepted_at"] = (applied + timedelta(days=2 + i % 9)).isoformat()
                if powered <= applied + timedelta(days=2 + i % 9):
                    powered = applied + timedelta(days=3 + i % 9)
            item["powered_at"] = powered.isoformat()
        items.append(item)
    return items


def _hand_working_days(applied: datetime, powered: datetime) -> int:
    """Counted by hand: the working days after the application day, up to and including the power-on day."""
    cal = get_calendar()
    day, last, n = applied.astimezone(SH).date(), powered.astimezone(SH).date(), 0
    while day < last:
        day += timedelta(days=1)
        n += cal.is_working_day(day)
    return n


def _hand_date_late(applied: datetime, powered: datetime, n: int) -> bool:
    cal = get_calendar()
    day, counted = applied.astimezone(SH).date(), 0
    while counted < n:
        day += timedelta(days=1)
        counted += cal.is_working_day(day)
    return powered.astimezone(SH).date() > day


def test_a_bulk_push_of_10000_lands_once_and_the_averages_match_a_hand_computation(world, calendar, api):
    client = api(world.user("manager_x"))
    items = _bulk_items(10_000, ["T-X", "T-X-C", "T-X-C-K"])
    for lo in range(0, 10_000, 1000):
        r = client.post(f"{URL}bulk/", {"items": items[lo : lo + 1000]}, format="json")
        assert r.status_code == 200
        assert r.json()["counts"] == {"created": 1000, "unchanged": 0, "updated": 0, "error": 0}
    snapshot = (
        ConnectionApplication.objects.count(),
        ConnectionApplication.history.count(),
        TrackedDeadline.objects.count(),
        Violation.objects.count(),
    )
    assert snapshot[0] == snapshot[1] == 10_000
    for lo in range(0, 10_000, 1000):
        r = client.post(f"{URL}bulk/", {"items": items[lo : lo + 1000]}, format="json")
        assert r.json()["counts"] == {"created": 0, "unchanged": 1000, "updated": 0, "error": 0}
    assert snapshot == (
        ConnectionApplication.objects.count(),
        ConnectionApplication.history.count(),
        TrackedDeadline.objects.count(),
        Violation.objects.count(),
    )
    # The original instants are kept.
    first = ConnectionApplication.objects.get(external_id="B-000001")
    assert first.applied_at == datetime.fromisoformat(items[1]["applied_at"])
    assert first.powered_at == datetime.fromisoformat(items[1]["powered_at"])
    # 获得电力 averages per utility, by hand.
    hand: dict[str, dict[str, list[int]]] = {}
    for item in items:
        if "powered_at" not in item:
            continue
        days = _hand_working_days(
            datetime.fromisoformat(item["applied_at"]), datetime.fromisoformat(item["powered_at"])
        )
        per = hand.setdefault(item["utility"], {"all": [], "residential": [], "small_micro": []})
        per["all"].append(days)
        if item["customer_class"] in per:
            per[item["customer_class"]].append(days)

    def avg(values):
        return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), ROUND_HALF_UP)

    got = {r["utility"].code: r for r in getting_electricity_by_utility(ConnectionApplication.objects.all())}
    assert set(got) == set(hand) == {"T-X", "T-X-C", "T-X-C-K"}
    for code, per in hand.items():
        assert got[code]["powered"] == len(per["all"])
        assert got[code]["average"] == avg(per["all"])
        assert got[code]["residential_average"] == avg(per["residential"])
        assert got[code]["small_micro_average"] == avg(per["small_micro"])
        assert got[code]["residential_over"] == sum(1 for d in per["residential"] if d > 22)
    # Every residential one powered after the day its 22nd working day ends is one 获得电力 violation (one
    # powered on a holiday right after that day counts 22 working days and is late all the same).
    late = sum(
        1
        for item in items
        if item["customer_class"] == "residential"
        and "powered_at" in item
        and _hand_date_late(datetime.fromisoformat(item["applied_at"]), datetime.fromisoformat(item["powered_at"]), 22)
    )
    assert late >= sum(got[c]["residential_over"] for c in got)
    assert Violation.objects.filter(code="connection.getting_electricity.residential").count() == late
    assert not TrackedDeadline.objects.filter(status=DeadlineStatus.MET_LATE, violation__isnull=True).exists()


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("业扩报装.xlsx", out.getvalue())


def test_excel_import_keeps_the_original_instants_and_runs_once(world, calendar):
    user = world.user("manager_x")
    rows = [
        # 来源, 编号, 单位, 类别, 容量, 保障房, 环节, 客户, 地址, 申请, 方案答复, 验收, 接电 (Excel datetimes, local)
        [
            "营销系统",
            "XL-1",
            "T-X-C",
            "居民",
            8,
            "是",
            None,
            "王芳",
            "泰安市岱岳区",
            datetime(2026, 3, 2, 9, 30),
            datetime(2026, 3, 3, 9, 30),
            datetime(2026, 3, 9, 9, 30),
            datetime(2026, 3, 10, 9, 30),
        ],
        [
            "营销系统",
            "XL-2",
            "T-X-C",
            "小微企业",
            100.0,
            "否",
            2,
            "泰山茶社",
            "泰安市泰山区",
            datetime(2026, 3, 2, 9, 30),
            None,
            None,
            datetime(2026, 4, 20, 9, 30),
        ],
        ["营销系统", "XL-3", "T-X-C", "工厂", 8, "否", None, "", "", datetime(2026, 3, 2, 9, 30), None, None, None],
    ]
    job = import_job_run(import_job_create(kind="complaints.connections", file=_xlsx(rows), acting_user=user).pk)
    assert (job.created_count, job.error_count) == (2, 1)
    assert "客户类别" in job.row_errors.get().messages
    first = ConnectionApplication.objects.get(external_id="XL-1")
    assert first.affordable_housing and first.applied_at == at("2026-03-02 09:30")
    assert first.powered_at == at("2026-03-10 09:30") and first.working_days == 6
    second = ConnectionApplication.objects.get(external_id="XL-2")
    assert second.step_count == 2 and second.working_days == 34
    again = import_job_run(import_job_create(kind="complaints.connections", file=_xlsx(rows), acting_user=user).pk)
    assert (again.created_count, again.unchanged_count) == (0, 2)
    assert ConnectionApplication.objects.count() == 2


def test_the_two_step_limit_is_the_catalogues_and_a_province_may_lower_it(world, calendar, api):
    """Seed 003's 160 kVA is a parameter of `connection.getting_electricity.small_business`: a province's own
    version of the rule with a lower limit makes a 160 kVA business connect in four steps there."""

    client = api(world.user("system_x"))
    at_limit = client.post(
        URL, app_data(external_id="SM-160", customer_class="小微企业", capacity_kva="160"), format="json"
    )
    above = client.post(
        URL, app_data(external_id="SM-161", customer_class="小微企业", capacity_kva="160.1"), format="json"
    )
    assert at_limit.json()["step_count"] == 2 and above.json()["step_count"] == 4

    national = Rule.objects.get(code="connection.getting_electricity.small_business", jurisdiction=None)
    assert national.params == {"two_step_max_kva": 160}
    province = Organisation.objects.get(code="T-X-C-K").province
    Rule.objects.create(
        **{
            f.name: getattr(national, f.name)
            for f in Rule._meta.concrete_fields
            if f.name not in ("id", "jurisdiction", "params")
        },
        jurisdiction=province,
        params={"two_step_max_kva": 100},
    )
    lowered = client.post(
        URL, app_data(external_id="SM-160b", customer_class="小微企业", capacity_kva="160"), format="json"
    )
    assert lowered.json()["step_count"] == 4
    refused = client.post(
        URL, app_data(external_id="SM-160c", customer_class="小微企业", capacity_kva="160", step_count=2), format="json"
    )
    assert refused.status_code == 400 and "100" in refused.json()["errors"]["step_count"][0]
