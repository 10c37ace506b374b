"""Demo complaint tickets: about 3,000 across every channel, kind, category and demo utility, received
around the 2026 holidays (Spring Festival, May Day, National Day) and in the last weeks, in every
state: closed on time and late, waiting for a reply, overdue, at risk, 12398 items forwarded or still
in the regulator's queue, supervised (督办) ones, and the same grievance through two channels linked.

Intake goes through the real set-based intake (`complaints_intake`), forwarding, supervision and
links through the services. The bulk of the handling (contact, reply, visit, close of ~2,000 old
tickets) is written in bulk here so that `load_demo` stays fast: the same fields, events, history rows
and deadline statuses the services write, in a few statements.

Idempotent: when the demo tickets exist, nothing is added.
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from complaints import lifecycle, services
from complaints.choices import CONTACT_PREFIX, REPLY_PREFIX, Status, SupervisionLevel
from complaints.models import Complaint, ComplaintEvent, Supervision
from complaints.selectors import duplicate_candidates
from portal.choices import DeadlineStatus
from portal.models import Organisation, TrackedDeadline, User
from portal.services import deadlines_sweep

SH = ZoneInfo("Asia/Shanghai")
PREFIX = "DEMO-"
TOTAL = 3000
IGNORED = f"{PREFIX}IGNORED"  # the one complaint the utility ignores, escalated to a talk

UTILITIES = {
    # code: (region, weight)
    "SGCC-SD-TA-WY": ("泰安市汶源县", 5),
    "SGCC-SD-TA-WY-CG": ("泰安市汶源县城关镇", 2),
    "SGCC-SD-LY-YD": ("临沂市沂东县", 4),
    "SGCC-SD-QD-JB": ("青岛市胶北县", 3),
    "SGCC-SD-JN-ZQ": ("济南市章丘区", 3),
    "SGCC-SD-JN-ZQ-BC": ("济南市章丘区埠村街道", 1),
    "SGCC-HE-SJZ-ZD": ("石家庄市正定县", 3),
    "SGCC-HA-ZZ": ("郑州市", 2),
}
PLACES = {
    "SGCC-SD-TA-WY": ["城关镇东关村", "城关镇西关村", "汶阳镇北王庄", "南关社区", "汶河花园小区"],
    "SGCC-SD-TA-WY-CG": ["城关镇东关村", "城关镇南关社区", "城关镇幸福路"],
    "SGCC-SD-LY-YD": ["沂东镇河东村", "青云镇后庄村", "沂河新区滨河小区"],
    "SGCC-SD-QD-JB": ["胶北街道前屯村", "胶北街道海尔路", "里岔镇张家庄"],
    "SGCC-SD-JN-ZQ": ["明水街道东山社区", "埠村街道王家村", "双山街道绣水小区"],
    "SGCC-SD-JN-ZQ-BC": ["埠村街道王家村", "埠村街道东埠村"],
    "SGCC-HE-SJZ-ZD": ["正定镇东门里", "新城铺镇北村", "诸福屯镇南化村"],
    "SGCC-HA-ZZ": ["金水区花园路", "二七区长江路", "中原区建设路"],
}
CHANNELS = [
    ("95598", 50),
    ("12398", 18),
    ("12345", 16),
    ("12315", 4),
    ("letter", 3),
    ("website", 5),
    ("walk_in", 3),
    ("other", 1),
]
KINDS = [("complaint", 70), ("report", 8), ("inquiry", 15), ("suggestion", 7)]
CONTENT = {
    "outage": [
        "{place}近一周频繁停电，每次一两个小时，没有收到任何停电通知。",
        "{place}昨晚突然停电至今未恢复，家里有老人需要用制氧机。",
        "{place}计划停电公告时间与实际停电时间不符，提前两小时就停了。",
    ],
    "connection": [
        "{place}新建住房申请用电报装已超过十个工作日，至今无人联系。",
        "{place}保障性住房小区报装接电迟迟不能通电，要求尽快处理。",
        "{place}申请增容后供电方案答复超期，要求说明原因。",
    ],
    "billing": [
        "{place}本月电费比上月高出一倍，怀疑抄表有误，要求核实。",
        "{place}执行居民阶梯电价有误，按一般工商业电价收费。",
        "{place}缴纳欠费后超过两小时仍未复电。",
    ],
    "metering": [
        "{place}电能表走字过快，申请校验电能表，五个工作日未答复结果。",
        "{place}更换智能电表后电量异常，要求说明换表前后底度。",
    ],
    "quality": [
        "{place}晚上电压偏低，灯泡发暗，空调无法启动。",
        "{place}电压忽高忽低，烧坏了家里的冰箱和电视。",
    ],
    "conduct": [
        "{place}供电所营业厅工作人员态度恶劣，办理业务推诿。",
        "{place}抄表员上门时未出示工作证件，语言不文明。",
    ],
    "repair": [
        "{place}报修后三个小时抢修人员才到达现场。",
        "{place}线路断线落地，报修后无人处理，存在安全隐患。",
    ],
    "other": ["{place}建议在村里增设电费代收点。", "{place}咨询分布式光伏并网手续和电价补贴政策。"],
}
CATEGORY_WEIGHTS = [
    ("outage", 28),
    ("connection", 10),
    ("billing", 18),
    ("metering", 8),
    ("quality", 14),
    ("conduct", 8),
    ("repair", 10),
    ("other", 4),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "桂兰", "志强", "丽娟", "海燕", "明", "静", "伟", "敏", "红梅", "国庆", "春生", "立新"]
OPINIONS = [
    "经现场核实，已调整配变分接头并新增低压出线，电压恢复正常，已向客户解释。",
    "经核查，停电系10kV线路故障跳闸，已加强线路巡视并完善停电信息报送。",
    "已安排校验电能表，误差在合格范围内，已向客户反馈校验结果。",
    "经核实电费计算有误，已退还多收电费并向客户致歉。",
    "已对相关工作人员进行批评教育，纳入绩效考核，并上门向客户致歉。",
    "已完成报装接电，客户已正常用电。",
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _received(rng: random.Random, now: datetime) -> datetime:
    """Around the 2026 holidays, or in the last 60 days (some in the last hours: at risk / on time)."""
    window = rng.random()
    if window < 0.12:
        start, days = datetime(2026, 2, 10, tzinfo=SH), 20  # Spring Festival 02-15..02-23
    elif window < 0.22:
        start, days = datetime(2026, 4, 28, tzinfo=SH), 10  # May Day 05-01..05-05
    elif window < 0.45:
        start, days = datetime(2026, 9, 24, tzinfo=SH), 16  # National Day 10-01..10-08
    elif window < 0.95:
        start, days = now - timedelta(days=60), 58
    else:
        start, days = now - timedelta(hours=40), 1.6
    instant = start + timedelta(seconds=rng.uniform(0, days * 86400))
    instant = instant.astimezone(SH)
    if instant.hour < 7 or instant.hour > 22:
        instant = instant.replace(hour=rng.randint(8, 20))
    return min(instant, now - timedelta(minutes=5))


def _items(rng: random.Random, now: datetime) -> list[dict]:
    items = []
    utilities = [(code, w) for code, (_region, w) in UTILITIES.items()]
    for i in range(TOTAL):
        code = _weighted(rng, utilities)
        channel = _weighted(rng, CHANNELS)
        category = _weighted(rng, CATEGORY_WEIGHTS)
        place = rng.choice(PLACES[code])
        received = _received(rng, now)
        item = {
            "channel": channel,
            "kind": _weighted(rng, KINDS) if category != "other" else "suggestion",
            "external_id": f"{PREFIX}{received:%Y%m%d}-{i:05d}",  # shown after the channel: "95598-DEMO-…"
            "received_at": received.isoformat(),
            "utility": code,
            "region": UTILITIES[code][0],
            "category": category,
            "content": rng.choice(CONTENT[category]).format(place=place),
            "customer_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "customer_phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            "address": f"{UTILITIES[code][0]}{place}{rng.randint(1, 40)}号",
        }
        if rng.random() < 0.6:
            item["accepted_at"] = min(received + timedelta(minutes=rng.randint(5, 90)), now).isoformat()
        items.append(item)
    # The same grievance through a second channel (linked below): same phone, address and category.
    for j in range(40):
        src = items[j * 7]
        twin = dict(src)
        twin["channel"] = "12398" if src["channel"] != "12398" else "12345"
        twin["external_id"] = f"{PREFIX}TWIN-{j:03d}"
        twin["received_at"] = min(
            datetime.fromisoformat(src["received_at"]) + timedelta(hours=rng.randint(3, 60)), now - timedelta(minutes=5)
        ).isoformat()
        twin.pop("accepted_at", None)
        items.append(twin)
    # The ignored complaint: received a month ago, never touched by the utility (see _outcomes_and_escalation).
    received = (now - timedelta(days=30)).astimezone(SH).replace(hour=10, minute=0, second=0, microsecond=0)
    items.append(
        {
            "channel": "95598",
            "kind": "complaint",
            "external_id": IGNORED,
            "received_at": received.isoformat(),
            "utility": "SGCC-SD-TA-WY",
            "region": UTILITIES["SGCC-SD-TA-WY"][0],
            "category": "quality",
            "content": "汶阳镇北王庄晚上电压偏低，灯泡发暗，空调无法启动，多次反映无人处理。",
            "customer_name": "王建国",
            "customer_phone": "13953800000",
            "address": f"{UTILITIES['SGCC-SD-TA-WY'][0]}汶阳镇北王庄12号",
        }
    )
    return items


def _writer(item: dict, users: dict, orgs: dict) -> User:
    province = orgs[item["utility"]].province.code
    if item["channel"] == "12398":
        return users["sys_12398"] if province in ("37", "13") else users["cc_staff"]
    return {"37": users["sys_95598_sd"], "13": users["he_manager"], "41": users["ha_manager"]}[province]


def load(stdout=None) -> dict:
    if Complaint.objects.filter(external_id__startswith=PREFIX).exists():
        if stdout:
            stdout.write(f"complaints demo: already loaded ({Complaint.objects.count()} tickets)")
        return {"created": 0}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=UTILITIES).select_related("province")}
    names = ["sys_12398", "cc_staff", "sys_95598_sd", "he_manager", "ha_manager", "sd_staff", "nc_staff"]
    names += ["wy_submitter", "yd_submitter", "sd_manager"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(orgs) < len(UTILITIES) or len(users) < len(names):
        return {"created": 0}  # the portal demo (organisations, users) is not loaded
    rng = random.Random(2026)
    now = timezone.now()
    items = _items(rng, now)
    by_writer: dict[int, tuple[User, list]] = {}
    for item in items:
        user = _writer(item, users, orgs)
        by_writer.setdefault(user.pk, (user, []))[1].append(item)
    created = 0
    for user, batch in by_writer.values():
        for start in range(0, len(batch), 1000):
            results = services.complaints_intake(items=batch[start : start + 1000], acting_user=user)
            created += sum(r.result == "created" for r in results)
    tickets = list(Complaint.objects.filter(external_id__startswith=PREFIX).select_related("utility"))
    _forward_and_supervise(tickets, users, rng, now)
    _handle_in_bulk(tickets, users, rng, now)
    _link_twins(users)
    _outcomes_and_escalation(users, rng, now)
    deadlines_sweep(now=now)
    if stdout:
        stdout.write(f"complaints demo: {created} tickets added ({Complaint.objects.count()} in all)")
    return {"created": created}


def _forward_and_supervise(tickets, users, rng, now) -> None:
    """Most 12398 items are forwarded by the regulator (a few stay in its queue); some supervised."""
    regulators = {"37": users["sd_staff"], "13": users["nc_staff"]}
    hotline = [t for t in tickets if t.channel == "12398" and t.utility.province.code in regulators]
    for t in sorted(hotline, key=lambda t: t.received_at):
        if t.kind == "report":
            continue  # a 12398 举报 is the regulator's own case: never forwarded (see _outcomes_and_escalation)
        if t.received_at > now - timedelta(days=2) and rng.random() < 0.7:
            continue  # still in the queue
        at = min(t.received_at + timedelta(hours=rng.randint(2, 20)), now)
        lifecycle.complaint_forward(
            ticket=t, acting_user=regulators[t.utility.province.code], at=at, note="请核实处理并按时反馈"
        )
    recent_open = [t for t in tickets if now - timedelta(days=20) < t.received_at < now - timedelta(days=3)]
    for t in rng.sample(recent_open, min(12, len(recent_open))):
        regulator = regulators.get(t.utility.province.code)
        if regulator is None or (t.channel == "12398" and t.status != Status.FORWARDED):
            continue
        lifecycle.complaint_supervise(
            ticket=t,
            acting_user=regulator,
            note="群众反映强烈，请加快处理并于期限内反馈处理结果",
            due=now + timedelta(days=rng.randint(1, 3)),
        )


@transaction.atomic
def _handle_in_bulk(tickets, users, rng, now) -> None:
    """Contact, reply, visit and close most old tickets (a few late), as the services would."""
    handlers = {
        "SGCC-SD-TA-WY": users["wy_submitter"],
        "SGCC-SD-TA-WY-CG": users["wy_submitter"],
        "SGCC-SD-LY-YD": users["yd_submitter"],
        "SGCC-HE-SJZ-ZD": users["he_manager"],
        "SGCC-HA-ZZ": users["ha_manager"],
    }
    fresh = {t.pk: t for t in Complaint.objects.filter(pk__in=[t.pk for t in tickets]).select_related("utility")}
    changed, events = [], []
    plan: dict[int, dict[str, datetime]] = {}
    for ticket in fresh.values():
        if ticket.external_id == IGNORED or (ticket.channel == "12398" and not ticket.forwarded_at):
            continue
        if ticket.supervised_at or ticket.received_at > now - timedelta(days=2):
            continue
        age = (now - ticket.received_at).days
        roll = rng.random()
        # Older tickets are mostly closed; the last weeks have more in progress; ~6 % never answered.
        if roll < 0.06 or (age < 10 and roll < 0.35):
            continue
        user = handlers.get(ticket.utility.code, users["sd_manager"])
        start = ticket.forwarded_at or ticket.accepted_at or ticket.received_at
        late = rng.random() < 0.12
        contacted = start + timedelta(hours=rng.uniform(30, 120) if late else rng.uniform(0.5, 20))
        replied = contacted + timedelta(days=rng.uniform(6, 14) if late else rng.uniform(0.5, 5))
        steps = {"contact": contacted, "reply": replied}
        if age > 14 or rng.random() < 0.5:
            steps["visit"] = replied + timedelta(days=rng.uniform(0.5, 2))
            steps["close"] = steps["visit"] + timedelta(hours=rng.uniform(1, 8))
        steps = {k: v for k, v in steps.items() if v < now}
        if not steps:
            continue
        plan[ticket.pk] = steps
        old = ticket.status
        for step, at in steps.items():
            new_status = lifecycle.WORKFLOW.step(step).to
            data = {}
            if step == "contact":
                ticket.contacted_at = at
            elif step == "reply":
                ticket.replied_at = at
                ticket.reply_opinion = rng.choice(OPINIONS)
                data = {"opinion": ticket.reply_opinion}
            elif step == "visit":
                ticket.visited_at = at
                ticket.satisfaction = rng.choices(
                    ["satisfied", "basically", "dissatisfied", "unreachable"], weights=[70, 18, 7, 5]
                )[0]
                data = {"satisfaction": ticket.satisfaction}
            else:
                ticket.closed_at = at
            events.append(
                ComplaintEvent(
                    complaint=ticket,
                    action=lifecycle.WORKFLOW.step(step).event,
                    at=at,
                    actor=user,
                    organisation=user.organisation,
                    from_status=old,
                    to_status=new_status,
                    data=data,
                )
            )
            old = new_status
        ticket.status = old
        ticket._history_user = user
        changed.append(ticket)
    fields = ["status", "contacted_at", "replied_at", "reply_opinion", "visited_at", "satisfaction", "closed_at"]
    _update_many(Complaint, changed, fields)
    Complaint.history.bulk_history_create(changed, default_change_reason="demo handling")
    ComplaintEvent.objects.bulk_create(events, batch_size=1000)
    ct = ContentType.objects.get_for_model(Complaint)
    rows = list(
        TrackedDeadline.objects.filter(content_type=ct, object_id__in=list(plan)).exclude(
            status=DeadlineStatus.CANCELLED
        )
    )
    for row in rows:
        steps = plan[row.object_id]
        met = None
        if row.code.startswith(CONTACT_PREFIX):
            met = steps.get("contact")
        elif row.code.startswith(REPLY_PREFIX) or row.code == "complaint.supervision":
            met = steps.get("reply")
        if "close" in steps and met is None:
            row.status = DeadlineStatus.CANCELLED
        elif met is not None:
            row.status = DeadlineStatus.MET if met <= row.due else DeadlineStatus.MET_LATE
            row.met_at = met
    _update_many(TrackedDeadline, rows, ["status", "met_at"])
    by_ticket: dict[int, list] = {}
    for row in rows:
        by_ticket.setdefault(row.object_id, []).append(
            services._Line(
                row.code,
                row.due,
                services._warn(row.at_risk_at, row.remind_at),
                row.status,
                row.source_class,
                row.provisional,
                row.met_at,
            )
        )
    for ticket in changed:
        services._summarise(ticket, by_ticket.get(ticket.pk, []))
    _update_many(Complaint, changed, services.SUMMARY_FIELDS)


def _update_many(model, objs, fields) -> None:
    """UPDATE ... WHERE id = %s with executemany: Django's bulk_update builds CASE expressions whose
    cost grows fast with the batch; the demo writes thousands of rows on every `scripts/demo`."""
    if not objs:
        return
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    # Identifiers come from the model (quoted), values are parameters: no input reaches the SQL text.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        connection.ops.quote_name(meta.db_table),
        ", ".join(f"{connection.ops.quote_name(c.column)} = %s" for c in columns),
        connection.ops.quote_name(meta.pk.column),
    )
    params = [[c.get_db_prep_save(getattr(o, c.attname), connection) for c in columns] + [o.pk] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _link_twins(users) -> None:
    """The twins pushed through a second channel: a regulator confirms half of the links; the rest
    wait as duplicate candidates on the ticket page."""
    staff = users["sd_staff"]
    twins = Complaint.objects.filter(external_id__contains="-TWIN-").select_related("utility").order_by("id")
    for n, twin in enumerate(twins):
        if n % 2 or twin.utility.province.code != "37":
            continue
        candidates = [
            c for c in duplicate_candidates(ticket=twin, user=staff) if c.customer_phone == twin.customer_phone
        ]
        if candidates:
            services.complaint_link(
                ticket=twin, other=candidates[0], acting_user=staff, note="同一客户同一诉求，多渠道反映"
            )


DECLINE_REASONS = [
    "客户补卡须带房产证明，属正常业务要求，我公司无过失，经解释客户表示理解，不予受理。",
    "客户因欠费停电要求投诉，已解释相关法规政策，缴清欠费后已复电，我公司无过失，不予受理。",
]
DEPARTMENTS = ["城关供电所", "营销部", "运维检修部", "客户服务中心", "抢修班"]


def _outcomes_and_escalation(users, rng, now) -> None:
    """Issue 13 in the demo: findings and responsible departments on answered tickets, a few 不予受理,
    12398 举报 investigated by the regulator itself, and one ignored complaint escalated through the three
    levels of 督办 to a 约谈 (each level on the catalogue's clock, escalated by the sweep)."""
    regulators = {"37": users["sd_staff"], "13": users["nc_staff"]}
    handlers = {"37": users["sd_manager"], "13": users["he_manager"], "41": users["ha_manager"]}
    demo = Complaint.objects.filter(external_id__startswith=PREFIX).select_related("utility__province")
    # Findings on answered tickets (属实 / 部分属实 / 不属实) and the department responsible.
    answered = list(demo.filter(status__in=[Status.REPLIED, Status.VISITED]).exclude(channel="12398")[:400])
    for t in rng.sample(answered, min(40, len(answered))):
        finding = rng.choices(["founded", "partly", "unfounded"], weights=[50, 30, 20])[0]
        lifecycle.complaint_finding(
            ticket=t,
            acting_user=handlers[t.utility.province.code],
            finding=finding,
            responsible_department=rng.choice(DEPARTMENTS) if finding != "unfounded" else "",
            note="经核实",
        )
    # 不予受理 (seed 002: 如根本没有过失，就算用户投诉也不能受理).
    received = list(
        demo.filter(channel="95598", status=Status.RECEIVED, kind="complaint", supervision_level=0).exclude(
            external_id=IGNORED
        )[:50]
    )
    for t in rng.sample(received, min(4, len(received))):
        lifecycle.complaint_decline(
            ticket=t, acting_user=handlers[t.utility.province.code], note=rng.choice(DECLINE_REASONS)
        )
    # 12398 举报: the regulator assigns, investigates, concludes.
    reports = [
        t
        for t in demo.filter(channel="12398", kind="report", status__in=[Status.RECEIVED, Status.ACCEPTED])
        if t.utility.province.code in regulators and t.received_at < now - timedelta(days=1)
    ]
    for i, t in enumerate(sorted(reports, key=lambda t: t.received_at)[:6]):
        officer = regulators[t.utility.province.code]
        at = t.received_at + timedelta(hours=3)
        lifecycle.complaint_assign(ticket=t, acting_user=officer, officer=officer.username, at=at, note="请核查")
        lifecycle.complaint_investigate(
            ticket=t,
            acting_user=officer,
            at=at + timedelta(hours=20),
            method="调阅用电信息采集系统数据及抄表记录",
            findings="抄表数据与采集数据存在差异，需现场核实",
        )
        if i % 2 == 0 and at + timedelta(days=3) < now:
            lifecycle.complaint_investigate(
                ticket=t,
                acting_user=officer,
                at=at + timedelta(days=2),
                method="现场核查",
                findings="现场电能表示数与账单一致，未发现估抄",
            )
            lifecycle.complaint_conclude(
                ticket=t,
                acting_user=officer,
                at=at + timedelta(days=3),
                finding="unfounded",
                conclusion="经调阅资料和现场核查，举报事项不属实，已向举报人说明。",
            )
    # One ignored complaint, escalated through the three levels to a talk (by the sweep, on the catalogue's clocks).
    ignored = demo.get(external_id=IGNORED)
    regulator = regulators["37"]
    lifecycle.complaint_supervise(
        ticket=ignored,
        acting_user=regulator,
        at=ignored.received_at + timedelta(days=2),
        note="客户反映问题长期未获处理，请3个工作日内办结并报告",
    )
    for level in (1, 2):
        due = Supervision.objects.get(complaint=ignored, level=level).due
        deadlines_sweep(now=due + timedelta(seconds=1))
    third = Supervision.objects.get(complaint=ignored, level=SupervisionLevel.THIRD)
    held = min(third.due + timedelta(days=1), now - timedelta(hours=1))
    lifecycle.complaint_talk(
        ticket=Complaint.objects.get(pk=ignored.pk),
        acting_user=regulator,
        held_at=held,
        attendees="供电公司总经理、营销部主任；山东监管办投诉处负责人",
        agreement="三日内上门答复客户，一周内完成线路整改并书面报告",
        follow_up_due=max(held + timedelta(days=7), now + timedelta(days=2)),
    )
