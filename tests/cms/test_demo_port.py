"""`make demo PORT=…`: the printed addresses and the links in e-mails use the port it serves on."""

import os
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from motions.models import Motion
from subscriptions import services as subscriptions
from subscriptions.models import Frequency

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_serves_migrates_and_loads_with_the_same_address():
    env = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    planned = subprocess.run(
        ["make", "-n", "demo", "PORT=8123", "HOST=127.0.0.2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in planned.splitlines() if "manage.py" in line]
    assert [c.split("manage.py ")[1].split()[0] for c in commands] == [
        "migrate",
        "load_demo",
        "runserver",
    ]
    assert all("WAGTAILADMIN_BASE_URL=http://127.0.0.2:8123 " in c for c in commands)
    assert commands[-1].endswith("runserver 127.0.0.2:8123")


@pytest.mark.django_db
@override_settings(
    WAGTAILADMIN_BASE_URL="http://127.0.0.1:8123",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
def test_the_demo_prints_and_mails_addresses_on_its_port():
    out = StringIO()
    call_command("load_demo", "--admin", "--seeds-only", stdout=out, stderr=StringIO())
    printed = out.getvalue()

    assert "Admin: http://127.0.0.1:8123/admin/ " in printed
    assert "http://boras.localhost:8123/" in printed
    assert ":8000" not in printed
    # --seeds-only: the seed stories without the illustrative Borås record around them.
    assert Motion.objects.filter(case_number="KS 2023-01234").exists()
    assert Motion.objects.filter(body__slug="boras").count() < 10  # not the 40 around it

    motion = Motion.objects.published().filter(body__slug="boras").first()
    request = subscriptions.follow_request(
        email="invanare@example.org", target=motion, frequency=Frequency.IMMEDIATE
    )
    assert subscriptions.mail_request_deliver(request_id=request.pk)
    (message,) = mail.outbox
    links = re.findall(r"https?://[^\s>]+", message.body)
    assert links
    assert all(link.startswith("http://boras.localhost:8123/") for link in links), links
