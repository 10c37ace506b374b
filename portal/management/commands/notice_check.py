import json

from django.core.management.base import BaseCommand, CommandError

from portal.instants import InstantError, parse_instant
from portal.selectors import NOTICE_KINDS, notice_judge


class Command(BaseCommand):
    help = "Judge an outage notice: compliant, borderline or violation under every rule in force."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"One of: {', '.join(NOTICE_KINDS)}")
        parser.add_argument("--notice", required=True, help="When the notice was published (ISO 8601)")
        parser.add_argument("--start", required=True, help="Scheduled start of the outage (ISO 8601)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, kind, notice, start, **options):
        if kind not in NOTICE_KINDS:
            raise CommandError(
                f"Unknown kind '{kind}'; use one of {', '.join(NOTICE_KINDS)} (fault outages need no notice)."
            )
        try:
            notice_at, start_at = parse_instant(notice), parse_instant(start)
        except InstantError as exc:
            raise CommandError(str(exc)) from None
        result = notice_judge(kind=kind, notice_at=notice_at, start=start_at)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"{kind}: {result['state']} (lead {result['lead_hours']} h)")
        for r in result["rules"]:
            self.stdout.write(
                f"  {r['rule']:<36} {r['state']:<10} needs {r['required_hours']} h, "
                f"short {r['shortfall_hours']} h — {r['note']}"
            )
