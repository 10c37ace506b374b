"""The pages of the service work orders a utility's system pushes (connection applications, meter requests,
arrears cases): one list and one record page for every kind, parameterised by `WorkOrderPages`.

The list filters by the kind's choices and flags, drills down to a utility's subtree (`?utility=`), narrows to
records with a violation (`?late=1`), shows the on-time rate per utility, and pages by keyset (no COUNT or
OFFSET at millions of rows). The record page shows the customer (masked for those who only supervise), the
deadlines with their rules, the violations, the step forms of the kind's workflow and the history. What a
kind adds (the 获得电力 averages, the instants of the steps, the reminders) comes from its `list_extra` /
`detail_extra`; its columns and facts are its own templates, which include the shared parts
(`portal/work_orders/`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_POST

from portal.models import Organisation, TrackedDeadline, Violation
from portal.paging import keyset_page, row_id
from portal.privacy import handles, mask_address, mask_name
from portal.tracking import on_time_by_utility
from portal.views_workflow import step_action, step_forms
from portal.workflow import Workflow


def personal_of(user, order) -> dict:
    """The customer's name and address: in full for the utility handling the record, masked for everyone else."""
    if handles(user, order.utility):
        return {"customer_name": order.customer_name, "address": order.address}
    return {"customer_name": mask_name(order.customer_name), "address": mask_address(order.address)}


@dataclass(frozen=True)
class WorkOrderPages:
    model: type[models.Model]
    workflow: Workflow
    templates: str  # the kind's template folder: `<templates>/list.html`, `<templates>/detail.html`
    name: str  # the record's name in the detail template ("app", "req", "case") and the URL names' stem
    order_field: str  # the list's order (newest first), e.g. "applied_at"
    done: str  # the message after a step, with %(status)s
    choices: tuple[tuple[str, type[models.TextChoices]], ...] = ()  # `?<field>=<value>` filters
    flags: tuple[str, ...] = ()  # boolean fields filtered by `?<field>=1`
    list_extra: Callable[[object], dict] | None = None  # (filtered queryset) -> context
    detail_extra: Callable[[models.Model], dict] | None = None  # (record) -> context

    def visible(self, request):
        return self.model.objects.visible_to(request.user).select_related("utility")

    def filtered(self, request):
        qs, chosen = self.visible(request), {}
        for name, choices in self.choices:
            value = request.GET.get(name, "")
            if value in choices.values:
                qs = qs.filter(**{name: value})
                chosen[name] = value
        for name in self.flags:
            if request.GET.get(name) == "1":
                qs = qs.filter(**{name: True})
                chosen[name] = True
        utility = row_id(request.GET.get("utility"))
        if utility is not None:  # the utility and its subtree (a drill-down from the rates)
            org = Organisation.objects.visible_to(request.user).filter(pk=utility).first()
            if org is not None:
                qs = qs.filter(utility__path__startswith=org.path)
                chosen["utility"] = org
        if request.GET.get("late") == "1":
            ct = ContentType.objects.get_for_model(self.model)
            qs = qs.filter(pk__in=Violation.objects.filter(content_type=ct).values("object_id"))
            chosen["late"] = True
        return qs, chosen

    def list_view(self, request):
        qs, chosen = self.filtered(request)
        page = keyset_page(request, qs, self.order_field, desc=True)
        context = {
            "rows": [(order, personal_of(request.user, order)) for order in page.rows],
            "chosen": chosen,
            "choice_filters": {name: choices.choices for name, choices in self.choices},
            "rates": on_time_by_utility(self.model, qs),
            **page.context(),
            **(self.list_extra(qs) if self.list_extra else {}),
        }
        return render(request, f"{self.templates}/list.html", context)

    def detail_view(self, request, pk: int):
        order = get_object_or_404(self.visible(request), pk=pk)
        ct = ContentType.objects.get_for_model(self.model)
        context = {
            self.name: order,
            "record": order,
            "personal": personal_of(request.user, order),
            "deadlines": list(
                TrackedDeadline.objects.for_object(order).select_related("rule").order_by("start", "code")
            ),
            "violations": Violation.objects.visible_to(request.user).filter(content_type=ct, object_id=order.pk),
            "steps": step_forms(self.workflow, request.user, order),
            **(self.detail_extra(order) if self.detail_extra else {}),
        }
        return render(request, f"{self.templates}/detail.html", context)

    def action_view(self, request, pk: int, verb: str):
        order = get_object_or_404(self.visible(request), pk=pk)
        done = self.done
        return step_action(
            request, order, self.workflow, verb, done=lambda o: str(done) % {"status": o.get_status_display()}
        )

    def urls(self, prefix: str, stem: str) -> list:
        """The list, the record page and its steps under `prefix` (e.g. "connections/"), named `<stem>-list`,
        `<stem>-detail`, `<stem>-action`."""
        return [
            path(prefix, login_required(self.list_view), name=f"{stem}-list"),
            path(f"{prefix}<int:pk>/", login_required(self.detail_view), name=f"{stem}-detail"),
            path(
                f"{prefix}<int:pk>/<str:verb>/",
                login_required(require_POST(self.action_view)),
                name=f"{stem}-action",
            ),
        ]
