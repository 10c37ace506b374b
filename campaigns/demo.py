"""Demo data of the campaigns app: the 2011–2012 campaign of seed 000 (from campaigns/data/) with the
three sample self-check reports at different stages, and a current 2026 campaign. Idempotent: a
campaign whose code exists is left alone."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from campaigns import services
from campaigns.checklists import DATA, load_checklist
from campaigns.choices import DeliverableKind, GroupKind, MemberRole, PhaseKind, RectificationStatus
from campaigns.models import (
    Campaign,
    DemonstrationZone,
    GroupMember,
    Highlight,
    LeadingGroup,
    OfficeDuty,
    Phase,
    RectificationProgramme,
    SelfCheckReport,
)
from campaigns.selectors import report_checklist_items
from portal.models import Organisation, Province, User
from portal.services import deadlines_sweep

ROLE = {"组长": MemberRole.LEADER, "副组长": MemberRole.DEPUTY, "成员": MemberRole.MEMBER}
PHASE_KINDS = [PhaseKind.DEPLOYMENT, PhaseKind.SELF_CHECK, PhaseKind.INSPECTION, PhaseKind.SUMMARY]
DELIVERABLE_KINDS = {"自查报告": DeliverableKind.SELF_CHECK_REPORT, "专项报告": DeliverableKind.SPECIAL_REPORT}
# The sample's utilities (by name) → the demo organisations and the users who file for them.
SAMPLE_UTILITIES = {
    "汶源县供电公司": ("SGCC-SD-TA-WY", "wy_submitter"),
    "沂东县供电公司": ("SGCC-SD-LY-YD", "yd_submitter"),
    "胶北县供电公司": ("SGCC-SD-QD-JB", "sd_manager"),
}
FOCUS_WITH_CHECKLIST = 4  # 供电能力、供电质量和供电服务: checked with 百问百查


# A one-page PDF stands for the scanned completion evidence of the demo's items (completion needs a file).
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(item, user, name: str = "整改完成情况报告.pdf") -> None:
    services.evidence_add(target=item, acting_user=user, file=SimpleUploadedFile(name, EVIDENCE_PDF))


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def load(stdout=None) -> dict:
    if not Organisation.objects.filter(code="NEA-SD").exists():
        return {}
    template, n = load_checklist()
    out = {"checklist_items": n}
    with transaction.atomic():
        out["2011"] = _load_2011(template)
    with transaction.atomic():
        out["2026"] = _load_2026(template)
    with transaction.atomic():
        out["programme"] = _load_programme()
    # Let the shared sweep flag what is overdue now (idempotent), as the beat task would.
    out["sweep"] = deadlines_sweep()
    if stdout:
        stdout.write(
            f"campaigns: 百问百查 {n} items; campaigns JMYD-2011 and JMYD-2026; programme XFPY-2026; "
            f"sweep {out['sweep']}"
        )
    return out


def _groups(campaign: Campaign, data: dict, user: User) -> None:
    for order, g in enumerate(data["leading_groups"], start=1):
        office = g.get("office") or {}
        director = office.get("director") or {}
        group = LeadingGroup(
            campaign=campaign,
            kind=GroupKind.JOINT if g["kind"] == "joint" else GroupKind.REGULATOR,
            name=g["name"],
            organisations=g.get("organisation", ""),
            order=order,
            office_name=office.get("name", ""),
            office_director=director.get("name", ""),
            office_director_title=director.get("title", ""),
            office_director_organisation=director.get("organisation", ""),
        )
        services.save(group, user)
        for i, m in enumerate(g["members"], start=1):
            services.save(
                GroupMember(
                    group=group,
                    role=ROLE[m["role"]],
                    name=m["name"],
                    title=m.get("title", ""),
                    organisation_name=m.get("organisation", ""),
                    order=i,
                ),
                user,
            )
        for d in office.get("departments", []):
            services.save(
                OfficeDuty(
                    group=group,
                    department=d["department"],
                    organisation_name=d.get("organisation", ""),
                    duties=d["duties"],
                ),
                user,
            )


def _load_2011(template) -> str:
    data = json.loads((DATA / "campaign_2011.json").read_text(encoding="utf-8"))
    if Campaign.objects.filter(code=data["code"]).exists():
        return "exists"
    reg = User.objects.get(username="sd_staff")
    owner = Organisation.objects.get(code="NEA-SD")
    principles = "\n".join(f"{p['title']}：{p['text']}" for p in data["principles"])
    campaign = services.campaign_create(
        owner=owner,
        code=data["code"],
        title=data["title"],
        short_title=data["short_title"],
        start_date=_d(data["start_date"]),
        end_date=_d(data["end_date"]),
        background=data["background"],
        principles=principles,
        goals=data["goals"],
        province=Province.objects.filter(code="37").first(),
        experience="；".join(data["supervision_methods"][3:4]),
        proposals="建立常态化监管机制，对供电企业未履行保障居民生活用电责任等情况进行披露和处罚。",
        acting_user=reg,
        with_template_phases=False,
    )
    for p, kind in zip(data["phases"], PHASE_KINDS, strict=True):
        services.phase_save(
            campaign=campaign,
            acting_user=reg,
            order=p["number"],
            name=p["title"],
            full_name=p["full_title"],
            kind=kind,
            start_date=_d(p["start_date"]),
            end_date=_d(p["end_date"]),
            tasks=p["tasks"],
        )
    phases = {p.order: p for p in campaign.phases.all()}
    focus = {}
    for fi in data["focus_items"]:
        focus[fi["number"]] = services.focus_item_save(
            campaign=campaign, acting_user=reg, number=fi["number"], title=fi["title"], description=fi["description"]
        )
    services.checklist_attach(focus_item=focus[FOCUS_WITH_CHECKLIST], checklist=template, acting_user=reg)
    codes = [code for code, _u in SAMPLE_UTILITIES.values()]
    services.campaign_set_scope(
        campaign=campaign, organisations=Organisation.objects.filter(code__in=codes), acting_user=reg
    )
    for d in data["deliverables"]:
        services.deliverable_save(
            campaign=campaign,
            acting_user=reg,
            phase=phases[d["phase"]],
            kind=DELIVERABLE_KINDS.get(d["title"], DeliverableKind.OTHER),
            title=d["title"],
            description=d["description"],
            per_utility=d["per_utility"],
            due_date=_d(d["due_date"]),
        )
    for d in data["recurring_deliverables"]:
        services.deliverable_save(
            campaign=campaign,
            acting_user=reg,
            kind=DeliverableKind.PROGRESS_REPORT,
            title=d["title"],
            description=d["description"],
            due_month=d["month"],
            due_day=d["day"],
            internal_month=d["internal_month"],
            internal_day=d["internal_day"],
        )
    _groups(campaign, data, reg)
    for z in data["demonstration_zones"]:
        code = next((c for name, (c, _u) in SAMPLE_UTILITIES.items() if name == z["utility"]), None)
        services.save(
            DemonstrationZone(
                campaign=campaign,
                kind=z["kind"],
                name=z["name"],
                level=z["level"],
                utility=Organisation.objects.filter(code=code).first() if code else None,
                designated_on=_d(z["designated_on"]),
                description=z["description"],
            ),
            reg,
        )
    services.save(
        Highlight(
            campaign=campaign,
            title="汶源县建成供电优质服务示范单位",
            body="汶源县供电公司修订停电信息发布办法，计划停电提前8天录入营销系统统一发布；保障性住房业扩环节设置超时预警。",
            published_on=date(2012, 11, 20),
        ),
        reg,
    )
    # Regulator deliverables handed in on time (the special report by 2012-12-10).
    for d in campaign.deliverables.filter(per_utility=False):
        services.deliverable_mark_done(
            deliverable=d,
            utility=owner,
            acting_user=reg,
            at=datetime.combine(d.due_date, datetime.min.time(), tzinfo=_tz()),
        )
    # The other per-utility deliverables of 2011–2012 were handed in (the portal did not exist then).
    for d in campaign.deliverables.filter(per_utility=True).exclude(kind=DeliverableKind.SELF_CHECK_REPORT):
        for utility in campaign.utilities.all():
            services.deliverable_mark_done(
                deliverable=d, utility=utility, acting_user=reg, at=datetime(2011, 11, 1, 9, tzinfo=_tz())
            )
    samples = json.loads((DATA / "self_check_sample.json").read_text(encoding="utf-8"))
    for sample in samples["reports"]:
        code, username = SAMPLE_UTILITIES[sample["utility"]["name"]]
        utility = Organisation.objects.get(code=code)
        _sample_report(campaign, utility, User.objects.get(username=username), reg, sample, focus)
    return "created"


def _tz():
    return ZoneInfo("Asia/Shanghai")


def _pct(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _answer_rest(report: SelfCheckReport, user: User) -> None:
    """Answer the checklist items the demo leaves unanswered (a report is filed only with every item
    answered): the utility found them met."""
    answered = set(report.answers.values_list("item_id", flat=True))
    for item in report_checklist_items(report).exclude(pk__in=answered):
        services.answer_save(report=report, item=item, answer="compliant", acting_user=user)


def _sample_report(campaign, utility, user, reg, sample, focus) -> SelfCheckReport:
    figures, ind = sample["basic_figures"], sample["indicators"]
    classes = ind.get("voltage_qualification_by_class_pct", {})
    prepared = sample.get("prepared_by") or {}
    report = services.report_create(
        campaign=campaign,
        utility=utility,
        acting_user=user,
        title=sample["title"],
        summary=sample["summary"] + "\n\n" + "\n".join(f"{c['title']}：{c['text']}" for c in sample["focus_checks"]),
        declared_organisation=sample["utility"]["name"],
        period_start=_d(sample["period"]["start"]),
        period_end=_d(sample["period"]["end"]),
        indicator_year=sample["period"]["indicator_year"],
        prepared_department=prepared.get("department", ""),
        prepared_person=prepared.get("person", ""),
        customers=figures.get("customers"),
        residential_customers=figures.get("residential_customers"),
        staff=figures.get("staff"),
        service_area_km2=Decimal(str(figures["service_area_km2"])) if figures.get("service_area_km2") else None,
        annual_consumption=Decimal(str(figures["annual_consumption_10k_kwh"]))
        if figures.get("annual_consumption_10k_kwh")
        else None,
        reliability_urban=_pct(ind.get("reliability_rs3_urban_pct")),
        reliability_rural=_pct(ind.get("reliability_rs3_rural_pct")),
        voltage_overall=_pct(ind.get("voltage_qualification_pct")),
        voltage_a=_pct(classes.get("A")),
        voltage_b=_pct(classes.get("B")),
        voltage_c=_pct(classes.get("C")),
        voltage_d=_pct(classes.get("D")),
        complaints=ind.get("complaints"),
        complaints_12398=ind.get("complaints_from_12398"),
        complaints_replied_in_time=ind.get("complaints_replied_in_time"),
        satisfaction=_pct(ind.get("satisfaction_pct")),
    )
    template = focus[FOCUS_WITH_CHECKLIST].checklist
    answers = {18: ("non_compliant", "3次计划停电公告距停电不足7天"), 42: ("compliant", "投诉7件均在7个工作日内答复")}
    for number, (answer, note) in answers.items():
        services.answer_save(
            report=report,
            item=template.items.get(kind="check", number=number),
            answer=answer,
            note=note,
            acting_user=user,
        )
    items, open_points = [], []
    for problem in sample["problems"]:
        finding = services.finding_add(
            report=report,
            text=problem["text"],
            number=problem["number"],
            focus_item=focus.get(problem["focus_item"]),
            acting_user=user,
        )
        for r in problem["rectification"]:
            if sample["status"] == "returned" and not (r.get("person") and r.get("due_date")):
                # The point the report was returned for: a measure without a person or a due date. A report
                # with it cannot be filed (issue 20), so it enters the revision the return asks for.
                open_points.append((finding, r))
                continue
            done = r["status"] == "completed"
            item = services.rectification_add(
                finding=finding,
                measure=r["measure"],
                department=r["department"],
                person=r.get("person") or "",
                due_date=_d(r.get("due_date")),
                acting_user=user,
                status=RectificationStatus.DONE_PENDING_VERIFICATION if done else RectificationStatus.OPEN,
                completed_on=_d(r.get("completed_on")),
            )
            if r["status"] == "in_progress":
                services.rectification_transition(item=item, to=RectificationStatus.IN_PROGRESS, acting_user=user)
            items.append(item)
    if sample["status"] == "draft":
        return report
    _answer_rest(report, user)
    services.report_submit(report=report, acting_user=user, at=_at(sample["submitted_at"]))
    if sample["status"] == "returned":
        services.report_return(
            report=report, comment=sample["return_reason"], acting_user=reg, at=_at(sample["returned_at"])
        )
        for finding, r in open_points:
            services.rectification_add(
                finding=finding,
                measure=r["measure"],
                department=r["department"],
                person=r.get("person") or "",
                due_date=_d(r.get("due_date")),
                acting_user=user,
            )
    elif sample["status"] == "accepted":
        services.report_accept(report=report, acting_user=reg, at=_at(sample["accepted_at"]))
        # The campaign closed in 2012: the accepted utility's items were completed and verified.
        for item in items:
            item.refresh_from_db()
            if item.status in (RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS):
                _evidence(item, user)
                item = services.rectification_transition(
                    item=item,
                    to=RectificationStatus.DONE_PENDING_VERIFICATION,
                    acting_user=user,
                    note="已按期完成，见整改情况书面报告。",
                    completed_on=item.due_date,
                    at=datetime.combine(item.due_date, datetime.min.time(), tzinfo=_tz()) + timedelta(hours=17),
                )
            services.rectification_transition(
                item=item,
                to=RectificationStatus.VERIFIED,
                acting_user=reg,
                note="山东电监办现场核实。",
                at=datetime(2012, 12, 5, 10, tzinfo=_tz()),
            )
    return report


def _load_2026(template) -> str:
    code = "JMYD-2026"
    if Campaign.objects.filter(code=code).exists():
        return "exists"
    reg = User.objects.get(username="sd_staff")
    owner = Organisation.objects.get(code="NEA-SD")
    campaign = services.campaign_create(
        owner=owner,
        code=code,
        title="山东省2026年居民用电服务质量监管专项行动",
        short_title="居民用电服务质量监管（2026）",
        start_date=date(2026, 6, 1),
        end_date=date(2027, 3, 31),
        principles="民生优先原则：着力解决群众反映强烈的频繁停电、低电压和报装接电问题。\n依法监管原则：对未履行停电告知义务的供电企业依法依规处理。",
        goals="迎峰度冬前完成低电压台区治理，计划停电提前7天公告率达到100%，居民报装接电平均时长压减至5个工作日以内。",
        acting_user=reg,
    )  # four template phases: 检查督查 is current in late November 2026
    focus = {}
    for number, title in enumerate(
        ["保障人民生活用电", "报装接电", "居民生活用电收费和计量", "供电能力、供电质量和供电服务"], 1
    ):
        focus[number] = services.focus_item_save(campaign=campaign, acting_user=reg, number=number, title=title)
    services.checklist_attach(focus_item=focus[4], checklist=template, acting_user=reg)
    services.campaign_set_scope(
        campaign=campaign,
        organisations=Organisation.objects.filter(code__in=["SGCC-SD-LY-YD", "SGCC-SD-QD-JB", "SGCC-SD-JN-ZQ"]),
        subtrees=Organisation.objects.filter(code="SGCC-SD-TA-WY"),
        acting_user=reg,
    )
    phases = {p.kind: p for p in Phase.objects.filter(campaign=campaign)}
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        phase=phases[PhaseKind.SELF_CHECK],
        kind=DeliverableKind.SELF_CHECK_REPORT,
        title="自查报告",
        due_date=date(2026, 10, 31),  # a Saturday: flagged, not moved
    )
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        phase=phases[PhaseKind.SUMMARY],
        kind=DeliverableKind.RECTIFICATION_PLAN,
        title="整改落实方案",
        due_date=date(2027, 2, 28),
    )
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        phase=phases[PhaseKind.SUMMARY],
        kind=DeliverableKind.SPECIAL_REPORT,
        title="专项报告",
        per_utility=False,
        due_date=date(2027, 3, 20),
    )
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        kind=DeliverableKind.PROGRESS_REPORT,
        title="工作开展情况报告（11月）",
        due_month=11,
        due_day=20,
        internal_month=11,
        internal_day=18,
    )
    tz = _tz()
    wy_user, yd_user = User.objects.get(username="wy_submitter"), User.objects.get(username="yd_submitter")
    wy = Organisation.objects.get(code="SGCC-SD-TA-WY")
    _demo_submissions(campaign, reg, wy, wy_user, yd_user, tz)
    report = services.report_create(
        campaign=campaign,
        utility=wy,
        acting_user=wy_user,
        declared_organisation=wy.name,
        period_start=date(2025, 7, 1),
        period_end=date(2026, 9, 30),
        indicator_year=2025,
        customers=301250,
        residential_customers=274310,
        staff=935,
        reliability_urban=Decimal("99.97"),
        reliability_rural=Decimal("99.86"),
        voltage_overall=Decimal("99.12"),
        voltage_a=Decimal("99.99"),
        voltage_b=Decimal("98.90"),
        voltage_c=Decimal("99.05"),
        voltage_d=Decimal("96.80"),
        complaints=5,
        complaints_12398=1,
        complaints_replied_in_time=5,
        satisfaction=Decimal("98.20"),
        summary="对照四项监管重点和百问百查检查表逐项自查，抽查停电工单180份、业扩工单75份。",
    )
    services.answer_save(
        report=report,
        item=template.items.get(kind="check", number=18),
        answer="compliant",
        note="计划停电均提前8天录入营销系统",
        acting_user=wy_user,
    )
    finding = services.finding_add(
        report=report, text="城郊结合部4个台区迎峰度夏期间出现低电压。", focus_item=focus[4], acting_user=wy_user
    )
    done = services.rectification_add(
        finding=finding,
        measure="调整配变分接头并平衡三相负荷",
        department="运维检修部",
        person="聂国栋",
        due_date=date(2026, 10, 15),
        acting_user=wy_user,
    )
    _evidence(done, wy_user, "台区调整复测记录.pdf")
    services.rectification_transition(
        item=done,
        to=RectificationStatus.DONE_PENDING_VERIFICATION,
        acting_user=wy_user,
        note="4个台区已完成调整，复测合格",
        completed_on=date(2026, 10, 12),
        at=datetime(2026, 10, 12, 16, tzinfo=tz),
    )
    services.rectification_add(
        finding=finding,
        measure="新增布点配变2台，列入2027年农网改造项目",
        department="发展策划部",
        person="吕长青",
        due_date=date(2027, 3, 15),
        acting_user=wy_user,
    )
    _answer_rest(report, wy_user)
    services.report_submit(report=report, acting_user=wy_user, at=datetime(2026, 10, 28, 15, tzinfo=tz))
    services.report_accept(report=report, acting_user=reg, at=datetime(2026, 11, 4, 10, tzinfo=tz))
    services.rectification_transition(
        item=done,
        to=RectificationStatus.VERIFIED,
        acting_user=reg,
        note="督查组现场复测",
        at=datetime(2026, 11, 10, 11, tzinfo=tz),
    )
    # 沂东县: submitted late, a composite — its declared organisation and period belong to another report.
    yd = Organisation.objects.get(code="SGCC-SD-LY-YD")
    report = services.report_create(
        campaign=campaign,
        utility=yd,
        acting_user=yd_user,
        declared_organisation="国网沂南县供电公司",
        period_start=date(2010, 1, 1),
        period_end=date(2010, 12, 31),
        indicator_year=2025,
        customers=203410,
        staff=690,
        reliability_urban=Decimal("99.92"),
        voltage_overall=Decimal("98.60"),
        voltage_a=Decimal("99.90"),
        voltage_b=Decimal("98.10"),
        voltage_c=Decimal("98.40"),
        voltage_d=Decimal("96.05"),
        complaints=11,
        satisfaction=Decimal("96.90"),
        summary="公司按监管重点组织各供电所自查。",
    )
    finding = services.finding_add(
        report=report, text="一次临时限电未提前1天公告。", focus_item=focus[1], acting_user=yd_user
    )
    services.rectification_add(
        finding=finding,
        measure="对居民与工业混合线路逐条制定分路限电方案",
        department="调度控制中心",
        person="温建华",
        due_date=date(2026, 11, 15),
        acting_user=yd_user,
    )  # still open: the sweep marks it overdue, re-notifies and re-files it
    _answer_rest(report, yd_user)
    services.report_submit(report=report, acting_user=yd_user, at=datetime(2026, 11, 3, 9, 40, tzinfo=tz))
    # 章丘: a draft, not yet filed.
    zq = Organisation.objects.get(code="SGCC-SD-JN-ZQ")
    services.report_create(
        campaign=campaign,
        utility=zq,
        acting_user=User.objects.get(username="sd_manager"),
        declared_organisation=zq.name,
        period_start=date(2025, 7, 1),
        period_end=date(2026, 9, 30),
    )
    services.save(
        Highlight(
            campaign=campaign,
            title="专项行动进入检查督查阶段",
            body="山东能源监管办组织督查组赴汶源、沂东等县开展现场检查，重点查看停电告知、低电压治理和报装接电。",
            published_on=date(2026, 11, 5),
        ),
        reg,
    )
    services.inspection_create(
        campaign=campaign,
        utility=yd,
        inspected_on=date(2026, 11, 12),
        inspectors="张立新 等3人",
        summary="抽查停电工单40份，发现临时限电告知不到位。",
        acting_user=reg,
    )
    return "created"


def _demo_submissions(campaign, reg, wy, wy_user, yd_user, tz) -> None:
    """Issue 11: seed 003's connection data (by 1-15, the utilities' own date 1-10) and the 11-20 progress report
    filed: 汶源县 on time (accepted), 沂东县 two days late (a violation); the other two have not filed."""
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        kind=DeliverableKind.OTHER,
        title="用户报装信息（7-12月）",
        description="已送电的高压新装及增容、小微企业、低压居民：平均办理时长、所需环节、申请材料和接电费用。",
        due_month=1,
        due_day=15,
        internal_month=1,
        internal_day=10,
        figure_set="connection",
    )
    progress = campaign.deliverables.get(kind=DeliverableKind.PROGRESS_REPORT, due_month=11)
    filed = services.submission_file(
        deliverable=progress,
        utility=wy,
        occurrence=date(2026, 11, 20),
        acting_user=wy_user,
        text="低压台区治理完成42个；计划停电提前7天公告率100%；居民报装平均接电时长4.6个工作日。",
        at=datetime(2026, 11, 19, 16, tzinfo=tz),
    )
    services.submission_accept(submission=filed, acting_user=reg, comment="")
    services.submission_file(
        deliverable=progress,
        utility=yd_user.organisation,
        occurrence=date(2026, 11, 20),
        acting_user=yd_user,
        text="迎峰度冬准备情况及低电压治理进度。",
        at=datetime(2026, 11, 23, 10, tzinfo=tz),
    )


def _load_programme() -> str:
    """Issue 11: a standalone rectification programme of 华北监管局 answering its consumer review (消费者评议) of
    国网山东省电力公司, in the words of seed 004: measures the company proposed (one returned and revised, one
    awaiting approval, one running to the end of 2028), one completed on evidence and verified, one overdue —
    re-notified twice, escalated to a talk (约谈) that was held; the demo's sweep escalates it to an audit (稽查)."""
    code = "XFPY-2026"
    if RectificationProgramme.objects.filter(code=code).exists():
        return "exists"
    tz = _tz()
    admin, staff = User.objects.get(username="nc_admin"), User.objects.get(username="nc_staff")
    company, sd = Organisation.objects.get(code="SGCC-SD"), User.objects.get(username="sd_manager")
    wf = services.RECTIFICATION_WORKFLOW
    programme = services.programme_create(
        owner=Organisation.objects.get(code="NEA-NC"),
        code=code,
        title="国网山东省电力公司对消费者评议提出的意见和建议整改措施",
        source="consumer_review",
        basis=(
            "针对本次消费者评议反映的问题，深入研究、归类分析客户反映的问题，制定整顿措施。客户反映的问题突出表现在："
            "95598协同工作机制、服务行为规范性、停电通知有效性、抢修等业务处理及时性、供电质量可靠性等五个方面。"
        ),
        start_date=date(2026, 6, 1),
        end_date=date(2026, 12, 31),
        acting_user=admin,
    )
    services.programme_issue(programme=programme, acting_user=admin, at=datetime(2026, 6, 2, 10, tzinfo=tz))

    def finding(text):
        return services.finding_add(
            programme=programme, utility=company, source="consumer_review", text=text, acting_user=staff
        )

    def proposed(f, measure, department, person, due, **extra):
        return services.rectification_add(
            finding=f, measure=measure, department=department, person=person, due_date=due, acting_user=sd, **extra
        )

    notice = finding("停电通知有效性：停电公告采用专业术语，客户不易知晓；停电信息发布时间要求和发布渠道不明确。")
    item = proposed(
        notice,
        "制定《停电信息发布协同工作管理办法》，明确计划停电、临时停电和故障停电的信息发布时间要求和发布渠道、方式，"
        "停电公告应避免采用专业术语，采用客户熟知的方式，在大众日常接触的公共渠道进行公布。",
        "营销部",
        "",
        date(2026, 9, 30),
    )
    wf.transition(item, "return", staff, note="未明确责任人。", at=datetime(2026, 6, 10, 15, tzinfo=tz))
    wf.transition(item, "resubmit", sd, person="韩立新", note="补充责任人", at=datetime(2026, 6, 12, 9, tzinfo=tz))
    wf.transition(item, "approve", staff, note="同意。", at=datetime(2026, 6, 15, 10, tzinfo=tz))
    # Not done by 9-30: re-notified twice (再通知、再备案), then escalated to a talk, which the office held.
    wf.transition(item, "overdue", None, at=datetime(2026, 10, 2, 9, tzinfo=tz))
    wf.transition(item, "overdue", None, at=datetime(2026, 10, 10, 9, tzinfo=tz))
    wf.transition(item, "escalate", None, level="talk", at=datetime(2026, 10, 20, 9, tzinfo=tz))
    wf.transition(
        item,
        "talk",
        staff,
        held_on=date(2026, 10, 23),
        note="约谈营销部负责人：办法已起草未印发，要求11月底前印发并公示。",
        at=datetime(2026, 10, 23, 16, tzinfo=tz),
    )

    repair = finding("业务处理及时性：抢修到达现场超时，抢修业务工单缺少限时督办。")
    done = proposed(
        repair,
        "理顺抢修程序，推行“首到必修”的工作模式；明确由省供电服务中心对抢修时限进行统计，对抢修业务工单进行限时督办。",
        "运维检修部",
        "刘海涛",
        date(2026, 8, 31),
    )
    wf.transition(done, "approve", staff, at=datetime(2026, 6, 15, 10, 30, tzinfo=tz))
    _evidence(done, sd, "抢修业务工单限时督办通知.pdf")
    services.rectification_transition(
        item=done,
        to=RectificationStatus.DONE_PENDING_VERIFICATION,
        acting_user=sd,
        note="已印发抢修业务工单限时督办通知，供电服务中心按月统计抢修时限。",
        completed_on=date(2026, 8, 25),
        at=datetime(2026, 8, 25, 17, tzinfo=tz),
    )
    services.rectification_transition(
        item=done,
        to=RectificationStatus.VERIFIED,
        acting_user=staff,
        note="抽查工单核实",
        at=datetime(2026, 9, 8, 10, tzinfo=tz),
    )

    quality = finding("供电质量：城郊结合区、农村边远地区客户反映低电压、频繁停电较多。")
    proposed(
        quality,
        "多方筹措资金，追补下达市郊、县域电网修理改造专项费用，重点解决城郊、县域用户低电压，配变、线路重、过载和"
        "供电“卡脖子”问题；分年度完成新建、改造配变及台区。",
        "发展策划部",
        "周振华",
        date(2028, 12, 31),  # the plan's date: years past the programme's own end
    )
    complaints = finding("95598协同工作机制：客户投诉处理进度慢，投诉管理和监督不到位。")
    returned = proposed(
        complaints,
        "加强客户投诉管理和监督，重新修订《供电服务投诉管理办法》，实行供电服务投诉“三级督办、两级约谈”的工作机制。",
        "客户服务中心",
        "孙丽",
        None,
    )
    wf.transition(returned, "return", staff, note="请明确完成时限。", at=datetime(2026, 6, 16, 11, tzinfo=tz))
    return code
