"""/api/v1/reports/: request a report (a new version), follow its progress, download the PDF."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.base import ScopedReadOnlyViewSet, ScopedViewSetMixin
from portal.api.workflow import workflow_actions
from portal.choices import REGULATOR_ROLES
from reporting import publication, services
from reporting.api import serializers as s
from reporting.filtersets import ReportJobFilterSet
from reporting.models import BulletinPublication, ReportJob


@extend_schema_view(
    create=extend_schema(
        request=s.ReportRequestSerializer,
        responses={
            202: s.ReportJobSerializer,
            404: OpenApiResponse(description="The campaign, report or office is not visible to you."),
        },
    )
)
class ReportJobViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reports of the organisations you may see. POST queues the next version of a report and
    answers 202 with the job; GET shows its status and progress, and the PDF link when done."""

    queryset = ReportJob.objects.select_related("organisation", "created_by")
    serializer_class = s.ReportJobSerializer
    filterset_class = ReportJobFilterSet

    def create(self, request, *args, **kwargs):
        data = s.ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        kind = params.pop("kind")
        job = services.report_request(kind=kind, raw=params, acting_user=request.user)
        job.refresh_from_db()  # eager task runs (tests) have already finished it
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None, responses={202: s.ReportJobSerializer, 400: OpenApiResponse(description="Not failed.")}
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = services.report_retry(job=self.get_object(), acting_user=request.user)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: OpenApiResponse()})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return pdf_response(self.get_object())


def pdf_response(job: ReportJob) -> FileResponse:
    if not job.is_done:
        raise Http404
    path = services.report_file_path(job)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="application/pdf", filename=f"{job.title}-v{job.version}.pdf")
    response["X-Content-SHA256"] = job.sha256
    return response


@workflow_actions(publication.WORKFLOW, output=s.BulletinPublicationSerializer)
class BulletinPublicationViewSet(ScopedReadOnlyViewSet):
    """Bulletins of your office on their way to the public column (issue 13): read, and the steps of
    publication (submit, approve, return, withdraw; approving and withdrawing are an administrator's)."""

    queryset = BulletinPublication.objects.select_related("office", "prepared_by", "approved_by")
    serializer_class = s.BulletinPublicationSerializer
    write_roles = REGULATOR_ROLES
