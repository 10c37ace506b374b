"""WeasyPrint's HTML with a leaner user-agent stylesheet, for the PDF templates of this app only.

WeasyPrint's default stylesheet has universal rules for six pseudo-elements (`::marker`, `::footnote-call`,
`::footnote-marker`, `::note-call`, `::note-marker`, `::note-callback`), so every element gets six extra
computed styles: about 100,000 for the special report's 15,000 table cells. Our templates have no
footnotes and lists only in the contents, so `::marker` is kept for `li` and the footnote and note rules
are left out. The document is the same; layout is ~2 s faster and peak memory ~125 MiB lower for the
63-page special report (docs/performance.md).

`_ua_stylesheets` is WeasyPrint's internal hook (weasyprint 70); were it renamed, the override would go
unused and the default stylesheet would apply: the same PDF, only slower (tests/reporting/test_weasy.py
checks that the hook is still called).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from weasyprint import CSS, HTML
from weasyprint import css as weasyprint_css
from weasyprint.css.counters import CounterStyle

_UNIVERSAL_NOTES = re.compile(r"^::(footnote|note)-[a-z]+ \{.*\}$", re.MULTILINE)


@lru_cache(maxsize=1)
def lean_ua_stylesheet() -> CSS:
    """WeasyPrint's html5_ua.css with `::marker` on list items only and no footnote or note rules
    (parsed once per process)."""
    text = (files(weasyprint_css) / "html5_ua.css").read_text("utf-8")
    text = text.replace("\n::marker {", "\nli::marker {")
    text = _UNIVERSAL_NOTES.sub("", text)
    # Its @counter-style rules go to a collection of their own: the document takes its counter styles from
    # WeasyPrint's (`_ua_counter_style`), which refuses them a second time with a warning per style.
    return CSS(string=text, counter_style=CounterStyle())


class ReportHTML(HTML):
    """An HTML document laid out with the lean user-agent stylesheet (no forms in a report)."""

    def _ua_stylesheets(self, forms=False):
        return [lean_ua_stylesheet()]
