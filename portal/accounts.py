"""API tokens of system accounts: issued and revoked by the managers of their organisation, audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
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


@transaction.atomic
def token_issue(*, account: User, acting_user: User) -> str:
    """Issue a new token (revoking any old one) and return its key, shown once."""
    _check_manager(acting_user)
    if account.role != Role.SYSTEM:
        raise ValidationError(_("Tokens are issued to system accounts only."))
    Token.objects.filter(user=account).delete()
    token = Token.objects.create(user=account)
    account._history_user = acting_user
    account._change_reason = "API token issued"
    account.save(update_fields=["first_name"])  # writes the audit row
    return token.key


@transaction.atomic
def token_revoke(*, account: User, acting_user: User) -> bool:
    _check_manager(acting_user)
    deleted, _ = Token.objects.filter(user=account).delete()
    account._history_user = acting_user
    account._change_reason = "API token revoked"
    account.save(update_fields=["first_name"])
    return bool(deleted)


@login_required
def token_list(request):
    _check_manager(request.user)
    accounts = system_accounts_visible_to(request.user)
    return render(
        request, "portal/tokens.html", {"accounts": accounts, "new_key": request.session.pop("new_token", None)}
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
    else:
        raise PermissionDenied
    return redirect("tokens")
