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
    call_command("load_demo", verbosity=0)  # one load for both checks: it is the slow part

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
    call_command("load_demo", verbosity=0)
    page.goto(live_server.url + "/boras/motioner/")
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
