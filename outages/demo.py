"""Demo outage notices: every kind, compliant, borderline and violating ones, a planned outage
relabelled as temporary after publication, repeated temporary outages on one line, repair
arrivals by area class and arrears cases paid at night. Wording after seeds 001 and 004.

Idempotent: a notice already there (same utility and external id) is left alone, so the dates
relative to today (the upcoming outages of the public page) do not move on a second run.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from outages import lifecycle, services
from outages.models import OutageNotice
from portal.choices import Disposition
from portal.models import Organisation, User, Violation
from portal.services import violation_dispose

SH = ZoneInfo("Asia/Shanghai")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def _days(n: float, hour: int = 8, minute: int = 0) -> datetime:
    base = timezone.localtime() + timedelta(days=n)
    return base.replace(hour=hour, minute=minute, second=0, microsecond=0)


WY = "SGCC-SD-TA-WY"
YD = "SGCC-SD-LY-YD"
ZD = "SGCC-HE-SJZ-ZD"
WY_AREA = "汶源县城关镇东关村、西关村、南关社区"


def _notices() -> list[tuple[str, str, dict, list]]:
    """(utility code, username, registration data, follow-up steps)."""
    planned = {"kind": "planned", "channels": ["media", "sms", "95598"]}
    return [
        # Planned maintenance announced 10 days ahead, restored on time.
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-2026-0312",
                "reason": "10kV城关线#12杆至#25杆更换导线，消除设备缺陷",
                "area": WY_AREA,
                "lines": "10kV城关线",
                "affected_customers": 1260,
                "important_customers": "汶源县人民医院（双电源，已通知）",
                "start_at": t("2026-03-12 08:00"),
                "end_at": t("2026-03-12 18:00"),
                "published_at": t("2026-03-02 09:00"),
                "important_customers_notified_at": t("2026-03-02 10:30"),
                "status": "restored",
                "actual_start_at": t("2026-03-12 08:02"),
                "actual_end_at": t("2026-03-12 17:20"),
            },
            [],
        ),
        # The done-when case: the 7th day by date, one hour short → borderline.
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-2026-0310",
                "reason": "10kV东关线配电变压器增容改造",
                "area": "汶源县城关镇东关村一组至五组",
                "lines": "10kV东关线",
                "affected_customers": 430,
                "start_at": t("2026-03-10 08:00"),
                "end_at": t("2026-03-10 17:00"),
                "published_at": t("2026-03-03 09:00"),
            },
            [],
        ),
        # Announced three days ahead: statute and commitment violated.
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-2026-0415",
                "reason": "35kV汶北变电站10kV出线间隔检修",
                "area": "汶源县汶北镇北店村、前营村、后营村",
                "lines": "10kV北店线、10kV前营线",
                "affected_customers": 980,
                "start_at": t("2026-04-15 07:30"),
                "end_at": t("2026-04-15 19:00"),
                "published_at": t("2026-04-12 16:00"),
                "channels": ["notice_board"],
            },
            [],
        ),
        # Announced as planned three days ahead, then relabelled as temporary: the known evasion.
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-2026-0520",
                "reason": "10kV西关线迁改（配合道路施工）",
                "area": "汶源县城关镇西关村、汶河小区",
                "lines": "10kV西关线",
                "affected_customers": 610,
                "start_at": t("2026-05-20 08:00"),
                "end_at": t("2026-05-20 16:00"),
                "published_at": t("2026-05-17 10:00"),
            },
            [("update", {"kind": "temporary"})],
        ),
        # Three temporary outages on 10kV东关线 within a month: flagged as repeated.
        *[
            (
                WY,
                "wy_submitter",
                {
                    "kind": "temporary",
                    "external_id": f"WY-LS-2026-06{i:02d}",
                    "reason": reason,
                    "area": "汶源县城关镇东关村、东关小学",
                    "lines": "10kV东关线",
                    "affected_customers": 380,
                    "start_at": t(f"2026-06-{i:02d} 09:00"),
                    "end_at": t(f"2026-06-{i:02d} 13:00"),
                    "published_at": t(f"2026-06-{i - 2:02d} 08:00"),
                    "channels": ["sms", "95598"],
                    "status": "restored",
                    "actual_start_at": t(f"2026-06-{i:02d} 09:00"),
                    "actual_end_at": t(f"2026-06-{i:02d} 12:40"),
                },
                [],
            )
            for i, reason in (
                (3, "10kV东关线#8杆绝缘子击穿临时处理"),
                (17, "10kV东关线#8杆避雷器更换"),
                (28, "10kV东关线#9杆导线断股临时检修"),
            )
        ],
        # Temporary maintenance told 23 hours ahead: a violation of the 24-hour rule.
        (
            WY,
            "wy_submitter",
            {
                "kind": "temporary",
                "external_id": "WY-LS-2026-0708",
                "reason": "10kV南关线开关柜发热缺陷处理",
                "area": "汶源县城关镇南关社区、汶源县第二中学",
                "lines": "10kV南关线",
                "affected_customers": 520,
                "start_at": t("2026-07-08 14:00"),
                "end_at": t("2026-07-08 18:00"),
                "published_at": t("2026-07-07 15:00"),
                "channels": ["sms"],
            },
            [],
        ),
        # Planned work that overran its announced end: one unexplained (violation), one explained.
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-2026-0805",
                "reason": "10kV城关线线路改造",
                "area": "汶源县城关镇汶河小区、滨河花园",
                "lines": "10kV城关线",
                "affected_customers": 870,
                "start_at": t("2026-08-05 08:00"),
                "end_at": t("2026-08-05 18:00"),
                "published_at": t("2026-07-27 09:00"),
                "status": "restored",
                "actual_start_at": t("2026-08-05 08:00"),
                "actual_end_at": t("2026-08-05 19:40"),
            },
            [],
        ),
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-2026-0812",
                "reason": "10kV北店线新建分支线路接入",
                "area": "汶源县汶北镇北店村",
                "lines": "10kV北店线",
                "affected_customers": 260,
                "start_at": t("2026-08-12 08:00"),
                "end_at": t("2026-08-12 17:00"),
                "published_at": t("2026-08-03 09:00"),
                "status": "restored",
                "actual_start_at": t("2026-08-12 08:00"),
                "actual_end_at": t("2026-08-12 18:10"),
                "delay_explanation": "检修中发现#3杆拉线基础松动，为消除安全隐患一并处理，已通过短信向客户说明。",
            },
            [],
        ),
        # Orderly power use: one day ahead by date but 23 hours → borderline; one in time.
        (
            YD,
            "yd_submitter",
            {
                "kind": "restriction",
                "external_id": "YD-XD-2026-0728",
                "reason": "执行政府批准的有序用电方案（第三级）",
                "area": "沂东县经济开发区工业园、青河镇",
                "lines": "35kV青河站10kV园区线",
                "affected_customers": 86,
                "start_at": t("2026-07-28 09:00"),
                "end_at": t("2026-07-28 21:00"),
                "published_at": t("2026-07-27 10:00"),
                "channels": ["media", "sms"],
            },
            [],
        ),
        (
            YD,
            "yd_submitter",
            {
                "kind": "restriction",
                "external_id": "YD-XD-2026-0805",
                "reason": "执行政府批准的有序用电方案（第二级）",
                "area": "沂东县经济开发区工业园",
                "lines": "35kV青河站10kV园区线",
                "affected_customers": 40,
                "start_at": t("2026-08-05 10:00"),
                "end_at": t("2026-08-05 20:00"),
                "published_at": t("2026-08-03 17:00"),
                "channels": ["media", "sms"],
            },
            [],
        ),
        # Fault repair by area class.
        (
            YD,
            "yd_submitter",
            {
                "kind": "fault",
                "external_id": "YD-GZ-2026-0902",
                "reason": "雷击导致10kV沂河线跳闸",
                "area": "沂东县城区沂河路街道",
                "lines": "10kV沂河线",
                "area_class": "urban",
                "start_at": t("2026-09-02 21:10"),
                "repair_reported_at": t("2026-09-02 21:12"),
                "repair_arrived_at": t("2026-09-02 21:50"),
                "status": "restored",
                "actual_start_at": t("2026-09-02 21:10"),
                "actual_end_at": t("2026-09-02 23:30"),
                "cause_removed_at": t("2026-09-02 23:00"),
            },
            [],
        ),
        (
            YD,
            "yd_submitter",
            {
                "kind": "fault",
                "external_id": "YD-GZ-2026-0915",
                "reason": "低压线路被大风刮断",
                "area": "沂东县青河镇王庄村",
                "lines": "王庄村1号配变低压线路",
                "area_class": "rural",
                "start_at": t("2026-09-15 02:20"),
                "repair_reported_at": t("2026-09-15 02:25"),
                "repair_arrived_at": t("2026-09-15 04:05"),
                "status": "restored",
                "actual_start_at": t("2026-09-15 02:20"),
                "actual_end_at": t("2026-09-15 07:10"),
            },
            [],
        ),
        (
            YD,
            "yd_submitter",
            {
                "kind": "fault",
                "external_id": "YD-GZ-2026-1003",
                "reason": "山区线路倒杆",
                "area": "沂东县蒙山乡石门村（山区）",
                "lines": "10kV蒙山线",
                "area_class": "remote",
                "start_at": t("2026-10-03 16:00"),
                "repair_reported_at": t("2026-10-03 16:05"),
                "repair_arrived_at": t("2026-10-03 20:20"),
                "status": "restored",
                "actual_start_at": t("2026-10-03 16:00"),
                "actual_end_at": t("2026-10-04 11:00"),
                "cause_removed_at": t("2026-10-04 10:00"),
            },
            [],
        ),
        # Arrears disconnections (欠费停电): notice, 30 days overdue first, reconnection with the night rule.
        (
            WY,
            "wy_submitter",
            {
                "kind": "arrears",
                "external_id": "WY-QF-2026-0001",
                "reason": "欠费停电",
                "area": "汶源县城关镇东关村（单户）",
                "arrears_amount": "412.60",
                "arrears_overdue_since": t("2026-08-01 00:00"),
                "start_at": t("2026-09-20 09:00"),
                "published_at": t("2026-09-11 10:00"),
                "channels": ["written", "sms"],
                "status": "in_progress",
                "actual_start_at": t("2026-09-20 09:10"),
                "paid_at": t("2026-09-20 21:30"),
                "reconnected_at": t("2026-09-20 23:10"),
            },
            [],
        ),
        (
            WY,
            "wy_submitter",
            {
                "kind": "arrears",
                "external_id": "WY-QF-2026-0002",
                "reason": "欠费停电",
                "area": "汶源县城关镇西关村（单户）",
                "arrears_amount": "286.35",
                "arrears_overdue_since": t("2026-08-05 00:00"),
                "start_at": t("2026-09-22 09:00"),
                "published_at": t("2026-09-14 09:00"),
                "channels": ["written"],
                "status": "in_progress",
                "actual_start_at": t("2026-09-22 09:05"),
                "paid_at": t("2026-09-22 22:40"),
                "reconnected_at": t("2026-09-23 09:30"),
            },
            [],
        ),
        (
            WY,
            "wy_submitter",
            {
                "kind": "arrears",
                "external_id": "WY-QF-2026-0003",
                "reason": "欠费停电",
                "area": "汶源县汶北镇前营村（单户）",
                "arrears_amount": "198.00",
                "arrears_overdue_since": t("2026-08-10 00:00"),
                "start_at": t("2026-09-25 09:00"),
                "published_at": t("2026-09-17 09:00"),
                "channels": ["written"],
                "status": "in_progress",
                "actual_start_at": t("2026-09-25 09:00"),
                "paid_at": t("2026-09-25 23:15"),
                "reconnected_at": t("2026-09-26 11:20"),
            },
            [],
        ),
        (
            WY,
            "wy_submitter",
            {
                "kind": "arrears",
                "external_id": "WY-QF-2026-0004",
                "reason": "欠费停电",
                "area": "汶源县汶北镇后营村（单户）",
                "arrears_amount": "95.20",
                "arrears_overdue_since": t("2026-09-08 00:00"),
                "start_at": t("2026-09-28 09:00"),
                "published_at": t("2026-09-24 10:00"),
                "channels": ["written"],
            },
            [],
        ),
        # Hebei: a compliant planned outage and a late one.
        (
            ZD,
            "he_manager",
            {
                **planned,
                "external_id": "ZD-JX-2026-0618",
                "reason": "10kV正定线#30杆至#41杆线路改造",
                "area": "正定县正定镇顺城关村、西关村",
                "lines": "10kV正定线",
                "affected_customers": 740,
                "start_at": t("2026-06-18 07:00"),
                "end_at": t("2026-06-18 19:00"),
                "published_at": t("2026-06-08 15:00"),
            },
            [],
        ),
        (
            ZD,
            "he_manager",
            {
                **planned,
                "external_id": "ZD-JX-2026-0910",
                "reason": "110kV正定站10kV母线检修",
                "area": "正定县正定镇府前街、燕赵大街沿线",
                "lines": "10kV府前线、10kV燕赵线",
                "affected_customers": 2100,
                "start_at": t("2026-09-10 06:00"),
                "end_at": t("2026-09-10 18:00"),
                "published_at": t("2026-09-05 11:00"),
            },
            [],
        ),
        # Relative to today: the public page always has something to show.
        (
            WY,
            "wy_submitter",
            {
                **planned,
                "external_id": "WY-JX-DEMO-NEXT",
                "reason": "10kV城关线#30杆至#42杆更换绝缘导线",
                "area": "汶源县城关镇东关村、南关社区、汶河小区",
                "lines": "10kV城关线",
                "affected_customers": 1180,
                "start_at": _days(9, 8),
                "end_at": _days(9, 18),
                "published_at": _days(-1, 9),
            },
            [],
        ),
        (
            WY,
            "wy_submitter",
            {
                "kind": "temporary",
                "external_id": "WY-LS-DEMO-NEXT",
                "reason": "10kV西关线#5杆刀闸发热处理",
                "area": "汶源县城关镇西关村",
                "lines": "10kV西关线",
                "affected_customers": 210,
                "start_at": _days(2, 9),
                "end_at": _days(2, 12),
                "published_at": _days(-1, 8),
                "channels": ["sms", "notice_board"],
            },
            [],
        ),
        (
            ZD,
            "he_manager",
            {
                **planned,
                "external_id": "ZD-JX-DEMO-NOW",
                "reason": "10kV正定线配电台区改造",
                "area": "正定县正定镇常山路沿线",
                "lines": "10kV正定线",
                "affected_customers": 320,
                "start_at": _days(0, 0) + timedelta(hours=max(0, timezone.localtime().hour - 2)),
                "end_at": _days(0, 0) + timedelta(hours=max(0, timezone.localtime().hour - 2) + 10),
                "published_at": _days(-8, 9),
            },
            [("start", None)],
        ),
        (
            YD,
            "yd_submitter",
            {
                **planned,
                "external_id": "YD-JX-DEMO-UNPUBLISHED",
                "reason": "35kV青河站主变检修",
                "area": "沂东县青河镇全镇",
                "lines": "35kV青河站全部10kV出线",
                "affected_customers": 5600,
                "start_at": _days(12, 7),
                "end_at": _days(12, 19),
                "published_at": None,
                "channels": [],
            },
            [],
        ),
    ]


@transaction.atomic
def load(stdout=None) -> dict:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[WY, YD, ZD])}
    users = {u.username: u for u in User.objects.filter(username__in=["wy_submitter", "yd_submitter", "he_manager"])}
    created = 0
    for code, username, data, steps in _notices():
        utility, user = orgs[code], users[username]
        if OutageNotice.objects.filter(utility=utility, external_id=data["external_id"]).exists():
            continue
        notice = services.notice_register(utility=utility, data=data, acting_user=user)
        for verb, extra in steps:
            if verb == "update":
                notice = services.notice_update(notice=notice, data=extra, acting_user=user)
            elif verb == "start":
                notice = lifecycle.notice_start(notice=notice, at=notice.start_at, acting_user=user)
        created += 1
    _dispose_examples()
    if stdout:
        stdout.write(f"outages demo: {created} notices added ({OutageNotice.objects.count()} in all)")
    return {"created": created}


def _dispose_examples() -> None:
    """A regulator has already looked at two violations: one confirmed, one excused."""
    staff = User.objects.filter(username="sd_staff").first()
    if staff is None:
        return
    ct = ContentType.objects.get_for_model(OutageNotice)
    for external_id, code, disposition, reason in (
        ("WY-JX-2026-0415", "outage.notice.planned", Disposition.CONFIRMED, ""),
        (
            "YD-GZ-2026-0915",
            "repair.arrival.rural",
            Disposition.EXCUSED,
            "当晚8级大风、道路积水，抢修车辆绕行，情况属实。",
        ),
    ):
        notice = OutageNotice.objects.filter(external_id=external_id).first()
        violation = (
            Violation.objects.filter(
                content_type=ct, object_id=notice.pk, code=code, disposition=Disposition.PENDING
            ).first()
            if notice
            else None
        )
        if violation:
            violation_dispose(violation=violation, disposition=disposition, reason=reason, acting_user=staff)
