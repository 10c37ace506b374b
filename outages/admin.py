"""Admin for outage notices: read and search for operators; changes go through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from outages.models import OutageNotice


@admin.register(OutageNotice)
class OutageNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["external_id", "utility", "kind", "status", "start_at", "published_at", "compliance_state"]
    list_filter = ["kind", "status", "compliance_state", "relabelled", "repeated_temporary"]
    search_fields = ["external_id", "area", "lines", "utility__code", "utility__name"]
    list_select_related = ["utility"]
    date_hierarchy = "start_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Edits bypassing the services would leave compliance and violations stale.
        return False
