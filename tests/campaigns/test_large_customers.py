"""Large customers (大电力客户, seed 002 第五篇) over REST, done-when style: the register, inspection cycles met on time
and missed, the spring and autumn windows, hazard notices closed on time and overdue → re-notified and re-filed, the
periodic filing to the government — with exactly the violations the catalogue implies, and who may do what."""

import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import GovernmentFiling, HazardNotice, InspectionDue, LargeCustomer
from portal.deadlines import SHANGHAI
from portal.models import Rule, TrackedDeadline, Violation
from portal.services import deadlines_sweep

pytestmark = pytest.mark.django_db
URL = "/api/v1/large-customers/"
NOTICES = "/api/v1/hazard-notices/"
FILINGS = "/api/v1/large-customer-filings/"
IMPORTANT, SIX_MONTHS = "large_customer.inspection.cycle.important", "large_customer.inspection.cycle.35kv"
SPRING, AUTUMN = "large_customer.inspection.spring", "large_customer.inspection.autumn"
RECTIFY, RENOTICE, FILING = (
    "large_customer.hazard.rectify",
    "large_customer.hazard.renotice",
    "large_customer.filing.periodic",
)


def customer_data(**overrides) -> dict:
    data = {
        "utility": "T-X-C-K",
        "name": "汶源县人民医院",
        "account_number": "0301000001",
        "importance": "first",
        "voltage_kv": "110",
        "source_count": 2,
        "sources": "110kV 汶阳站 I 段；110kV 北王庄站 II 段",
        "security_load_kw": "800",
        "emergency_capacity_kw": "1000",
        "government_designation": "汶政发〔2025〕12号",
        "emergency_plan_on_file": True,
        "registered_on": "2026-01-05",
        "last_inspected_on": "2026-01-05",
    }
    data.update(overrides)
    return data


def ok(response, code=200) -> dict:
    assert response.status_code == code, response.content
    return response.json()


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("回执.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def violations(records) -> Counter:
    """(code, source class) of the violations recorded on `records`, counted."""
    out: Counter = Counter()
    for record in records:
        ct = ContentType.objects.get_for_model(record)
        out.update(Violation.objects.filter(content_type=ct, object_id=record.pk).values_list("code", "source_class"))
    return out


def inspect(client, pk, day, season="routine", **extra):
    body = {"inspected_on": day, "inspector": "王建国", "season": season, **extra}
    return ok(client.post(f"{URL}{pk}/inspections/", body, format="json"), 201)


def test_the_rules_are_in_the_catalogue_with_their_params_and_source(world):
    important, six = Rule.objects.get(code=IMPORTANT), Rule.objects.get(code=SIX_MONTHS)
    assert (important.params["months"], six.params["months"]) == (3, 6)
    assert important.params["importance"] == ["special", "first"] and important.params["high_risk"] is True
    assert six.params["min_voltage_kv"] == 35 and "每6个月至少检查一次" in six.source_text
    for code in (SPRING, AUTUMN):
        rule = Rule.objects.get(code=code)
        opens, closes = (date.fromisoformat(f"2026-{rule.params[k]}") for k in ("opens", "closes"))
        assert (closes - opens).days == rule.value  # the window's length is the rule's value
    filing = Rule.objects.get(code=FILING)
    assert filing.params == {"months": 3} and "定期" in filing.source and "未定周期" in filing.source
    assert {r.source_class for r in Rule.objects.filter(code__startswith="large_customer.")} == {"commitment"}


def test_register_cycles_windows_notices_and_filings_over_rest(world, calendar, api):
    client = api(world.user("submitter_x"))
    hospital = ok(client.post(URL, customer_data(), format="json"), 201)
    assert hospital["cycle_rule"] == IMPORTANT and hospital["emergency_ratio"] == "125.0"
    assert hospital["emergency_met"] is True
    plant = ok(
        client.post(
            URL,
            customer_data(
                name="泰山化工有限公司",
                account_number="0301000002",
                importance="second",
                voltage_kv="35",
                high_risk=True,
                security_load_kw="500",
                emergency_capacity_kw="550",
            ),
            format="json",
        ),
        201,
    )
    assert plant["cycle_rule"] == IMPORTANT  # the high-risk flag: every 3 months
    assert plant["emergency_ratio"] == "110.0" and plant["emergency_met"] is False  # below 120 %
    works = ok(
        client.post(
            URL,
            customer_data(name="泰钢集团", account_number="0301000003", importance="second", voltage_kv="220"),
            format="json",
        ),
        201,
    )
    assert works["cycle_rule"] == SIX_MONTHS  # 220 kV, neither important nor high-risk: every 6 months
    # The windows of 2026 are owed by every customer registered before they close.
    assert {(d["kind"], d["starts_on"]) for d in plant["dues"]} == {
        ("cycle", "2026-01-05"),
        ("spring", "2026-03-15"),
        ("autumn", "2026-08-01"),
    }

    # The hospital: a spring inspection on time (cycle and window), a routine one after the cycle ran out
    # (3 months from 03-20 end 06-22, the 20th being a Saturday), an autumn one on time.
    spring = inspect(client, hospital["id"], "2026-03-20", "spring", findings="10kV 配电室防小动物措施不到位")
    inspect(client, hospital["id"], "2026-07-10")
    inspect(client, hospital["id"], "2026-09-15", "autumn")
    # The steel works: every 6 months, kept by its spring and autumn inspections.
    inspect(client, works["id"], "2026-05-28", "spring")
    inspect(client, works["id"], "2026-10-10", "autumn")
    # The plant: one routine inspection before the spring window, then none at all.
    inspect(client, plant["id"], "2026-03-01")
    # A spring inspection dated before its window opens is refused.
    r = client.post(
        f"{URL}{plant['id']}/inspections/",
        {"inspected_on": "2026-03-10", "inspector": "王建国", "season": "spring"},
        format="json",
    )
    assert r.status_code == 400 and "inspected_on" in str(r.json())

    # Two hazard notices from the hospital's spring inspection, numbered per utility and year.
    issue = {"inspection": spring["id"], "inspector": "王建国", "at": "2026-03-20T15:00:00+08:00"}
    n1 = ok(
        client.post(
            NOTICES,
            issue | {"hazard": "1号主变压器渗油", "measures": "停电处理渗漏点", "deadline": "2026-04-30"},
            format="json",
        ),
        201,
    )
    n2 = ok(
        client.post(
            NOTICES,
            issue | {"hazard": "自备发电机未装设闭锁装置", "measures": "加装电气和机械闭锁", "deadline": "2026-05-15"},
            format="json",
        ),
        201,
    )
    assert (n1["number"], n2["number"]) == ("T-X-C-K-2026-0001", "T-X-C-K-2026-0002")
    # Received before the customer signed: refused by the notice's state.
    r = client.post(f"{NOTICES}{n1['id']}/receipt/", {"receipt_on": "2026-04-25", "file": pdf()}, format="multipart")
    assert r.status_code == 409, r.content
    for n in (n1, n2):
        signed = ok(
            client.post(
                f"{NOTICES}{n['id']}/sign/",
                {"at": "2026-03-21T09:00:00+08:00", "signatory": "院办 李主任"},
                format="json",
            )
        )
        assert signed["status"] == "signed" and signed["customer_signed_at"].startswith("2026-03-21")

    # The first filing of county X (due 3 months from the first registration): on time, both notices open.
    filing1 = ok(client.get(FILINGS, {"utility": "T-X-C-K"}))["results"][0]
    filed = ok(
        client.post(
            f"{FILINGS}{filing1['id']}/file/",
            {"filed_on": "2026-03-31", "authority": "汶源县应急管理局", "reference": "汶供电〔2026〕8号"},
            format="json",
        )
    )
    assert filed["status"] == "filed" and [n["number"] for n in filed["notices"]] == [n1["number"], n2["number"]]
    assert {d["code"]: d["status"] for d in filed["deadlines"]} == {FILING: "met"}

    # Notice 1: receipt before its deadline, closed.
    received = ok(
        client.post(
            f"{NOTICES}{n1['id']}/receipt/",
            {"receipt_on": "2026-04-25", "file": pdf(), "at": "2026-04-26T10:00:00+08:00"},
            format="multipart",
        )
    )
    assert received["status"] == "receipted" and received["receipt"] is not None
    closed = ok(client.post(f"{NOTICES}{n1['id']}/close/", {"at": "2026-04-28T10:00:00+08:00"}, format="json"))
    assert closed["status"] == "closed" and {d["code"]: d["status"] for d in closed["deadlines"]} == {RECTIFY: "met"}

    # The sweep in November: what is overdue is judged, and the overdue notice is owed its re-notice.
    deadlines_sweep(now=datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI))
    n2_now = ok(client.get(f"{NOTICES}{n2['id']}/"))
    assert n2_now["status"] == "overdue"
    assert {d["code"]: d["status"] for d in n2_now["deadlines"]} == {RECTIFY: "overdue", RENOTICE: "open"}
    renoticed = ok(
        client.post(
            f"{NOTICES}{n2['id']}/renotice/",
            {
                "at": "2026-11-22T10:00:00+08:00",
                "deadline": "2027-06-30",
                "refiled_on": "2026-11-22",
                "note": "发电机闭锁改造需停产，客户申请延期",
            },
            format="json",
        )
    )
    assert (
        renoticed["status"] == "renoticed"
        and renoticed["renotice_count"] == 1
        and renoticed["deadline"] == "2027-06-30"
    )
    assert {d["code"]: d["status"] for d in renoticed["deadlines"]} == {RECTIFY: "open", RENOTICE: "met"}
    # The second filing (due 3 months after the first) is filed late, with the re-noticed notice still open.
    filing2 = ok(client.get(FILINGS, {"utility": "T-X-C-K", "status": "due"}))["results"][0]
    assert filing2["period_start"] == "2026-03-31"
    late = ok(
        client.post(
            f"{FILINGS}{filing2['id']}/file/",
            {"filed_on": "2026-11-25", "authority": "汶源县应急管理局"},
            format="json",
        )
    )
    assert [n["number"] for n in late["notices"]] == [n2["number"]]

    # Exactly the violations the catalogue implies, per record.
    hospital_dues = InspectionDue.objects.filter(customer_id=hospital["id"])
    plant_dues = InspectionDue.objects.filter(customer_id=plant["id"])
    assert violations(hospital_dues) == Counter({(IMPORTANT, "commitment"): 1})  # the cycle 03-20 → 06-22
    assert violations(plant_dues) == Counter(
        {(IMPORTANT, "commitment"): 1, (SPRING, "commitment"): 1, (AUTUMN, "commitment"): 1}
    )
    assert violations(InspectionDue.objects.filter(customer_id=works["id"])) == Counter()
    assert violations(HazardNotice.objects.filter(pk=n1["id"])) == Counter()
    assert violations(HazardNotice.objects.filter(pk=n2["id"])) == Counter({(RECTIFY, "commitment"): 1})
    filings = GovernmentFiling.objects.filter(utility=world.county_x).order_by("period_start")
    assert [violations([f]) for f in filings] == [Counter(), Counter({(FILING, "commitment"): 1}), Counter()]
    # Which period each violation is about: the hospital's second cycle, met late by the 07-10 inspection.
    missed = hospital_dues.get(pk__in=Violation.objects.filter(code=IMPORTANT).values("object_id"))
    assert (missed.starts_on, missed.met_by.inspected_on) == (date(2026, 3, 20), date(2026, 7, 10))
    deadline = TrackedDeadline.objects.for_object(missed).get()
    assert (deadline.status, deadline.due.astimezone(SHANGHAI).date()) == ("met_late", date(2026, 6, 22))
    # A window met or missed opens next year's; the windows the plant missed stay owed.
    assert set(hospital_dues.filter(kind="spring").values_list("starts_on", "status")) == {
        (date(2026, 3, 15), "met"),
        (date(2027, 3, 15), "open"),
    }
    assert set(plant_dues.filter(kind="autumn").values_list("starts_on", "status")) == {
        (date(2026, 8, 1), "open"),
        (date(2027, 8, 1), "open"),
    }


def test_a_change_of_class_moves_the_open_cycle_and_closing_stops_it(world, calendar, api):
    client = api(world.user("manager_x"))
    works = ok(client.post(URL, customer_data(importance="second", voltage_kv="220"), format="json"), 201)
    assert works["cycle_rule"] == SIX_MONTHS
    changed = ok(client.patch(f"{URL}{works['id']}/", {"importance": "special"}, format="json"))
    assert changed["cycle_rule"] == IMPORTANT
    cycle = InspectionDue.objects.get(customer_id=works["id"], kind="cycle")
    assert {d.code: d.status for d in TrackedDeadline.objects.for_object(cycle)} == {
        SIX_MONTHS: "cancelled",
        IMPORTANT: "open",
    }
    closed = ok(client.patch(f"{URL}{works['id']}/", {"status": "closed"}, format="json"))
    assert {d["status"] for d in closed["dues"]} == {"cancelled"}
    customer = LargeCustomer.objects.get(pk=works["id"])
    assert customer.history.count() == 3  # registered, reclassed, closed


def test_a_spring_or_autumn_visit_from_before_the_window_rules_is_recorded_as_a_plain_visit(world, calendar, api):
    """The window rules are in force from 2011-10-25: an autumn inspection of 2010 has no window to meet (it was
    a 500, the rule lookup raising), so it is recorded like a routine visit."""
    client = api(world.user("manager_x"))
    plant = ok(
        client.post(URL, customer_data(registered_on="2009-01-05", last_inspected_on="2009-01-05"), format="json"), 201
    )
    visit = inspect(client, plant["id"], "2010-10-10", season="autumn")
    assert visit["season"] == "autumn" and visit["inspected_on"] == "2010-10-10"
    assert LargeCustomer.objects.get(pk=plant["id"]).inspections.get().season == "autumn"
    # registered in 2009, before the rules: no window and no filing is owed from then (the lookup was a 500 too)
    assert not InspectionDue.objects.filter(customer_id=plant["id"], kind__in=["spring", "autumn"]).exists()
    assert not GovernmentFiling.objects.filter(utility=world.county_x, period_start__year=2009).exists()


def test_an_identical_push_is_answered_once_and_a_different_one_conflicts(world, calendar, api):
    client = api(world.user("system_x"))
    data = customer_data(source="营销系统", external_id="DK-0001")
    first = ok(client.post(URL, data, format="json"), 201)
    again = ok(client.post(URL, data, format="json"), 200)
    assert again["id"] == first["id"] and LargeCustomer.objects.count() == 1
    assert client.post(URL, data | {"voltage_kv": "220"}, format="json").status_code == 409


def test_who_may_read_and_write_the_register(world, calendar, api):
    customer = ok(api(world.user("submitter_x")).post(URL, customer_data(), format="json"), 201)
    detail = f"{URL}{customer['id']}/"
    for name, expected in {
        "reg_staff_a": 200,  # office A supervises Shandong
        "manager_x": 200,
        "submitter_x": 200,
        "reg_staff_b": 404,
        "manager_y": 404,
    }.items():
        assert api(world.user(name)).get(detail).status_code == expected, name
    # A regulator reads, never writes: the register is the utility's.
    regulator = api(world.user("reg_staff_a"))
    assert regulator.post(URL, customer_data(account_number="9"), format="json").status_code == 403
    r = regulator.post(
        f"{detail}inspections/", {"inspected_on": "2026-03-20", "inspector": "x", "season": "routine"}, format="json"
    )
    assert r.status_code == 403
    # Company Y cannot register a customer for county X.
    assert api(world.user("manager_y")).post(URL, customer_data(account_number="8"), format="json").status_code == 403
    # Bad input: field messages.
    bad = api(world.user("submitter_x")).post(
        URL, customer_data(account_number="7", importance="甲级", voltage_kv="-1"), format="json"
    )
    assert bad.status_code == 400 and "importance" in str(bad.json()) and "voltage_kv" in str(bad.json())
    assert Decimal(customer["voltage_kv"]) == Decimal("110")


def test_the_on_time_rate_of_inspections_beside_the_other_kinds(world, calendar, api, client_for):
    from reporting import work_orders

    client = api(world.user("submitter_x"))
    hospital = ok(client.post(URL, customer_data(), format="json"), 201)
    inspect(client, hospital["id"], "2026-03-20", "spring")  # the first cycle and the spring window, on time
    inspect(client, hospital["id"], "2026-07-10")  # the second cycle (due 06-22), late
    assert "large_customer" in [k[0] for k in work_orders.KINDS]
    regulator = world.user("reg_staff_a")
    (row,) = [r for r in work_orders.rates(InspectionDue, user=regulator) if r["utility"] == world.county_x]
    assert (row["met"], row["late"], row["rate"]) == (2, 1, Decimal("66.7"))
    chart = work_orders.chart(regulator, "large_customer")
    assert chart["categories"] == [world.county_x.name] and chart["series"][0]["data"] == [66.7]
    drill = chart["series"][0]["urls"][0]
    page = client_for(regulator).get(drill)
    assert page.status_code == 200 and "汶源县人民医院" in page.content.decode()
    assert "66.7 %" in page.content.decode()  # the register's own table of rates
    other = client_for(regulator).get(f"/campaigns/large-customers/?utility={world.company_y.pk}")
    assert "汶源县人民医院" not in other.content.decode()
    assert client_for(regulator).get("/campaigns/large-customers/?utility=²").status_code == 200  # not an id
    # Office B does not supervise Shandong: no rate, and the drill-down lists nothing.
    assert work_orders.rates(InspectionDue, user=world.user("reg_staff_b")) == []


def test_overdue_notices_and_the_filing_due_wait_in_the_utilitys_worklist(world, calendar, api, client_for):
    from django.urls import reverse

    from portal.worklist import work_counts

    client = api(world.user("submitter_x"))
    hospital = ok(client.post(URL, customer_data(), format="json"), 201)
    spring = inspect(client, hospital["id"], "2026-03-20", "spring")
    body = {"inspection": spring["id"], "inspector": "王建国", "at": "2026-03-20T15:00:00+08:00"}
    notice = ok(
        client.post(
            NOTICES, body | {"hazard": "主变渗油", "measures": "停电处理", "deadline": "2026-05-15"}, format="json"
        ),
        201,
    )
    deadlines_sweep(now=datetime(2026, 6, 1, 12, 0, tzinfo=SHANGHAI))
    counts = {c.kind.key: c.count for c in work_counts(world.user("submitter_x"))}
    assert (counts["hazard_notice"], counts["large_customer_filing"]) == (1, 1)
    page = client_for(world.user("submitter_x")).get(reverse("worklist"), {"kind": "hazard_notice"}).content.decode()
    assert notice["number"] in page and f"/campaigns/hazard-notices/{notice['id']}/" in page
    owed = client_for(world.user("submitter_x")).get(reverse("worklist"), {"kind": "large_customer_filing"})
    row = owed.content.decode().split('data-kind="large_customer_filing"')[1].split("</tr>")[0]
    state = re.search(r'data-label="状态">(?:<span[^>]*>[^<]*</span> )?([^<]*)</td>', row).group(1)
    assert state == "待报送"  # its state, not the deadline column's word (截止时间)
    assert re.search(r'worklist-action" href="[^"]+">报送</a>', row)  # the verb, not the upload field's 文件
    # The regulator supervises; nothing of this waits on it. Company Y has none of county X's.
    assert "hazard_notice" not in {c.kind.key for c in work_counts(world.user("reg_staff_a"))}
    assert {c.kind.key: c.count for c in work_counts(world.user("manager_y"))}.get("hazard_notice", 0) == 0


def test_a_bulk_push_registers_once_and_reports_each_entry(world, calendar, api):
    client = api(world.user("system_x"))
    items = [
        customer_data(source="营销系统", external_id=f"DK-{n}", account_number=f"03010000{n:02d}", name=f"客户{n}")
        for n in range(5)
    ]
    first = ok(client.post(f"{URL}bulk/", {"items": items}, format="json"))
    assert first["counts"] == {"created": 5, "unchanged": 0, "updated": 0, "error": 0}
    again = ok(client.post(f"{URL}bulk/", {"items": items}, format="json"))  # a second push changes nothing
    assert again["counts"] == {"created": 0, "unchanged": 5, "updated": 0, "error": 0}
    assert LargeCustomer.objects.count() == 5 and InspectionDue.objects.filter(kind="cycle").count() == 5
    changed = items[0] | {"voltage_kv": "220"}
    bad = customer_data(source="营销系统", external_id="DK-X", importance="甲级")
    foreign = customer_data(source="营销系统", external_id="DK-Y", utility="T-Y", account_number="9")
    mixed = ok(client.post(f"{URL}bulk/", {"items": [changed, bad, foreign, items[1]]}, format="json"))
    assert [(r["result"], r["status"]) for r in mixed["results"]] == [
        ("error", 409),
        ("error", 400),
        ("error", 403),  # company Y's utility is not company X's system's to write
        ("unchanged", 200),
    ]
    assert "importance" in mixed["results"][1]["errors"]
    assert LargeCustomer.objects.count() == 5
