"""Pages for imports (upload, progress, error report, template) and attachment downloads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.excel import Column, xlsx_response
from portal.imports import IMPORT_KINDS, import_job_create, import_job_retry
from portal.models import Attachment, ImportJob, ImportStatus


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )


def _kind_or_404(kind: str, user):
    spec = IMPORT_KINDS.get(kind)
    if spec is None or not spec.allowed(user):
        raise Http404
    return spec


@login_required
def import_new(request, kind: str):
    spec = _kind_or_404(kind, request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(kind=kind, file=form.cleaned_data["file"], acting_user=request.user)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error("file" if field in ("file", "__all__", "kind") else field, errs)
        else:
            return redirect("import-detail", pk=job.pk)
    return render(request, "portal/import_new.html", {"form": form, "spec": spec})


@login_required
def import_template(request, kind: str):
    spec = _kind_or_404(kind, request.user)
    columns = [Column(header=h, value=lambda row, h=h: row.get(h), width=max(12, len(h) * 2)) for h in spec.columns]
    return xlsx_response(filename=f"{spec.label}-模板.xlsx", sheet=str(spec.label), columns=columns, rows=[])


@login_required
def import_detail(request, pk: int):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress,
                "processed_rows": job.processed_rows,
                "total_rows": job.total_rows,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "errors": job.error_count,
                "failure_reason": job.failure_reason,
            }
        )
    spec = IMPORT_KINDS.get(job.kind)
    return render(request, "portal/import_detail.html", {"job": job, "spec": spec, "errors": job.row_errors.all()[:50]})


@login_required
def import_errors(request, pk: int):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    columns = [
        Column(_("Row"), "row_number", "int", 8),
        Column(_("Errors"), lambda e: "；".join(f"{k}: {' '.join(v)}" for k, v in e.messages.items()), width=60),
        Column(_("Data as read"), lambda e: "；".join(f"{k}={v}" for k, v in e.data.items()), width=80),
    ]
    return xlsx_response(
        filename=f"导入错误-{job.pk}.xlsx",
        sheet=_("Errors"),
        columns=columns,
        rows=job.row_errors.iterator(),
        title=f"{job.filename}",
    )


@login_required
@require_POST
def import_retry(request, pk: int):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    if job.status != ImportStatus.DONE:
        import_job_retry(job=job, acting_user=request.user)
        messages.info(request, _("The import resumes after the last saved row."))
    return redirect("import-detail", pk=job.pk)


@login_required
def attachment_download(request, pk: int):
    """Only through here: the file's record must be visible to the user (else 404)."""
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    owner_model = attachment.content_type.model_class()
    manager = owner_model._default_manager
    if hasattr(manager, "visible_to") and not manager.visible_to(request.user).filter(pk=attachment.object_id).exists():
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
