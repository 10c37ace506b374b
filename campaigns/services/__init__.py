"""Writes of the campaigns app. The only place that saves campaign records; one module per sub-domain:

- `campaign`: the campaign, its phases (and overrides), scope, focus items and highlights;
- `deliverables`: deliverables and their tracked due dates;
- `people`: leading groups, members, office duties, demonstration zones (the office's regulator admins);
- `submissions`: a utility's filing of one occurrence of a deliverable, reviewed (`SUBMISSION_WORKFLOW`);
- `reports`: self-check reports, their checklist answers and their workflow (`REPORT_WORKFLOW`);
- `rectification`: findings and rectification items with their workflow (`RECTIFICATION_WORKFLOW`);
- `programmes`: standalone rectification programmes (整改方案, issue 11) and their workflow (`PROGRAMME_WORKFLOW`);
- `inspections`: inspections;
- `checklists`: checklists and attaching them to focus items;
- `files`: evidence and documents.

Who may write is asked in one vocabulary (`portal.querysets`): `require_writable(user, record, party)`
on the record written (a campaign, a report, an item …), `Organisation.objects.writable_by` for what is
created under an organisation, and the workflows' party check for their steps.

Phase rules (what is refused and what is only flagged), decided here and documented in docs/campaigns.md:

- filing a self-check report (submit) is **refused** before the 企业自查 phase starts; after the
  self-check deliverable's due date (or the phase's end when there is none) it is **accepted and
  marked late** (`is_late`), and the utility's tracked deadline is met late;
- an inspection is **refused** unless its date lies in the 检查督查 phase;
- a rectification item's due date is the plan's (issue 11): never capped by the campaign's end (the seeds'
  plans run for years), refused only before the campaign (or programme) starts; items still open in the last
  phase are **flagged** on the campaign page, and overdue items are re-notified and re-filed by the sweep,
  then escalated (约谈, 稽查) after the number of re-notices the catalogue's rule sets;
- a self-check report for a utility outside the campaign's scope is **refused**; a report whose
  declared organisation or period does not match is **flagged** for the reviewer (metadata check).
"""

from campaigns.models import REPORT_FIELDS

# Reads the services use, still exposed here under their former names (docs/structure.md).
from campaigns.selectors import (
    DELIVERABLE_PREFIX,
    current_phase,
    deliverable_occurrences,
    phase_of_kind,
    self_check_due,
)
from campaigns.services.campaign import (
    PHASE_TEMPLATE,
    campaign_create,
    campaign_override_phase,
    campaign_set_scope,
    campaign_update,
    focus_item_save,
    highlight_publish,
    phase_delete,
    phase_save,
    template_phase_dates,
)
from campaigns.services.checklists import checklist_attach, checklist_create, parse_checklist_lines
from campaigns.services.common import save
from campaigns.services.deliverables import deliverable_mark_done, deliverable_save, deliverables_rest_day_refresh
from campaigns.services.files import document_add, evidence_add
from campaigns.services.inspections import inspection_create
from campaigns.services.people import (
    duty_remove,
    duty_save,
    group_save,
    member_remove,
    member_save,
    zone_save,
)
from campaigns.services.programmes import (
    PROGRAMME_WORKFLOW,
    programme_close,
    programme_create,
    programme_issue,
    programme_reopen,
    programme_update,
)
from campaigns.services.rectification import (
    RECTIFICATION_DUE,
    RECTIFICATION_WORKFLOW,
    RENOTICE_RULE,
    finding_add,
    rectification_add,
    rectification_fill,
    rectification_overdue,
    rectification_transition,
)
from campaigns.services.reports import (
    REPORT_WORKFLOW,
    ReportExists,
    answer_save,
    report_accept,
    report_create,
    report_resubmit,
    report_return,
    report_submit,
    report_transition,
    report_update,
)
from campaigns.services.submissions import (
    SUBMISSION_WORKFLOW,
    SubmissionExists,
    submission_accept,
    submission_evidence_add,
    submission_file,
    submission_resubmit,
    submission_return,
    submission_transition,
    submission_update,
)

__all__ = [
    "DELIVERABLE_PREFIX",
    "PHASE_TEMPLATE",
    "PROGRAMME_WORKFLOW",
    "RECTIFICATION_DUE",
    "RECTIFICATION_WORKFLOW",
    "RENOTICE_RULE",
    "REPORT_FIELDS",
    "REPORT_WORKFLOW",
    "SUBMISSION_WORKFLOW",
    "ReportExists",
    "SubmissionExists",
    "answer_save",
    "campaign_create",
    "campaign_override_phase",
    "campaign_set_scope",
    "campaign_update",
    "checklist_attach",
    "checklist_create",
    "current_phase",
    "deliverable_mark_done",
    "deliverable_occurrences",
    "deliverable_save",
    "deliverables_rest_day_refresh",
    "document_add",
    "duty_remove",
    "duty_save",
    "evidence_add",
    "finding_add",
    "focus_item_save",
    "group_save",
    "highlight_publish",
    "inspection_create",
    "member_remove",
    "member_save",
    "parse_checklist_lines",
    "phase_delete",
    "phase_of_kind",
    "phase_save",
    "programme_close",
    "programme_create",
    "programme_issue",
    "programme_reopen",
    "programme_update",
    "rectification_add",
    "rectification_fill",
    "rectification_overdue",
    "rectification_transition",
    "report_accept",
    "report_create",
    "report_resubmit",
    "report_return",
    "report_submit",
    "report_transition",
    "report_update",
    "save",
    "self_check_due",
    "submission_accept",
    "submission_evidence_add",
    "submission_file",
    "submission_resubmit",
    "submission_return",
    "submission_transition",
    "submission_update",
    "template_phase_dates",
    "zone_save",
]
