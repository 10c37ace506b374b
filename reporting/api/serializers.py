"""Input and output serializers of /api/v1/reports/."""

from django.urls import reverse
from rest_framework import serializers

from reporting.choices import ReportKind
from reporting.models import BulletinPublication, ReportJob
from reporting.params import MAX_ID


class ReportRequestSerializer(serializers.Serializer):
    """A report request: the kind and the parameters that kind needs.

    campaign_special: `campaign`; self_check: `report`, or `campaign` and `utility`;
    outage_compliance: `period` (2026, 2026-03, 2026Q1, 2026-01-01..2026-03-31), optional `utility`
    and `office`; complaint_bulletin: `period` and `office`.
    """

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    report = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    office = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    utility = serializers.RegexField(r"^[A-Za-z0-9_.-]{1,40}$", required=False)
    period = serializers.RegexField(r"^[0-9Qq.-]{4,22}$", required=False)


class ReportJobSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "version",
            "document_number",
            "params",
            "organisation",
            "campaign",
            "status",
            "status_label",
            "progress",
            "stage",
            "error",
            "attempts",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "sha256",
            "size",
            "pages",
            "render_seconds",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if not obj.is_done:
            return None
        url = reverse("reporting:download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class BulletinPublicationSerializer(serializers.ModelSerializer):
    """A bulletin on its way to the public column (issue 13): its frozen figures, its state, who did what."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    prepared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = BulletinPublication
        fields = [
            "id",
            "office",
            "month",
            "title",
            "status",
            "figures",
            "violations",
            "names_published",
            "prepared_by",
            "prepared_at",
            "approved_by",
            "published_at",
        ]
        read_only_fields = fields
