from django.core.management.base import BaseCommand

from portal.calendar import calendar_seed, library_years


class Command(BaseCommand):
    help = "Load statutory holidays and adjusted working days from the chinesecalendar library."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="Years to load (default: every year the library has).")
        parser.add_argument("--replace", action="store_true", help="Overwrite years already loaded (and edited).")

    def handle(self, *args, years, replace, **options):
        available = set(library_years())
        unknown = [y for y in years if y not in available]
        if unknown:
            self.stderr.write(f"No library data for {unknown}; deadlines in those years stay provisional.")
        to_load = [y for y in years if y in available] if years else None
        if to_load == []:
            return
        written = calendar_seed(years=to_load, replace=replace)
        if written:
            self.stdout.write(f"Loaded {len(written)} year(s): {min(written)}–{max(written)}")
        else:
            self.stdout.write("Calendar already loaded; nothing to do (use --replace to overwrite).")
