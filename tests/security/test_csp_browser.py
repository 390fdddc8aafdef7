"""The Content-Security-Policy in a real browser: strict public pages still work, the admin's
scripts still run, and a script smuggled into a draft does not run in its preview."""

import re

import pytest
from django.core.management import call_command

from motions.models import Motion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_admin_works_under_its_policy(live_server, page, django_user_model):
    """Signing in goes through the login throttle; the motion form's inline panels are
    Wagtail's inline scripts, which must run (the `page` fixture fails on any CSP report)."""
    call_command("load_demo", "--seeds-only", verbosity=0)
    django_user_model.objects.create_superuser("sekreterare", password="rätt-lösenord-2026")
    motion = Motion.objects.filter(live=True).first()

    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("sekreterare")
    page.locator("#id_password").fill("rätt-lösenord-2026")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server.url + "/admin/")

    edit = page.goto(f"{live_server.url}/admin/snippets/motions/motion/edit/{motion.pk}/")
    assert "'unsafe-inline'" in edit.headers["content-security-policy"]  # the admin's policy
    total = page.locator("#id_submitters-TOTAL_FORMS")
    before = int(total.input_value())
    page.get_by_role("button", name="Lägg till förslagsställare").click()
    assert int(total.input_value()) == before + 1


def test_the_api_docs_work_under_the_strict_policy(live_server, page):
    """Swagger UI is served from our own static files, with no inline script."""
    docs = page.goto(live_server.url + "/api/v1/docs")
    assert re.search(r"script-src 'self'(;|$)", docs.headers["content-security-policy"])
    page.locator(".opblock").first.wait_for()  # rendered by Swagger UI's script
    assert page.locator(".opblock").count() > 10  # one per operation
