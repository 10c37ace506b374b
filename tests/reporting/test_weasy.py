"""The lean user-agent stylesheet of the PDF reports (reporting.weasy)."""

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
    doc = ReportHTML(string="<ol><li>一</li></ol><p>二</p>").render()
    assert list(_texts(doc.pages[0]._page_box)) == ["1. ", "一", "二"]
