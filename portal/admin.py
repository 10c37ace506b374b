"""Django admin for master data: organisations, users, the calendar and the rule catalogue."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.models import CalendarChange, CalendarDay, CalendarYear, Organisation, Province, Rule, User, Violation


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "province", "is_active"]
    list_filter = ["kind", "level", "province", "is_active"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["jurisdiction"]
    readonly_fields = ["path"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__kind"]
    autocomplete_fields = ["organisation"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Organisation"), {"fields": ("organisation", "role", "phone")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Organisation"), {"fields": ("organisation", "role")}))


class ReadOnlyMixin:
    """Shown, not edited here: records whose changes go through their services (an edit here would leave
    their history, deadlines or judgements behind)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """A read-only admin of a record with an audit history."""


# The calendar is edited on its page (/calendar/<year>/edit/): a year saved as a whole, and the deadlines
# it touches judged again.
@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "announcement_number", "announcement_date", "complete", "loaded_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name", "updated_at"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"


@admin.register(CalendarChange)
class CalendarChangeAdmin(ReadOnlyAdmin):
    list_display = ["reason", "requested_by", "created_at", "status", "processed", "total", "moved", "noted"]
    list_filter = ["status"]


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "title",
        "value",
        "unit",
        "source_class",
        "jurisdiction",
        "effective_from",
        "effective_to",
        "is_active",
    ]
    list_filter = ["source_class", "unit", "jurisdiction", "is_active"]
    search_fields = ["code", "title", "source", "source_text"]


@admin.register(Violation)
class ViolationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "utility", "source_class", "occurred_at", "disposition"]
    list_filter = ["source_class", "disposition"]
    raw_id_fields = ["deadline", "disposed_by"]
