from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns import models as m


class PhaseInline(admin.TabularInline):
    model = m.Phase
    extra = 0


class FocusInline(admin.TabularInline):
    model = m.FocusItem
    extra = 0


@admin.register(m.Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "owner", "start_date", "end_date", "is_public"]
    search_fields = ["code", "title"]
    inlines = [PhaseInline, FocusInline]
    raw_id_fields = ["owner", "manual_phase"]


class ItemInline(admin.TabularInline):
    model = m.ChecklistItem
    extra = 0


@admin.register(m.ChecklistTemplate)
class ChecklistTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "owner"]
    inlines = [ItemInline]


class MemberInline(admin.TabularInline):
    model = m.GroupMember
    extra = 0


class DutyInline(admin.TabularInline):
    model = m.OfficeDuty
    extra = 0


@admin.register(m.LeadingGroup)
class LeadingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "campaign", "kind"]
    inlines = [MemberInline, DutyInline]


@admin.register(m.SelfCheckReport)
class SelfCheckReportAdmin(SimpleHistoryAdmin):
    list_display = ["campaign", "utility", "status", "is_late", "submitted_at"]
    list_filter = ["status", "is_late"]
    readonly_fields = [f.name for f in m.SelfCheckReport._meta.fields]  # written by services only


@admin.register(m.RectificationItem)
class RectificationItemAdmin(SimpleHistoryAdmin):
    list_display = ["defect_number", "utility", "status", "due_date", "renotice_count", "escalation"]
    list_filter = ["status", "escalation"]
    readonly_fields = [f.name for f in m.RectificationItem._meta.fields]


@admin.register(m.Target)
class TargetAdmin(SimpleHistoryAdmin):
    """The target catalogue (issue 11): the commitments shipped by migration, a province's own added here."""

    list_display = ["code", "indicator", "comparison", "value", "province", "source_class", "valid_from", "valid_to"]
    list_filter = ["indicator", "source_class", "province"]


@admin.register(m.RectificationProgramme)
class RectificationProgrammeAdmin(SimpleHistoryAdmin):
    """Issue 11: standalone rectification programmes (read here; written by the office's pages and API)."""

    list_display = ["code", "title", "owner", "status", "start_date", "end_date"]
    list_filter = ["status", "source"]
    search_fields = ["code", "title"]
    readonly_fields = [f.name for f in m.RectificationProgramme._meta.fields]
