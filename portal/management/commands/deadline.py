import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.calendar import get_calendar
from portal.deadlines import compute_deadline
from portal.instants import InstantError, parse_instant
from portal.models import Rule
from portal.selectors import local_date, rule_for_code


class Command(BaseCommand):
    help = "Compute the deadline of RULE_ID from START_ISO and explain it."

    def add_arguments(self, parser):
        parser.add_argument("rule_id")
        parser.add_argument("start")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, rule_id, start, **options):
        try:
            start_at = parse_instant(start)
        except InstantError as exc:
            raise CommandError(str(exc)) from None
        try:
            rule = rule_for_code(rule_id, on=local_date(start_at))
        except Rule.DoesNotExist:
            known = ", ".join(sorted(set(Rule.objects.values_list("code", flat=True))))
            raise CommandError(f"Unknown rule id '{rule_id}' (or none in force on that date). Known: {known}") from None
        result = compute_deadline(rule.spec(), start_at, get_calendar())
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{rule.code}: {rule.title} — {rule.value} {rule.get_unit_display()} ({rule.source})")
        self.stdout.write(f"start  {timezone.localtime(start_at).isoformat()}")
        self.stdout.write(
            f"due    {result.due.isoformat()}"
            + ("  [PROVISIONAL: calendar year not loaded]" if result.provisional else "")
        )
        if result.at_risk:
            self.stdout.write(f"at risk from {result.at_risk.isoformat()}")
        for step in result.trace:
            self.stdout.write(f"  {step.date} {step.kind:<17} {step.counted or '-':>3}  {step.note}")
        for note in result.notes:
            self.stdout.write(f"  {note}")
