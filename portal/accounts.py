"""System accounts: their API tokens, held by their own organisation, and the regulator's suspension.

Custody: a system account's token is issued, rotated and revoked only by the managers of the account's own
organisation (utility manager, or regulator admin for an office's own account) and by operators — a key
acts as its organisation, so nobody else ever holds one. A regulator admin supervising a utility may
*suspend* (and resume) that utility's integration through an explicit, audited action that neither shows
nor changes the key. System accounts have no usable password and never hold a browser session
(`portal.auth_backends.HumanOnlyModelBackend`).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from portal.choices import Role
from portal.models import Organisation, User

MANAGER_ROLES = {Role.REGULATOR_ADMIN, Role.UTILITY_MANAGER}


def system_accounts_visible_to(user: User):
    return User.objects.filter(role=Role.SYSTEM, organisation__in=Organisation.objects.visible_to(user)).select_related(
        "organisation", "auth_token"
    )


def _check_manager(user: User) -> None:
    if not (user.is_superuser or user.role in MANAGER_ROLES):
        raise PermissionDenied


def holds_key(user: User, account: User) -> bool:
    """Custody of `account`'s key: operators, and the managers of the account's own organisation."""
    if user.is_superuser:
        return True
    own = user.organisation_id is not None and user.organisation_id == account.organisation_id
    return own and user.role in MANAGER_ROLES


def may_suspend(user: User, account: User) -> bool:
    """A regulator admin suspends (and resumes) the integrations of the organisations it sees; operators too."""
    if user.is_superuser:
        return True
    return user.role == Role.REGULATOR_ADMIN and system_accounts_visible_to(user).filter(pk=account.pk).exists()


def _audit(account: User, acting_user: User, reason: str, fields: list[str]) -> None:
    account._history_user = acting_user
    account._change_reason = reason[:100]
    account.save(update_fields=fields)  # writes the audit row (the account's history)


@transaction.atomic
def token_issue(*, account: User, acting_user: User) -> str:
    """Issue a new token (revoking any old one) and return its key, shown once. Only its custodians."""
    if account.role != Role.SYSTEM:
        raise ValidationError(_("Tokens are issued to system accounts only."))
    if not holds_key(acting_user, account):
        raise PermissionDenied(_("Only the account's own organisation issues its token."))
    Token.objects.filter(user=account).delete()
    token = Token.objects.create(user=account)
    fields = ["first_name"]
    if account.has_usable_password():  # a system account signs in with its token only
        account.set_unusable_password()
        fields.append("password")
    _audit(account, acting_user, "API token issued", fields)
    return token.key


@transaction.atomic
def token_revoke(*, account: User, acting_user: User) -> bool:
    if not holds_key(acting_user, account):
        raise PermissionDenied(_("Only the account's own organisation revokes its token."))
    deleted, _n = Token.objects.filter(user=account).delete()
    _audit(account, acting_user, "API token revoked", ["first_name"])
    return bool(deleted)


@transaction.atomic
def integration_suspend(*, account: User, acting_user: User, reason: str) -> User:
    """Suspend a system account's integration: its token stops working (401) until resumed; the key is
    neither shown nor changed, so the organisation's custody is untouched. Audited with the reason."""
    if account.role != Role.SYSTEM or not may_suspend(acting_user, account):
        raise PermissionDenied(_("Only a supervising regulator admin suspends an integration."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for suspending the integration.")})
    account.is_active = False
    _audit(account, acting_user, f"Integration suspended: {reason.strip()}", ["is_active"])
    return account


@transaction.atomic
def integration_resume(*, account: User, acting_user: User) -> User:
    if account.role != Role.SYSTEM or not may_suspend(acting_user, account):
        raise PermissionDenied(_("Only a supervising regulator admin resumes an integration."))
    account.is_active = True
    _audit(account, acting_user, "Integration resumed", ["is_active"])
    return account


class SuspendForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=80)


@login_required
def token_list(request):
    _check_manager(request.user)
    rows = [
        {"account": a, "holds_key": holds_key(request.user, a), "may_suspend": may_suspend(request.user, a)}
        for a in system_accounts_visible_to(request.user)
    ]
    return render(
        request,
        "portal/tokens.html",
        {"rows": rows, "new_key": request.session.pop("new_token", None)},
    )


@login_required
@require_POST
def token_action(request, pk: int, action: str):
    _check_manager(request.user)
    account = get_object_or_404(system_accounts_visible_to(request.user), pk=pk)
    if action == "issue":
        request.session["new_token"] = {
            "user": account.username,
            "key": token_issue(account=account, acting_user=request.user),
        }
    elif action == "revoke":
        token_revoke(account=account, acting_user=request.user)
        messages.success(request, _("The token of %(user)s is revoked.") % {"user": account.username})
    elif action == "suspend":
        form = SuspendForm(request.POST)
        if not form.is_valid():
            if not may_suspend(request.user, account):
                raise PermissionDenied
            messages.error(request, _("Give the reason for suspending the integration."))
            return redirect("tokens")
        integration_suspend(account=account, acting_user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The integration of %(user)s is suspended.") % {"user": account.username})
    elif action == "resume":
        integration_resume(account=account, acting_user=request.user)
        messages.success(request, _("The integration of %(user)s is resumed.") % {"user": account.username})
    else:
        raise PermissionDenied
    return redirect("tokens")
