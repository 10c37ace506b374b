"""Render a report synchronously to a file: `render_report KIND [--campaign ID] [--period …] --out FILE.pdf`."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone, translation

from reporting.fonts import ReportFontMissing, require_cjk_font
from reporting.kinds import REGISTRY, spec
from reporting.params import report_params
from reporting.render import render_html, render_pdf
from reporting.services import build_content


class Command(BaseCommand):
    help = "Render a report (campaign_special, self_check, complaint_bulletin, outage_compliance) to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(REGISTRY))
        parser.add_argument("--campaign", help="campaign id (campaign_special; self_check with --utility)")
        parser.add_argument("--report", help="self-check report id (self_check)")
        parser.add_argument("--utility", help="utility code (self_check; outage_compliance narrows to its subtree)")
        parser.add_argument("--period", help="2026, 2026-03, 2026Q1 or 2026-01-01..2026-03-31")
        parser.add_argument("--office", help="organisation id the report is for (bulletin, outage_compliance)")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--html", help="also write the HTML that was laid out (for debugging)")

    def handle(self, *args, **o):
        try:
            require_cjk_font()
        except ReportFontMissing as exc:
            raise CommandError(str(exc)) from None
        raw = {k: o[k] for k in ("campaign", "report", "utility", "period", "office") if o.get(k)}
        try:
            resolved = report_params(kind=o["kind"], raw=raw, user=None)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        except (Http404, PermissionDenied):
            raise CommandError("no such record") from None

        def progress(percent, stage):
            self.stderr.write(f"{percent:3d}% {stage}")

        with translation.override("zh-hans"):
            content = build_content(resolved.kind, resolved.params, resolved.organisation, progress)
            org, prefix = resolved.organisation, spec(resolved.kind).doc_prefix
            number = f"{org.short_name or org.name}〔{timezone.localdate():%Y}〕{prefix}（命令行）"
            if o.get("html"):
                Path(o["html"]).write_text(render_html(content, document_number=number), encoding="utf-8")
            rendered = render_pdf(content, document_number=number, progress=progress)
        Path(o["out"]).write_bytes(rendered.pdf)
        self.stdout.write(f"{o['out']}: {rendered.pages} pages, {len(rendered.pdf)} bytes, {rendered.seconds} s")
