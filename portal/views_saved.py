"""Saved views (issue 20): save a list's filters and sort under a name, reopen it, share it in the office."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.models import SAVED_VIEW_PAGES, SavedView
from portal.redirects import redirect_next
from portal.services import saved_view_delete, saved_view_query, saved_view_save


class SavedViewForm(forms.Form):
    page = forms.ChoiceField(choices=list(SAVED_VIEW_PAGES.items()))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    query = forms.CharField(required=False, max_length=2000)
    shared = forms.BooleanField(label=gettext_lazy("Share with my organisation"), required=False)


def _page_url(view: SavedView) -> str:
    return reverse(view.page) + (f"?{view.query}" if view.query else "")


@login_required
@require_POST
def saved_view_create(request):
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect_next(request, "dashboard")
    data = form.cleaned_data
    try:
        view = saved_view_save(
            acting_user=request.user,
            page=data["page"],
            name=data["name"],
            query=saved_view_query(QueryDict(data["query"])),
            shared=data["shared"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect_next(request, "dashboard")
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(_page_url(view))


@login_required
@require_GET
def saved_view_open(request, pk: int):
    view = get_object_or_404(SavedView.objects.visible_to(request.user), pk=pk)
    return redirect(_page_url(view))


@login_required
@require_POST
def saved_view_remove(request, pk: int):
    view = get_object_or_404(SavedView.objects.visible_to(request.user), pk=pk)
    page = view.page
    saved_view_delete(view=view, acting_user=request.user)
    messages.success(request, _("View deleted."))
    return redirect(reverse(page))
