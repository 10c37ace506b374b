from pathlib import Path

from django.core.management.base import BaseCommand

from campaigns.checklists import BAIWEN_BAICHA, load_checklist


class Command(BaseCommand):
    help = "Load checklist templates from JSON (default: the 百问百查 2009 checklist of seed 001). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="JSON files (default: campaigns/data/baiwen_baicha_2009.json)")

    def handle(self, *args, files, **options):
        for path in files or [BAIWEN_BAICHA]:
            template, n = load_checklist(Path(path))
            self.stdout.write(f"checklists: {template.code} {template.title}: {n} items")
