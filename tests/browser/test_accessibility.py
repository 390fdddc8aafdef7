"""axe-core (WCAG 2.1 A and AA rules) on the demo's public pages, in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
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
    call_command("load_demo", verbosity=0)  # one load for both checks: it is the slow part

    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    assert_accessible(page, "home page")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Motioner").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Motioner"
    assert_accessible(page, "motion list")

    page.get_by_role("link", name=BORAS_TITLE).first.click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == BORAS_TITLE
    assert page.get_by_role("heading", name="Att-satser och utfall").count() == 1
    assert_accessible(page, "the Borås motion")

    # The filter form is a plain GET form: it must work with JavaScript off.
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(live_server.url + "/motioner/")
    no_js.locator("summary", has_text="Filtrera motioner").click()  # <details> opens without script
    no_js.get_by_label("År").fill("2023")
    no_js.get_by_role("button", name="Visa motioner").click()
    no_js.wait_for_load_state()
    assert "year=2023" in no_js.url
    assert no_js.get_by_role("link", name=BORAS_TITLE).count() == 1
    context.close()
