"""自查报告: a utility's self-check report as filed (basic figures, indicators, checklist answers,
problems and measures, filing dates, a seal block)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from campaigns.models import SelfCheckReport
from campaigns.selectors import self_check_answers, self_check_findings, self_check_report_as_filed
from reporting.choices import ReportKind
from reporting.kinds.base import ReportKindSpec, anyone
from reporting.params import Resolved, int_param
from reporting.selectors import Content, no_progress
from reporting.tables import Table


def resolve(raw: dict, user) -> Resolved:
    """`report`, or `campaign` + `utility` (code): a self-check report the user may see (else 404)."""
    qs = SelfCheckReport.objects.all() if user is None else SelfCheckReport.objects.visible_to(user)
    pk = int_param(raw, "report", required=False)
    if pk is None:
        campaign_pk = int_param(raw, "campaign")
        code = str(raw.get("utility") or "").strip()[:40]
        if not code:
            raise ValidationError({"utility": _("Give the report, or the campaign and the utility (code).")})
        report = qs.filter(campaign_id=campaign_pk, utility__code=code).select_related("utility").first()
    else:
        report = qs.filter(pk=pk).select_related("utility").first()
    if report is None:
        raise Http404
    return Resolved(SPEC.key, {"report": report.pk}, report.utility, report.campaign)


def title(resolved: Resolved) -> str:
    report = self_check_report_as_filed(pk=resolved.params["report"])
    return f"{report.utility.name} {report.title}"[:200]


def build(params: dict, organisation, progress=no_progress) -> Content:
    return build_self_check(report=self_check_report_as_filed(pk=params["report"]), progress=progress)


def build_self_check(*, report: SelfCheckReport, progress=no_progress) -> Content:
    """A utility's self-check report as filed: figures, indicators, answers, findings and measures."""
    report = self_check_report_as_filed(pk=report.pk)
    content = Content(SPEC.template, report.title or _("Self-check report"), report.utility.name)
    progress(20, _("Reading the report"))
    answers = content.add(
        Table(
            "answers",
            _("Checklist answers"),
            [(_("Item"), "text"), (_("Text"), "text"), (_("Answer"), "text"), (_("Note"), "text")],
        )
    )
    for a in self_check_answers(report=report):
        prefix = "问" if a.item.kind == "question" else "查"
        answers.rows.append([f"{prefix}{a.item.number}", a.item.text, a.get_answer_display(), a.note])
    findings = content.add(
        Table(
            "findings",
            _("Problems found and rectification measures"),
            [
                (_("No."), "int"),
                (_("Problem"), "text"),
                (_("Measure"), "text"),
                (_("Responsible department"), "text"),
                (_("Responsible person"), "text"),
                (_("Due date"), "date"),
                (_("Status"), "text"),
            ],
            widths=[5, 25, 25, 12, 9, 12, 12],
        )
    )
    for f in self_check_findings(report=report):
        items = list(f.items.all())
        if not items:
            findings.rows.append([f.number, f.text, "", "", "", None, ""])
        for i in items:
            findings.rows.append(
                [f.number, f.text, i.measure, i.department, i.person, i.due_date, i.get_status_display()]
            )
    content.context = {"report": report, "campaign": report.campaign}
    return content


SPEC = ReportKindSpec(
    key=ReportKind.SELF_CHECK,
    doc_prefix="自查",
    template="reporting/pdf/self_check.html",
    may_request=anyone,  # whoever may see the self-check report (resolve answers 404 otherwise)
    refusal="",
    resolve=resolve,
    title=title,
    build=build,
)
