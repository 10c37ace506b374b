"""Admin for complaint tickets: read and search for operators; changes go through the services (the
lifecycle, its events and the deadlines would be left behind by an edit here)."""

from django.contrib import admin

from complaints.models import Complaint, ComplaintCase, ComplaintEvent
from portal.admin import ReadOnlyAdmin, ReadOnlyMixin


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "channel", "kind", "utility", "category", "status", "received_at", "overdue"]
    list_filter = ["channel", "kind", "category", "status", "overdue", "statutory_breach"]
    search_fields = ["external_id", "utility__code", "utility__name"]
    list_select_related = ["utility"]
    date_hierarchy = "received_at"
    show_full_result_count = False  # no COUNT(*) over millions of tickets on every page


@admin.register(ComplaintCase)
class ComplaintCaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "created_by"]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["complaint", "action", "at", "actor", "organisation"]
    list_filter = ["action"]
    raw_id_fields = ["complaint"]
    list_select_related = ["actor", "organisation", "complaint"]
