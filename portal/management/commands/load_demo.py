import importlib

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Each domain app may have a `demo.py` with `load(stdout)`; they run in this order.
DEMO_MODULES = [
    "portal.demo",
    "campaigns.demo",
    "complaints.demo",
    "complaints.connection_demo",
    "outages.demo",
    "outages.arrears_demo",
    "campaigns.large_customer_demo",  # issue 12: large customers (seed 002)
    "reporting.demo",
]


class Command(BaseCommand):
    help = "Create the demo world (organisations, users, calendar, campaigns, tickets, notices). Idempotent."

    def handle(self, *args, **options):
        call_command("seed_calendar", stdout=self.stdout)
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("demo: ready"))
