"""Writes of checklists: a regulator office builds its own (or uses the shared 百问百查), and attaches one
to a focus item of its campaign."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import ChecklistItem, ChecklistTemplate, FocusItem
from campaigns.services.common import MANAGED_BY_OFFICE, save
from portal.choices import Party
from portal.models import User
from portal.querysets import acts_as, require_writable


@transaction.atomic
def checklist_attach(*, focus_item: FocusItem, checklist: ChecklistTemplate | None, acting_user: User) -> FocusItem:
    """Attach one checklist template to a focus item (or detach with None)."""
    require_writable(acting_user, focus_item.campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    if checklist is not None and not ChecklistTemplate.objects.visible_to(acting_user).filter(pk=checklist.pk).exists():
        raise ValidationError({"checklist": _("Choose a checklist you can see.")})
    focus_item.checklist = checklist
    save(focus_item, acting_user)
    return focus_item


@transaction.atomic
def checklist_create(
    *, code: str, title: str, items: list[dict], acting_user: User, source: str = ""
) -> ChecklistTemplate:
    """A regulator office builds its own checklist: items with kind, group, number, text and 要点."""
    if not acts_as(acting_user, Party.REGULATOR):
        raise PermissionDenied(_("Checklists are built by regulator offices."))
    if not items:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    template = ChecklistTemplate(code=code, title=title, source=source, owner=acting_user.organisation)
    save(template, acting_user)
    for row in items:
        save(
            ChecklistItem(
                template=template,
                kind=row.get("kind") or "check",
                group=row["group"],
                number=row["number"],
                text=row["text"],
                guidance=row.get("guidance", ""),
            ),
            acting_user,
        )
    return template


def parse_checklist_lines(text: str) -> list[dict]:
    """Lines "分组|序号|检查内容|要点" (full-width ｜ accepted) → items; errors name the line."""
    items, errors = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 3 or not (parts[1].isascii() and parts[1].isdigit()) or not parts[2]:
            errors.append(_("Line %(n)d: write group|number|text|key points.") % {"n": n})
            continue
        items.append({"group": parts[0], "number": int(parts[1]), "text": parts[2], "guidance": "|".join(parts[3:])})
    if errors:
        raise ValidationError({"items": errors})
    return items
