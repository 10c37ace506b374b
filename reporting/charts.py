"""Charts as SVG, made in Python for the PDF reports (no JavaScript in an official document).

Deliberately plain: one <rect> per bar and one <text> per label, so WeasyPrint lays them out in
milliseconds even with 200 utilities. Text is escaped; the font is the document's CJK font.
"""

from __future__ import annotations

from html import escape

from reporting.fonts import REPORT_FONT

# The compliance states in the same colours everywhere (PDF charts and the dashboard).
STATE_COLORS = {"compliant": "#70ad47", "borderline": "#ffc000", "violation": "#c00000", "pending": "#7f7f7f"}
PALETTE = ["#2f5597", "#70ad47", "#ffc000", "#c00000", "#7f7f7f", "#5b9bd5"]
FONT = f"{REPORT_FONT}, Noto Sans CJK, sans-serif"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _text_width(text: str, size: int = 10) -> int:
    """Rough width of a label: CJK glyphs are square, Latin ones about 0.6 em."""
    return int(sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text))


def hbar(
    rows: list[tuple[str, float]], *, unit: str = "", width: int = 640, max_value: float | None = None, color: str = ""
) -> str:
    """Horizontal bars, one per (label, value); the value is printed at the bar's end."""
    if not rows:
        return ""
    bar, gap, label_w = 14, 6, 170
    height = len(rows) * (bar + gap) + gap
    top = max_value if max_value else max((v for _, v in rows), default=0) or 1
    plot = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">'
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(0.0, plot * float(value or 0) / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 3}" text-anchor="end">{escape(str(label)[:18])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color or PALETTE[0]}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}">{_fmt(value)}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_hbar(
    rows: list[tuple[str, list[float]]], *, series: list[str], colors: list[str] | None = None, width: int = 640
) -> str:
    """Horizontal bars split into series (e.g. compliant / borderline / violation), with a legend."""
    if not rows:
        return ""
    colors = colors or PALETTE
    bar, gap, label_w, legend_h = 16, 6, 170, 22
    height = legend_h + len(rows) * (bar + gap) + gap
    total_max = max((sum(vs) for _, vs in rows), default=0) or 1
    plot = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">'
    ]
    x = label_w
    for i, name in enumerate(series):
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colors[i % len(colors)]}"/>')
        parts.append(f'<text x="{x + 14}" y="13">{escape(str(name))}</text>')
        x += 14 + _text_width(str(name)) + 16
    for i, (label, values) in enumerate(rows):
        y = legend_h + gap + i * (bar + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end">{escape(str(label)[:18])}</text>')
        x = float(label_w)
        for j, value in enumerate(values):
            w = plot * float(value or 0) / total_max
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colors[j % len(colors)]}"/>'
                )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 4}">{_fmt(sum(values))}</text>')
    parts.append("</svg>")
    return "".join(parts)
