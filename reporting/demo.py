"""Demo of the reporting app: the regulator's experience and proposals for the 2011–2012 demo
campaign (after seed 000: 监管方式, 建立常态化监管机制), and version 1 of its special report, rendered
in-process (about 1–2 s) so the reports page has a PDF to download from the first start.

Idempotent: texts are written only while the campaign has fewer paragraphs than these; the report
is generated only when the campaign has no special report yet.
"""

from datetime import date

from django.utils import timezone

from campaigns.models import Campaign
from portal.models import User
from reporting import publication, services
from reporting.choices import ReportKind
from reporting.models import BulletinPublication, ReportJob
from reporting.services import complaint_stats_refresh

CAMPAIGN = "JMYD-2011"
EXPERIENCE = [
    "建立12398能源监管热线与95598供电服务热线、12345市民热线、12315消费者热线的联动机制，投诉案件分类受理、快速处理、全程跟踪，并建立回访制度。",
    "停电信息多渠道公告：计划停电提前7天通过媒体、短信、95598电话和网站、公告栏告知用户，停电时间、线路和范围用群众看得懂的语言表述。",
    "以“百问百查”检查表为载体开展企业自查，发现问题建立台账，缺陷通知单统一编号、明确期限，逾期未整改的再梳理、再通知、再备案。",
    "选取优质服务示范区和督促推动示范点，由领导驻点督促指导，以点带面推广好的经验做法。",
]
PROPOSALS = [
    "建立常态化监管机制，对供电企业未履行保障居民生活用电责任等情况定期披露，依法依规处理。",
    "建立监管指标体系，量化投诉办理及时率、停电信息公告合规率、整改完成率等评价指标，按月通报。",
    "完善工作日历和时限规则库，时限按国务院公布的法定节假日和调休安排计算，规则变化及时更新。",
]


def load(stdout=None) -> dict:

    campaign = Campaign.objects.filter(code=CAMPAIGN).first()
    if campaign is None:
        return {}
    if len([p for p in campaign.experience.splitlines() if p.strip()]) < len(EXPERIENCE):
        campaign.experience = "\n".join(EXPERIENCE)
        campaign.proposals = "\n".join(PROPOSALS)
        campaign.save(update_fields=["experience", "proposals"])

    out = {"report": None, "complaint_stats": complaint_stats_refresh()}  # the dashboard's figures, now
    out["published"] = _bulletins(stdout)
    if not ReportJob.objects.filter(kind=ReportKind.CAMPAIGN_SPECIAL, campaign=campaign).exists():
        user = User.objects.filter(username="sd_staff").first()
        job = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL, raw={"campaign": campaign.pk}, acting_user=user, enqueue=False
        )
        job = services.report_run(job.pk)
        out["report"] = job
        if stdout:
            stdout.write(
                f"reporting: {job.title} v{job.version}: {job.status}, {job.pages} pages ({job.render_seconds} s)"
            )
    return out


def _bulletins(stdout=None):
    """Issue 13: last month's complaint bulletin of 华北监管局 approved and on the public column (without
    naming violations), and this month's prepared as a draft (not public)."""
    staff, admin = User.objects.filter(username="nc_staff").first(), User.objects.filter(username="nc_admin").first()
    if staff is None or admin is None or BulletinPublication.objects.filter(office=staff.organisation).exists():
        return None
    today = timezone.localdate()
    this_month = date(today.year, today.month, 1)
    last_month = date(this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1)
    pub = publication.publication_prepare(office=staff.organisation, month=last_month, acting_user=staff)
    publication.publication_submit(publication=pub, acting_user=staff, note="请审核后发布")
    pub = publication.publication_approve(publication=pub, acting_user=admin, note="同意发布", publish_names=False)
    publication.publication_prepare(office=staff.organisation, month=this_month, acting_user=staff)
    if stdout:
        stdout.write(f"reporting: published {pub.title}")
    return pub
