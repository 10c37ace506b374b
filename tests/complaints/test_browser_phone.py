"""Issue 20, phones: at 390 px the complaints list is cards (no sideways scrolling) with its filters folded
behind a button, and the ticket page fits; at 1440 px the list is a table with its filters shown. The
督办 note has a limit with a counter. Screenshots in /work/shots/20-s4/ (looked at)."""

from pathlib import Path

import pytest

from tests.complaints.factories import push, recent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/20-s4")


def _width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _wide(page) -> list[str]:
    """The elements that reach past the viewport (what makes a page scroll sideways)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('body *')).filter(
            (el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getClientRects().length
        ).slice(0, 8).map((el) => el.tagName + '#' + el.id + '.' + el.className)"""
    )


def test_list_and_ticket_at_1440_and_390(world, calendar, browser_as):
    SHOTS.mkdir(parents=True, exist_ok=True)
    regulator = world.user("reg_staff_a")
    tickets = [
        push(
            regulator,
            channel="12398",
            external_id=f"12398-2026-11-{n:04d}",
            received_at=recent(n),
            content="东关村低电压，晚上空调无法启动，多次向供电所反映无果，要求尽快解决并答复处理结果。" * 2,
        )
        for n in range(1, 5)
    ]
    page = browser_as(regulator)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{page.base}/complaints/")
    assert page.is_visible("#ticket-filters") and not page.is_visible("#filters-toggle")
    assert page.locator("#ticket-table thead").is_visible()
    page.screenshot(path=str(SHOTS / "complaints-list-1440.png"), full_page=False)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base}/complaints/")
    page.screenshot(path=str(SHOTS / "complaints-list-390.png"), full_page=False)
    assert _width(page) <= 392, _wide(page)
    assert not page.is_visible("#ticket-filters") and page.is_visible("#filters-toggle")
    assert not page.locator("#ticket-table thead").is_visible()  # rows are cards
    row = page.locator(f"tr.ticket-row[data-id='{tickets[0].pk}']")
    assert row.bounding_box()["width"] <= 390
    page.screenshot(path=str(SHOTS / "complaints-list-390.png"), full_page=False)
    page.click("#filters-toggle")
    page.wait_for_selector("#ticket-filters.show")
    assert page.is_visible("#ticket-filters")
    page.screenshot(path=str(SHOTS / "complaints-filters-390.png"), full_page=False)

    page.goto(f"{page.base}/complaints/{tickets[0].pk}/")
    page.screenshot(path=str(SHOTS / "ticket-390.png"), full_page=False)
    ticket_width, ticket_wide = _width(page), _wide(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{page.base}/complaints/{tickets[0].pk}/")
    page.screenshot(path=str(SHOTS / "ticket-1440.png"), full_page=False)
    # A text field with a limit shows its counter.
    counters = page.locator(".char-counter")
    assert counters.count() >= 1 and "/ 2000" in counters.first.inner_text()
    assert ticket_width <= 392, ticket_wide
