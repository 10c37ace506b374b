"""What the campaign pages share: paging, a service's messages on the page, the campaign a page is about
(visible, else 404) and whether the user manages it (the write guard of `portal.querysets`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services.common import MANAGED_BY_OFFICE
from portal.choices import Party
from portal.querysets import require_writable


def page_of(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def show_errors(request, exc: ValidationError, form=None) -> None:
    """Put a service's field messages on the form (or in the messages bar): nothing is lost."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            if form is not None and field in form.fields:
                form.add_error(field, errs)
            else:
                label = "" if field in ("__all__", "status") else f"{field}: "
                for e in errs:
                    messages.error(request, f"{label}{e}")
    else:
        for e in exc.messages:
            messages.error(request, e)


def visible_campaign(request, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user).select_related("owner", "manual_phase"), pk=pk)


def manages(campaign: Campaign, user) -> bool:
    """Whether `user` manages `campaign`: a regulator of its issuing office or an office above it."""
    return Campaign.objects.writable_by(user, Party.REGULATOR).filter(pk=campaign.pk).exists()


def managed_campaign(request, pk) -> Campaign:
    """The campaign of a manager's page (404 when not visible, 403 with the reason when not managed)."""
    campaign = visible_campaign(request, pk)
    require_writable(request.user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    return campaign


def apply_form(request, form, call, done) -> None:
    """Validate `form`, then `call(**cleaned_data)`; the outcome, or every message of a refusal, goes to the
    messages bar (the pages that post here redirect back to where the form was)."""
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errs)}")
        return
    try:
        call(**form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, done)


def back_to(campaign, anchor=""):
    return redirect(reverse("campaigns:detail", args=[campaign.pk]) + (f"#{anchor}" if anchor else ""))
