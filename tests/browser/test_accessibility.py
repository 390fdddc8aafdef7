"""axe-core (WCAG 2.1 A and AA rules) on the demo's public pages, in a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command

# The live server reads the data from another thread, so the test commits it (transaction=True);
# serialized_rollback restores Wagtail's root page and default site if an earlier test flushed them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BORAS_TITLE = "Inga särskilt utsatta områden ska finnas i Borås!"


def assert_accessible(page, label: str):
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{label} ({page.url}):\n{results.generate_report()}"


def test_demo_pages_have_no_wcag_violations_and_work_without_javascript(live_server, browser, page):
    call_command("load_demo", "--seeds-only", verbosity=0)  # one load for both checks

    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert_accessible(page, "the portal's list of municipalities")
    page.get_by_role("link", name="Västerås stad").click()  # another site, another colour
    page.wait_for_load_state()
    assert_accessible(page, "Västerås's home page")

    response = page.goto(live_server.url + "/boras/")  # Borås on the portal's path fallback
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    assert_accessible(page, "home page")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Motioner").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Motioner"
    assert_accessible(page, "motion list")

    page.goto(live_server.url + "/boras/motioner/?year=2023")  # newer cases fill page one
    page.get_by_role("link", name=BORAS_TITLE).first.click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == BORAS_TITLE
    assert page.get_by_role("heading", name="Att-satser och utfall").count() == 1
    assert_accessible(page, "the Borås motion")

    page.goto(live_server.url + "/boras/sok/?q=utsatta")
    assert page.locator("main mark").count() > 0  # the search word highlighted in the results
    assert_accessible(page, "search results")

    # The filter form is a plain GET form: it must work with JavaScript off.
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(live_server.url + "/boras/motioner/")
    no_js.locator("summary", has_text="Filtrera motioner").click()  # <details> opens without script
    no_js.get_by_label("År").fill("2023")
    no_js.get_by_role("button", name="Visa motioner").click()
    no_js.wait_for_load_state()
    assert "year=2023" in no_js.url
    assert no_js.get_by_role("link", name=BORAS_TITLE).count() == 1
    context.close()


def test_following_a_motion_by_e_mail_is_accessible_at_every_step(live_server, page):
    """Follow with a wrong address, then a right one, confirm and see what you follow."""
    call_command("load_demo", "--seeds-only", verbosity=0)
    page.goto(live_server.url + "/boras/sok/?q=utsatta")  # the demo's list holds 40 newer cases
    page.get_by_role("link", name=BORAS_TITLE).first.click()
    page.wait_for_load_state()
    follow_form = page.locator("form.follow-form")

    follow_form.get_by_label("Din e-postadress").fill("inte en adress")
    follow_form.get_by_role("button", name="Följ", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_label("Din e-postadress").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "follow form with an error")

    page.get_by_label("Din e-postadress").fill("anna@example.org")
    page.get_by_role("button", name="Följ", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Titta i din e-post"
    assert_accessible(page, "check your e-mail")

    (confirmation,) = mail.outbox
    # The link is on Borås's own site (boras.localhost:8000); here the same path on the portal.
    link = re.search(r"http://boras\.localhost:8000(/folj/bekrafta/\S+/)", confirmation.body)
    page.goto(live_server.url + "/boras" + link.group(1))
    assert_accessible(page, "confirm")
    page.get_by_role("button", name="Ja, börja följa").click()
    page.wait_for_load_state()
    assert_accessible(page, "now following")

    page.get_by_role("link", name="Se allt du följer").click()
    page.wait_for_load_state()
    assert page.get_by_role("row", name=re.compile(BORAS_TITLE)).count() == 1
    assert_accessible(page, "what you follow")

    page.goto(live_server.url + "/boras/folj/mina/")  # lost the link: ask for it again
    assert_accessible(page, "ask for your link")


def _drawn_chart_labels(page) -> list[dict]:
    """Each chart label's font size as drawn (its font-size times the chart's scale on screen)
    and the height of its box on screen, in CSS px."""
    return page.eval_on_selector_all(
        "svg.chart text",
        """texts => texts.map(text => ({
            label: text.textContent,
            size: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
            height: text.getBoundingClientRect().height,
        }))""",
    )


def _contrast(one, other) -> float:
    def luminance(rgb):
        def channel(value):
            value /= 255
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_what_citizens_see_on_a_phone_is_readable_and_accessible(live_server, browser, page):
    """At 375 px: the header's search box, the home page's ways in, the tracker with its chart,
    progress bars and filter button, a commitment with an indicator chart, and the API docs."""
    from io import BytesIO

    from PIL import Image

    call_command("load_demo", "--seeds-only", verbosity=0)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(live_server.url + "/boras/")
    assert page.locator("main nav.overview a").count() > 3  # motions, follow-up, areas, parties…
    assert_accessible(page, "home page at 375 px")
    page.locator("header form[role=search] input[type=search]").fill("utsatta")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/boras/sok/?q=utsatta")
    assert page.locator("main mark").count() > 0

    tracker = live_server.url + "/boras/uppfoljning/"
    for url in (tracker, tracker + "inga-sarskilt-utsatta-omraden-2030/"):
        page.goto(url)
        labels = _drawn_chart_labels(page)
        assert labels, f"no chart on {url}"
        small = [label for label in labels if label["size"] < 12 or label["height"] < 12]
        assert not small, f"chart labels under 12 px at 375 px on {url}: {small}"
        assert_accessible(page, f"{url} at 375 px")

    page.goto(tracker)
    button = page.locator("form.filter-form button[type=submit]")
    styles = button.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]"
    )
    assert styles[0] != styles[1]
    assert styles[0] not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)")  # not the browser's default
    bars = page.locator("main progress")
    assert bars.count() > 0
    for i in range(bars.count()):
        value = int(bars.nth(i).get_attribute("value"))
        if 10 <= value <= 90:
            bar = bars.nth(i)
            break
    else:
        pytest.fail("no progress bar between 10 and 90 % on the tracker to measure")
    picture = Image.open(BytesIO(bar.screenshot())).convert("RGB")
    width, height = picture.size
    filled = picture.getpixel((round(width * value / 100 / 2), height // 2))
    empty = picture.getpixel((round(width * (1 + value / 100) / 2), height // 2))
    assert _contrast(filled, empty) >= 3, (filled, empty)
    edge = min((picture.getpixel((x, height // 2)) for x in range(width - 3, width)), key=sum)
    assert _contrast(edge, (255, 255, 255)) >= 3, edge  # the empty end's edge, on the white page

    # The filter form sends every field; the empty ones leave the address (no script needed).
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(tracker)
    with no_js.expect_navigation():
        no_js.locator("form.filter-form button[type=submit]").click()
    assert no_js.url == tracker
    context.close()

    response = page.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200
    page.wait_for_selector("#swagger-ui .opblock")  # Swagger UI has drawn the operations
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("main").count() == 1
    (heading,) = page.get_by_role("heading", level=1).all()  # Swagger UI's own is hidden
    assert heading.inner_text() == "Beslutsspår open data API"
    assert heading.evaluate("h => h.closest('main') !== null")
    assert_accessible(page, "the API docs")
