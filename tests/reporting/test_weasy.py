"""How the PDF reports drive WeasyPrint: the lean user-agent stylesheet (reporting.weasy), the collector."""

import gc

import pytest

from reporting.render import fewer_collections
from reporting.weasy import ReportHTML, lean_ua_stylesheet


def test_weasyprint_still_asks_the_document_for_its_user_agent_stylesheet(monkeypatch):
    asked = []
    monkeypatch.setattr(
        ReportHTML, "_ua_stylesheets", lambda self, forms=False: asked.append(forms) or [lean_ua_stylesheet()]
    )
    ReportHTML(string="<p>测试</p>").render()
    assert asked


def _texts(box):
    if getattr(box, "text", None):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def test_lists_keep_their_markers():
    doc = ReportHTML(string="<ol><li>一</li></ol><ul><li>三</li></ul><p>二</p>").render()
    assert list(_texts(doc.pages[0]._page_box)) == ["1. ", "一", "• ", "三", "二"]


def test_the_lean_stylesheet_is_read_without_warnings(caplog):
    lean_ua_stylesheet.cache_clear()
    with caplog.at_level("WARNING", logger="weasyprint"):
        lean_ua_stylesheet()
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_the_collector_runs_less_often_while_rendering_and_as_before_after():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold()[0] > before[0]
        raise RuntimeError
    assert gc.get_threshold() == before


def test_overlapping_renders_restore_the_thresholds_once_the_last_ends():
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() != before
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
