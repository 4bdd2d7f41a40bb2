"""Housing in headless Chromium: the occupancy board on a desktop and on a 390 px phone,
and placing someone from the waiting list.

Run with: pytest tests/test_browser_housing.py -p no:xdist   (or -m browser)
"""

import pytest
from django_scopes import scopes_disabled

from tests.browser_support import BROWSER_LOCALE, TIMEOUT_MS, login, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "taranto"
BOARD_SHOT = "/tmp/housing-board.png"  # noqa: S108 - screenshots for the README, not secrets
PHONE_SHOT = "/tmp/housing-board-phone.png"  # noqa: S108


@pytest.fixture
def housing_demo(demo):
    """Taranto's facilities and placements from the housing seeder (the demo runs at scale 0)."""
    from lgnet.housing.demo import seed_housing

    with scopes_disabled():
        seed_housing(1)


def _casa():
    from lgnet.housing.models import Facility

    with scopes_disabled():
        return Facility.objects.get(city__slug=CITY, name="Casa del rifugiato")


def _page_scroll(page) -> list[int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def test_occupancy_board_on_a_desktop(housing_demo, live_server, page):
    casa = _casa()
    login(page, live_server, f"{CITY}.operatore")
    page.goto(f"{live_server.url}/c/{CITY}/housing/")
    with page.expect_navigation():
        page.locator("[data-testid=facility-row] a", has_text="Casa del rifugiato").first.click()
    with page.expect_navigation():
        page.locator("[data-testid=board-link]").click()
    assert path_of(page, live_server) == f"/c/{CITY}/housing/facilities/{casa.pk}/board/"
    board = page.locator("[data-testid=board]")
    assert page.locator("[data-testid=board-row]").count() == 10
    assert board.locator("[data-testid=board-placement]").count() > 0
    # A week fits a desktop without scrolling sideways, today is marked.
    sizes = board.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] <= sizes[1] + 1, sizes
    assert page.locator("thead th[aria-current=date]").count() == 1
    page.screenshot(path=BOARD_SHOT, full_page=True)
    # The month view: 1 bed column plus 28 to 31 days.
    page.locator("[data-testid=board-month]").click()
    page.wait_for_url("**period=month**")
    days = page.locator("[data-testid=board] thead th").count() - 1
    assert 28 <= days <= 31
    # A placement opens on click.
    with page.expect_navigation():
        page.locator("[data-testid=board-placement] a").first.click()
    assert "/housing/placements/" in path_of(page, live_server)


def test_occupancy_board_on_a_390px_phone(housing_demo, live_server, browser):
    casa = _casa()
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=BROWSER_LOCALE,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        login(page, live_server, f"{CITY}.operatore")
        page.goto(f"{live_server.url}/c/{CITY}/housing/facilities/{casa.pk}/board/?period=month")
        # The page itself does not scroll sideways: only the board does, inside its frame.
        width, inner = _page_scroll(page)
        assert width <= inner + 1, (width, inner)
        board = page.locator("[data-testid=board]")
        scroll_width, client_width = board.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
        assert scroll_width > client_width  # a month is wider than a phone
        bed_cell = page.locator("[data-testid=board-row] th").first
        before = bed_cell.bounding_box()
        board.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        page.wait_for_timeout(100)
        after = bed_cell.bounding_box()
        # The bed column stays put while the days scroll under it.
        assert abs(after["x"] - before["x"]) < 2, (before, after)
        assert after["x"] >= 0 and after["x"] + after["width"] <= 390
        page.screenshot(path=PHONE_SHOT, full_page=True)
    finally:
        context.close()


def _free_a_bed_tonight() -> None:
    """Whatever today's date does to the demo, one bed for men is free tonight."""
    from django.utils import timezone

    from lgnet.accounts.models import User
    from lgnet.housing import selectors, services
    from lgnet.housing.models import Placement

    today = timezone.localdate()
    current = Placement.objects.filter(
        selectors.current_on(today),
        city__slug=CITY,
        bed__is_women_only=False,
        start_date__lt=today,
    ).first()
    services.end_placement(
        actor=User.objects.get(username=f"{CITY}.operatore"),
        placement=current,
        end_date=today,
        exit_reason="another_project",
    )


def test_placing_someone_from_the_waiting_list(housing_demo, live_server, page):
    from lgnet.housing.models import HousingRequest, Placement

    with scopes_disabled():
        request = (
            HousingRequest.objects.filter(
                city__slug=CITY, status="waiting", needs_women_only=False, needs_accessible=False
            )
            .select_related("person")
            .first()
        )
        assert request is not None, "the demo has a waiting list"
        _free_a_bed_tonight()
    login(page, live_server, f"{CITY}.operatore")
    page.goto(f"{live_server.url}/c/{CITY}/housing/waiting-list/")
    row = page.locator("[data-testid=request-row]").filter(has_text=request.person.family_names)
    with page.expect_navigation():
        row.locator("a").first.click()
    assert path_of(page, live_server) == f"/c/{CITY}/housing/requests/{request.pk}/"
    offer = page.locator("[data-testid=offer-form]")
    options = offer.locator("select[name=bed] option")
    assert options.count() >= 2, "a free bed fits the request tonight"
    offer.locator("select[name=bed]").select_option(index=1)
    with page.expect_navigation():
        offer.locator("button[type=submit]").click()
    assert "/housing/placements/" in path_of(page, live_server)
    assert page.locator("[data-testid=placement-person]").inner_text().strip() == (
        request.person.full_name
    )
    with scopes_disabled():
        request.refresh_from_db()
        assert request.status == "placed"
        assert Placement.objects.get(pk=request.placement_id).person_id == request.person_id
