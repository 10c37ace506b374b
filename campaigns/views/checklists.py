"""The checklists page: the checklists a user may see; regulator offices build their own there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaigns import forms as f
from campaigns import services
from campaigns.models import ChecklistTemplate
from portal.choices import Party
from portal.querysets import acts_as


@login_required
def checklist_list(request):
    """Checklists the user may see; regulators build their own from lines "group|number|text|要点"."""
    templates = ChecklistTemplate.objects.visible_to(request.user).select_related("owner").annotate(n=Count("items"))
    form = f.ChecklistCreateForm(request.POST or None) if acts_as(request.user, Party.REGULATOR) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                items = services.parse_checklist_lines(form.cleaned_data["lines"])
                if ChecklistTemplate.objects.filter(code=form.cleaned_data["code"]).exists():
                    raise ValidationError({"code": _("A checklist with this code already exists.")})
                services.checklist_create(
                    code=form.cleaned_data["code"],
                    title=form.cleaned_data["title"],
                    items=items,
                    acting_user=request.user,
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error("lines" if field == "items" else field if field in form.fields else None, errs)
            else:
                messages.success(request, _("Checklist created."))
                return redirect("campaigns:checklists")
    return render(request, "campaigns/checklist_list.html", {"templates": templates, "form": form})
