"""System checks of the shared core (`manage.py check`, `runserver`, `migrate`).

The calendar check reads the database: it judges a deployment's data, not the code. Before the
tables exist (a database not migrated yet) it says nothing: `migrate` loads the calendar.
"""

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone

from portal.calendar import calendar_missing_years


@checks.register()
def calendar_coverage_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        missing = calendar_missing_years()
    except DatabaseError:
        return []
    this_year = timezone.localdate().year
    messages = []
    for year in missing:
        current = year == this_year
        messages.append(
            checks.Warning(
                f"The working-day calendar of {year} is not loaded: every deadline touching {year} is computed"
                " with weekends only and marked provisional.",
                hint=f"Enter the State Council's arrangement for {year} at /calendar/{year}/edit/ (regulator admin), "
                "or upgrade chinesecalendar and run `manage.py seed_calendar`.",
                id="portal.W001" if current else "portal.W002",
            )
        )
    return messages
