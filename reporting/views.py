"""Pages of the reporting app: request a report, follow its progress, download the PDF and its
tables as .xlsx, browse versions; the dashboard with charts that click through to the lists."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.choices import Party
from portal.excel import Column, xlsx_response
from portal.querysets import acts_as
from portal.views_workflow import step_action, step_forms
from reporting import publication, services
from reporting.api.views import pdf_response
from reporting.dashboard import Filters, complaint_stats_as_of, dashboard_data
from reporting.filtersets import ReportJobFilterSet
from reporting.forms import DashboardForm, ReportRequestForm
from reporting.models import BulletinPublication, ReportJob
from reporting.params import raw_from_params
from reporting.selectors import status_line


def _visible(request):
    return ReportJob.objects.visible_to(request.user).select_related("organisation", "created_by", "campaign")


@login_required
def report_list(request):
    fs = ReportJobFilterSet(request.GET, queryset=_visible(request), request=request)
    initial = {"campaign": request.GET.get("for_campaign")} if request.GET.get("for_campaign", "").isdigit() else {}
    form = ReportRequestForm(user=request.user, initial=initial)
    page = Paginator(fs.qs, 50).get_page(request.GET.get("page"))
    return render(request, "reporting/report_list.html", {"filter": fs, "page": page, "form": form})


EXPORT_COLUMNS = [
    Column(gettext_lazy("Title"), "title", width=40),
    Column(gettext_lazy("Kind"), "get_kind_display", width=18),
    Column(gettext_lazy("Version"), "version", kind="int", width=8),
    Column(gettext_lazy("Document number"), "document_number", width=24),
    Column(gettext_lazy("Requested for"), "organisation.name", width=24),
    Column(gettext_lazy("Requested by"), lambda j: j.created_by.username if j.created_by else "", width=14),
    Column(gettext_lazy("Requested at"), "created_at", kind="datetime"),
    Column(gettext_lazy("Status"), "get_status_display", width=10),
    Column(gettext_lazy("Pages"), "pages", kind="int", width=8),
    Column(gettext_lazy("Render time (s)"), "render_seconds", kind="decimal", width=10),
    Column(gettext_lazy("SHA-256"), "sha256", width=66),
]


@login_required
def report_export(request):
    fs = ReportJobFilterSet(request.GET, queryset=_visible(request), request=request)
    return xlsx_response(
        filename=_("reports"),
        sheet=_("Reports"),
        columns=EXPORT_COLUMNS,
        rows=fs.qs.iterator(chunk_size=2000),
        title=_("Generated reports"),
    )


@login_required
@require_POST
def report_new(request):
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("reporting:list")
    try:
        job = services.report_request(kind=form.cleaned_data["kind"], raw=form.raw(), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("reporting:list")
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role may not request this report."))
        return redirect("reporting:list")
    messages.success(request, _("Report requested: version %(v)d is being generated.") % {"v": job.version})
    return redirect(job)


@login_required
def report_detail(request, pk: int):
    job = get_object_or_404(_visible(request), pk=pk)
    versions = _visible(request).filter(series_key=job.series_key).order_by("-version")
    context = {"job": job, "versions": versions, "stalled": services.is_stalled(job), "status_line": status_line(job)}
    return render(request, "reporting/report_detail.html", context)


@login_required
def report_status(request, pk: int):
    job = get_object_or_404(_visible(request), pk=pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_display": status_line(job),
            "progress": job.progress,
            "error": job.error,
        }
    )


@login_required
def report_download(request, pk: int):
    return pdf_response(get_object_or_404(_visible(request), pk=pk))


@login_required
@require_POST
def report_retry(request, pk: int):
    job = get_object_or_404(_visible(request), pk=pk)
    try:
        services.report_retry(job=job, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect(job)


@login_required
@require_POST
def report_regenerate(request, pk: int):
    """The next version of the same report (same kind and parameters); the old one stays."""
    job = get_object_or_404(_visible(request), pk=pk)
    try:
        new = services.report_request(kind=job.kind, raw=raw_from_params(job.params), acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(job)
    return redirect(new)


def _typed(value, kind: str):
    if value is None or value == "":
        return None
    try:
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "datetime":
            return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return value


@login_required
def report_table_export(request, pk: int, key: str):
    """One table of a generated version as .xlsx: the very figures printed in that PDF."""
    job = get_object_or_404(_visible(request), pk=pk)
    table = next((t for t in job.tables if t.get("key") == key), None)
    if table is None:
        raise Http404
    columns = [
        Column(header, (lambda row, i=i, k=kind: _typed(row[i], k)), kind=kind, width=30 if kind == "text" else 14)
        for i, (header, kind) in enumerate(table["columns"])
    ]
    return xlsx_response(
        filename=f"{job.title}-v{job.version}-{key}",
        sheet=table["title"],
        columns=columns,
        rows=table["rows"],
        title=f"{job.title}（{job.document_number}）{table['title']}",
    )


@login_required
def dashboard(request):
    form = DashboardForm(request.GET or None, user=request.user)
    f = Filters()
    if form.is_bound and form.is_valid():
        f = Filters(
            campaign=form.cleaned_data["campaign"], start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    context = {"form": form, "charts": dashboard_data(request.user, f), "stats_at": complaint_stats_as_of(request.user)}
    return render(request, "reporting/dashboard.html", context)


# --------------------------------------------------------------------------- 通报 to the public column


def _publications(request):
    return BulletinPublication.objects.visible_to(request.user).select_related("office", "prepared_by", "approved_by")


@login_required
def publication_list(request):
    """The office's bulletins on their way to the public column; a regulator prepares a month (POST)."""
    if not acts_as(request.user, Party.REGULATOR):
        raise PermissionDenied(_("Only regulators publish bulletins."))
    if request.method == "POST":
        raw = (request.POST.get("month") or "").strip()
        try:
            month = datetime.strptime(raw, "%Y-%m").date()  # noqa: DTZ007 - a calendar month, no instant
        except ValueError:
            messages.error(request, _("Give the month as YYYY-MM."))
            return redirect("reporting:publications")
        if request.user.organisation is None:
            raise PermissionDenied(_("Only the issuing office prepares its bulletin for publication."))
        try:
            pub = publication.publication_prepare(
                office=request.user.organisation, month=month, acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reporting:publications")
        return redirect(pub)
    return render(request, "reporting/publication_list.html", {"publications": _publications(request)[:100]})


@login_required
def publication_detail(request, pk: int):
    pub = get_object_or_404(_publications(request), pk=pk)
    return render(
        request,
        "reporting/publication_detail.html",
        {
            "pub": pub,
            "steps": step_forms(publication.WORKFLOW, request.user, pub),
            "public": publication.public_view(pub),
        },
    )


@login_required
@require_POST
def publication_action(request, pk: int, verb: str):
    pub = get_object_or_404(_publications(request), pk=pk)
    return step_action(request, pub, publication.WORKFLOW, verb)


def public_bulletins(request):
    """The public column: published bulletins only."""
    pubs = BulletinPublication.objects.published().select_related("office").order_by("-month", "-id")[:200]
    return render(request, "reporting/public_bulletins.html", {"publications": pubs})


def public_bulletin(request, pk: int):
    pub = get_object_or_404(BulletinPublication.objects.published().select_related("office"), pk=pk)
    return render(request, "reporting/public_bulletin.html", {"pub": publication.public_view(pub), "pk": pub.pk})
