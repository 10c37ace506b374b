"""Table printing rules and the SVG charts (pure functions)."""

from datetime import date

from reporting import charts
from reporting.tables import Table, cell_text


def test_display_rows_shorten_and_group_but_keep_the_data_whole():
    t = Table("k", "t", [("a", "text"), ("b", "text")], group_first=True, shorten={1: 5})
    t.rows = [["甲", "一二三四五六七"], ["甲", "短"], ["乙", "短"]]
    assert list(t.display_rows()) == [["甲", "一二三四…"], ["〃", "短"], ["乙", "短"]]
    assert t.as_json()["rows"][0] == ["甲", "一二三四五六七"]


def test_widths_default_and_dense():
    t = Table("k", "t", [("a", "text")] * 5)
    assert t.col_widths()[0] == 24.0 and abs(sum(t.col_widths()) - 100) < 0.1
    t.rows = [["x"] * 5] * 61
    assert t.dense


def test_cell_text():
    assert cell_text(None, "int") == "—"
    assert cell_text(1234567, "int") == "1,234,567"
    assert cell_text(99.94, "percent") == "99.9%"
    assert cell_text(date(2026, 3, 1), "date") == "2026-03-01"


def test_charts_escape_text_and_scale():
    svg = charts.hbar([("<b>甲</b>", 10), ("乙", 5)], unit="%", max_value=20)
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count("<rect") == 2
    stacked = charts.stacked_hbar(
        [("计划检修", [1, 0, 1, 0])], series=["合规", "临界", "违规", "待定"], colors=["g", "y", "r", "k"]
    )
    assert stacked.count("<rect") == 4 + 2  # the legend, then only the non-empty segments
    assert stacked.count('fill="r"') == 2 and stacked.count('fill="y"') == 1
    assert charts.hbar([]) == ""
