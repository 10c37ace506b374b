"""Pages of standalone rectification programmes (整改方案 / 专项整改, issue 11): the list (with the form that
creates one, for the regulator admins of an office), a programme's page with its findings and their items (a
finding recorded by the office's regulators; a measure added by them, or proposed by the utility addressed),
its edit form and its steps (issue, close, reopen: `PROGRAMME_WORKFLOW`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import services
from campaigns.choices import RectificationStatus
from campaigns.filtersets import ProgrammeFilterSet
from campaigns.models import Finding, RectificationItem, RectificationProgramme
from campaigns.services.programmes import PROGRAMME_ADMINS, require_programme_admin
from campaigns.views.common import apply_form, page_of, show_errors
from portal.choices import Party, Role
from portal.querysets import acts_as
from portal.views_workflow import step_action, step_forms


def _is_office_admin(user) -> bool:
    org = user.organisation
    return user.is_superuser is False and user.role == Role.REGULATOR_ADMIN and org is not None and org.is_regulator


@login_required
def programme_list(request):
    qs = (
        RectificationProgramme.objects.visible_to(request.user)
        .select_related("owner")
        .annotate(
            n_items=Count("items", distinct=True),
            n_verified=Count("items", filter=Q(items__status=RectificationStatus.VERIFIED), distinct=True),
            n_overdue=Count("items", filter=Q(items__status=RectificationStatus.OVERDUE), distinct=True),
        )
        .order_by("-start_date", "code")
    )
    fs = ProgrammeFilterSet(request.GET, queryset=qs, request=request)
    form = None
    if _is_office_admin(request.user):
        form = f.ProgrammeForm(request.POST or None, prefix="new")
        if request.method == "POST" and form.is_valid():
            try:
                programme = services.programme_create(
                    owner=request.user.organisation, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                show_errors(request, exc, form)
            else:
                messages.success(request, _("Rectification programme created. Record its findings, then issue it."))
                return redirect(programme.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied(PROGRAMME_ADMINS)
    return render(
        request, "campaigns/programme_list.html", {"filter": fs, "page": page_of(request, fs.qs), "form": form}
    )


def _programme(request, pk) -> RectificationProgramme:
    return get_object_or_404(RectificationProgramme.objects.visible_to(request.user).select_related("owner"), pk=pk)


@login_required
def programme_detail(request, pk: int):
    programme = _programme(request, pk)
    user = request.user
    manages = RectificationProgramme.objects.writable_by(user, Party.REGULATOR).filter(pk=programme.pk).exists()
    items = RectificationItem.objects.visible_to(user).order_by("pk")
    findings = (
        Finding.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("utility")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("utility__path", "source", "number")
    )
    is_admin = user.is_superuser or (user.role == Role.REGULATOR_ADMIN and user.organisation_id == programme.owner_id)
    # The utility addressed proposes its measures; the office's regulators add theirs.
    adds_items = manages or acts_as(user, Party.UTILITY)
    return render(
        request,
        "campaigns/programme_detail.html",
        {
            "programme": programme,
            "findings": findings,
            "manages": manages,
            "adds_items": adds_items and programme.status != "closed",
            "proposes": adds_items and not manages,
            "finding_form": f.ProgrammeFindingForm(programme=programme) if manages else None,
            "edit_form": f.ProgrammeEditForm(instance=programme, prefix="edit") if is_admin else None,
            "rect_form": f.RectificationForm(),
            "steps": step_forms(services.PROGRAMME_WORKFLOW, user, programme),
        },
    )


@login_required
@require_POST
def programme_edit(request, pk: int):
    programme = _programme(request, pk)
    require_programme_admin(request.user, programme)
    fresh = RectificationProgramme.objects.get(pk=programme.pk)  # the form's validation writes on its instance
    form = f.ProgrammeEditForm(request.POST, instance=fresh, prefix="edit")
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in f.ProgrammeEditForm.Meta.fields}
        try:
            services.programme_update(programme=programme, acting_user=request.user, **data)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
    else:
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errs)}")
    return redirect(programme.get_absolute_url())


@login_required
@require_POST
def programme_finding_add(request, pk: int):
    """A finding of the programme (any source), addressed to a utility the office supervises."""
    programme = _programme(request, pk)
    form = f.ProgrammeFindingForm(request.POST, programme=programme)
    apply_form(
        request,
        form,
        lambda **data: services.finding_add(programme=programme, acting_user=request.user, **data),
        _("Finding recorded."),
    )
    return redirect(reverse("campaigns:programme", args=[programme.pk]) + "#findings")


@login_required
@require_POST
def programme_action(request, pk: int, verb: str):
    """A step of the programme's workflow (issue, close, reopen)."""
    programme = _programme(request, pk)
    return step_action(request, programme, services.PROGRAMME_WORKFLOW, verb, back=programme.get_absolute_url())
