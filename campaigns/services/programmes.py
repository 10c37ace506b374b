"""Writes of standalone rectification programmes (整改方案 / 专项整改, issue 11): an office's own record, outside
any campaign, with its title, period and status, that findings and their rectification items belong to (their
writes are in `campaigns.services.rectification`). Created and changed by the regulator admins of the issuing
office; its lifecycle is the workflow table `PROGRAMME_WORKFLOW`:

    draft ─issue→ in force ─close→ closed ─reopen→ in force

A programme closes only when every item of it is verified (or it has none).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import forms
from campaigns.choices import ProgrammeStatus, RectificationStatus
from campaigns.models import RectificationItem, RectificationProgramme
from campaigns.services.common import save
from portal.choices import Party, Role
from portal.models import Organisation, User
from portal.querysets import require_writable
from portal.workflow import Move, Step, Workflow

PROGRAMME_ADMINS = gettext_lazy("Only the regulator admins of the issuing office maintain a rectification programme.")
MANAGED_BY_PROGRAMME_OFFICE = gettext_lazy("Only the issuing office's regulators manage this rectification programme.")
PROGRAMME_FIELDS = {"title", "source", "basis", "start_date", "end_date"}


def require_programme_admin(user: User, programme: RectificationProgramme) -> None:
    """A regulator admin of the programme's own issuing office (or an operator); else 403 with the reason."""
    require_writable(user, programme, Party.REGULATOR, PROGRAMME_ADMINS)
    if not user.is_superuser and (user.role != Role.REGULATOR_ADMIN or user.organisation_id != programme.owner_id):
        raise PermissionDenied(PROGRAMME_ADMINS)


@transaction.atomic
def programme_create(
    *,
    owner: Organisation,
    code: str,
    title: str,
    start_date: date,
    end_date: date,
    acting_user: User,
    source: str = "consumer_review",
    basis: str = "",
) -> RectificationProgramme:
    """A draft programme of `owner`, created by one of its regulator admins (or an operator)."""
    if not acting_user.is_superuser and (
        acting_user.role != Role.REGULATOR_ADMIN or acting_user.organisation_id != owner.pk
    ):
        raise PermissionDenied(PROGRAMME_ADMINS)
    programme = RectificationProgramme(
        owner=owner, code=code, title=title, source=source, basis=basis, start_date=start_date, end_date=end_date
    )
    save(programme, acting_user)
    return programme


@transaction.atomic
def programme_update(*, programme: RectificationProgramme, acting_user: User, **fields) -> RectificationProgramme:
    """Change the programme's title, source, basis or period (not its code or office)."""
    require_programme_admin(acting_user, programme)
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    for k, v in fields.items():
        setattr(programme, k, v)
    save(programme, acting_user)
    return programme


def require_open_programme(programme: RectificationProgramme | None) -> None:
    if programme is not None and programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The rectification programme is closed: reopen it first."))


def _open_items(programme: RectificationProgramme, move) -> str | None:
    n = RectificationItem.objects.filter(programme=programme).exclude(status=RectificationStatus.VERIFIED).count()
    if n:
        return _("%(n)d rectification item(s) of the programme are not verified yet.") % {"n": n}
    return None


def _admin_only(user, party, programme, step) -> str | None:
    """Steps of a programme are the office's regulator admins' (staff read it and work its items)."""
    if user.role != Role.REGULATOR_ADMIN or user.organisation_id != programme.owner_id:
        return str(PROGRAMME_ADMINS)
    return None


def _reason(programme: RectificationProgramme, move: Move) -> None:
    reason = f"{ProgrammeStatus(move.old).label} → {ProgrammeStatus(move.step.to).label}"
    move.reason = reason + (f": {move.note}" if move.note else "")


P = ProgrammeStatus
PROGRAMME_WORKFLOW = Workflow(
    model=RectificationProgramme,
    lock_related=("owner",),
    status_label=lambda s: ProgrammeStatus(s).label,
    refusal=gettext_lazy("A rectification programme that is %(status)s cannot become %(step)s."),
    permission_message=PROGRAMME_ADMINS,
    actor_rule=_admin_only,
    clean=True,
    steps=(
        Step(
            "issue",
            gettext_lazy("Issue the programme"),
            to=P.ACTIVE,
            sources=frozenset({P.DRAFT}),
            by=(Party.REGULATOR,),
            apply=_reason,
            event=P.ACTIVE,
        ),
        Step(
            "close",
            gettext_lazy("Close the programme"),
            to=P.CLOSED,
            sources=frozenset({P.ACTIVE}),
            by=(Party.REGULATOR,),
            form=forms.ApproveForm,
            check=lambda programme, probe: _open_items(programme, probe),
            apply=_reason,
            event=P.CLOSED,
        ),
        Step(
            "reopen",
            gettext_lazy("Reopen the programme"),
            to=P.ACTIVE,
            sources=frozenset({P.CLOSED}),
            by=(Party.REGULATOR,),
            form=forms.RejectForm,
            note_required=gettext_lazy("Say why the programme is reopened."),
            apply=_reason,
            event=P.ACTIVE,
            danger=True,
        ),
    ),
)

programme_issue = PROGRAMME_WORKFLOW.service("issue", "programme")
programme_close = PROGRAMME_WORKFLOW.service("close", "programme")
programme_reopen = PROGRAMME_WORKFLOW.service("reopen", "programme")
