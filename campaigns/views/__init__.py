"""Pages of the campaigns app, one module per sub-domain (campaign, checklists, reports, inspections,
rectification, public). Every object comes through `visible_to(request.user)` (else 404); every write goes
through campaigns.services, whose write guard answers 403 with its reason; ValidationErrors come back as
form or field messages. The workflow steps of reports and rectification items are taken through
`portal.views_workflow.step_action`."""

from campaigns.views.campaign import (
    campaign_detail,
    campaign_edit,
    campaign_list,
    campaign_scope,
    deliverable_add,
    document_add,
    focus_item_add,
    focus_item_checklist,
    highlight_add,
    phase_override,
    phase_save,
)
from campaigns.views.checklists import checklist_list
from campaigns.views.deliverables import (
    deliverable_detail,
    deliverable_export,
    deliverable_file,
    submission_action,
    submission_detail,
    submission_evidence,
    submission_list,
)
from campaigns.views.inspections import inspection_add, inspection_detail, review_finding_add
from campaigns.views.people import (
    duty_add,
    duty_remove,
    group_add,
    group_edit,
    member_add,
    member_remove,
    people,
    zone_add,
    zone_edit,
)
from campaigns.views.programmes import (
    programme_action,
    programme_detail,
    programme_edit,
    programme_finding_add,
    programme_list,
)
from campaigns.views.public import public_detail, public_list
from campaigns.views.rectification import (
    finding_item_add,
    rectification_action,
    rectification_detail,
    rectification_evidence,
    rectification_list,
)
from campaigns.views.reports import (
    answer_evidence,
    report_action,
    report_answers,
    report_detail,
    report_finding_add,
    report_list,
    report_start,
)

__all__ = [
    "answer_evidence",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "campaign_scope",
    "checklist_list",
    "deliverable_add",
    "deliverable_detail",
    "deliverable_export",
    "deliverable_file",
    "document_add",
    "duty_add",
    "duty_remove",
    "finding_item_add",
    "focus_item_add",
    "focus_item_checklist",
    "group_add",
    "group_edit",
    "highlight_add",
    "inspection_add",
    "inspection_detail",
    "member_add",
    "member_remove",
    "people",
    "phase_override",
    "phase_save",
    "programme_action",
    "programme_detail",
    "programme_edit",
    "programme_finding_add",
    "programme_list",
    "public_detail",
    "public_list",
    "rectification_action",
    "rectification_detail",
    "rectification_evidence",
    "rectification_list",
    "report_action",
    "report_answers",
    "report_detail",
    "report_finding_add",
    "report_list",
    "report_start",
    "review_finding_add",
    "submission_action",
    "submission_detail",
    "submission_evidence",
    "submission_list",
    "zone_add",
    "zone_edit",
]
