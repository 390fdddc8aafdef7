"""axe-core (WCAG 2.1 A and AA) on every page type of the follow-up tracker, with the demo data."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PAGES = [
    # Each municipality on the portal's path fallback (its own site: <slug>.localhost).
    ("tracker summary and list", "/boras/uppfoljning/"),
    ("filtered list", "/boras/uppfoljning/?status=in_progress&flag=stale"),
    ("commitment with indicator chart", "/boras/uppfoljning/inga-sarskilt-utsatta-omraden-2030/"),
    ("target year", "/boras/uppfoljning/malar/2030/"),
    ("action plan", "/boras/uppfoljning/handlingsplaner/inga-sarskilt-utsatta-omraden-2030/"),
    ("party record", "/boras/uppfoljning/parti/m/"),
    ("commitment past its target year", "/kungalv/uppfoljning/halverad-utsatthet-2020/"),
]


def test_tracker_pages_have_no_wcag_violations(live_server, page):
    call_command("load_demo", "--seeds-only", verbosity=0)
    for label, path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, label
        assert page.locator("main h1").count() == 1, label
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{label} ({path}):\n{results.generate_report()}"
    assert page.locator("main .badge--flag").count() >= 1  # Kungälv: past 2020, not finished
