"""Demo large customers (大电力客户, seed 002 第五篇): a few per demo utility — a first-class hospital on 110 kV, a
high-risk chemical plant on 35 kV, a special-class steel works on 110 kV, a 220 kV second-class cement plant — with
a year of inspections (some cycles and windows kept, some missed), hazard notices (one closed on its receipt, one
overdue and re-notified, one open) and the quarterly filings to the government, judged by the sweep."""

from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import GovernmentFiling, HazardNotice, LargeCustomer
from campaigns.services import large_customers as lc
from portal.deadlines import SHANGHAI, local_date
from portal.models import Organisation, User
from portal.services import deadlines_sweep

# utility code → (the user who keeps its register, the customers' place, the authority it files with)
UTILITIES = {
    "SGCC-SD-TA-WY": ("wy_submitter", "汶源县", "汶源县应急管理局"),
    "SGCC-SD-LY-YD": ("yd_submitter", "沂东县", "沂东县应急管理局"),
    "SGCC-HE-SJZ-ZD": ("he_manager", "正定县", "正定县应急管理局"),
}
# (name, importance, kV, high risk, sources, security load kW, emergency kW, inspections [(date, season)])
CUSTOMERS = [
    (
        "{place}人民医院",
        "first",
        110,
        False,
        2,
        "110kV 城北站 I 段；110kV 汶阳站 II 段",
        800,
        1000,
        [("2026-03-20", "spring"), ("2026-06-15", "routine"), ("2026-09-10", "autumn")],
    ),
    (
        "{place}泰山化工有限公司",
        "second",
        35,
        True,
        2,
        "35kV 化工园区站 I、II 段",
        500,
        550,
        [("2026-03-01", "routine"), ("2026-08-20", "autumn")],
    ),
    (
        "{place}钢铁集团有限公司",
        "special",
        110,
        False,
        3,
        "110kV 钢城站；110kV 东郊站；220kV 热电厂联络线",
        6000,
        7500,
        [("2026-03-25", "spring"), ("2026-06-20", "routine"), ("2026-09-05", "autumn"), ("2026-11-28", "routine")],
    ),
    (
        "{place}水泥有限公司",
        "second",
        220,
        False,
        2,
        "220kV 石门站 双回路",
        1200,
        1500,
        [("2026-04-10", "spring"), ("2026-10-08", "autumn")],
    ),
]
NOTICES = [  # (customer index, inspection index, hazard, measures, deadline, receipt on (None: not yet))
    (0, 0, "10kV 配电室防小动物措施不到位，电缆沟封堵缺失", "加装挡鼠板，防火封堵电缆沟", "2026-04-30", "2026-04-22"),
    (
        1,
        0,
        "自备应急发电机未装设与电网之间的电气和机械闭锁装置（第十二条）",
        "加装可靠的电气和机械闭锁装置，防止向电网倒送电",
        "2026-05-31",
        None,
    ),
    (2, 3, "主变压器本体渗油，瓦斯继电器防雨罩缺失", "停电处理渗漏点，加装防雨罩", "2027-01-31", None),
]


def _d(text: str) -> date:
    return date.fromisoformat(text)


def load(stdout=None) -> dict:
    if LargeCustomer.objects.filter(account_number__startswith="DK-DEMO-").exists():
        return {"created": 0}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=UTILITIES)}
    users = {u.username: u for u in User.objects.filter(username__in=[v[0] for v in UTILITIES.values()])}
    if len(orgs) < len(UTILITIES) or len(users) < len(UTILITIES):
        return {"created": 0}
    today = local_date(timezone.now())
    created = 0
    for n_utility, (code, (username, place, authority)) in enumerate(UTILITIES.items()):
        utility, user = orgs[code], users[username]
        customers, visits = [], []
        for n, (name, importance, kv, risk, count, sources, load_kw, emergency, inspections) in enumerate(CUSTOMERS):
            customer = lc.large_customer_register(
                utility=utility,
                acting_user=user,
                name=name.format(place=place),
                account_number=f"DK-DEMO-{n_utility}{n:02d}",
                importance=importance,
                voltage_kv=kv,
                high_risk=risk,
                source_count=count,
                sources=sources,
                security_load_kw=load_kw,
                emergency_capacity_kw=emergency,
                government_designation=f"{place}人民政府重要电力用户认定文件（2025）" if importance != "second" else "",
                emergency_plan_on_file=importance != "second",
                registered_on=date(2026, 1, 5),
                last_inspected_on=date(2025, 12, 20),
            )
            created += 1
            customers.append(customer)
            done = []
            for day, season in inspections:
                if _d(day) <= today:
                    done.append(
                        lc.large_customer_inspect(
                            customer=customer,
                            inspected_on=_d(day),
                            inspector="王建国" if n_utility != 2 else "刘志刚",
                            season=season,
                            findings="检查受电装置、继电保护定值、自备应急电源启动试验及闭锁装置。",
                            acting_user=user,
                        )
                    )
            visits.append(done)
        first_filing = GovernmentFiling.objects.get(utility=utility, status="due")
        lc.FILING_WORKFLOW.transition(
            first_filing,
            "file",
            user,
            at=datetime(2026, 3, 31, 16, 0, tzinfo=SHANGHAI),
            filed_on=date(2026, 3, 31),
            authority=authority,
            reference=f"{place[:2]}供电〔2026〕8号",
        )
        for ci, ii, hazard, measures, deadline, receipt in NOTICES:
            if ii >= len(visits[ci]):
                continue
            inspection = visits[ci][ii]
            issued = datetime.combine(inspection.inspected_on, datetime.min.time(), tzinfo=SHANGHAI).replace(hour=16)
            notice = lc.hazard_notice_issue(
                inspection=inspection,
                hazard=hazard,
                measures=measures,
                deadline=_d(deadline),
                inspector=inspection.inspector,
                acting_user=user,
                at=issued,
            )
            lc.HAZARD_WORKFLOW.transition(
                notice, "sign", user, at=issued.replace(hour=17), signatory="客户电气负责人 张卫东"
            )
            if receipt and _d(receipt) <= today:
                pdf = SimpleUploadedFile("整改回执.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
                at = datetime.combine(_d(receipt), datetime.min.time(), tzinfo=SHANGHAI).replace(hour=10)
                lc.HAZARD_WORKFLOW.transition(notice, "receipt", user, at=at, receipt_on=_d(receipt), file=pdf)
                lc.HAZARD_WORKFLOW.transition(notice, "close", user, at=at.replace(hour=15))
    deadlines_sweep(now=timezone.now())
    # 汶源县 has reviewed its overdue notice: re-notified with a new deadline and re-filed (再通知、再备案).
    wy = orgs["SGCC-SD-TA-WY"]
    for notice in HazardNotice.objects.filter(utility=wy, status="overdue"):
        lc.HAZARD_WORKFLOW.transition(
            notice,
            "renotice",
            users[UTILITIES[wy.code][0]],
            deadline=today + timedelta(days=60),
            refiled_on=today,
            note="再梳理：闭锁装置改造需停产检修，客户承诺春节前完成；已向汶源县应急管理局再备案。",
        )
    if stdout:
        stdout.write(f"large customers demo: {created} large customers added")
    return {"created": created}
