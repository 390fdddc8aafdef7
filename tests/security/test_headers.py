"""The headers every response carries, the admin's own policy, and the production check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import MotionFactory
from tests.records import snippet_url

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_public_pages_allow_no_inline_script_or_style_and_no_framing(client, public_site):
    response = client.get(public_site.motions_url)

    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_but_no_outside_scripts(client, superuser):
    response = client.get(reverse("wagtailadmin_home"))

    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's inline panels need it
    assert [s for s in policy["script-src"] if s not in ("'self'", "'unsafe-inline'")] == []
    assert policy["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_preview_keeps_the_strict_policy_and_only_the_admin_may_frame_it(
    client, superuser, public_site
):
    """The preview renders the unsaved draft in an admin's session: no inline script runs."""
    motion = MotionFactory(body=public_site.body, title="Förhandsvisning")
    url = snippet_url(motion, "preview_on_edit", motion.pk)

    response = client.get(url)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def production_env(**extra) -> dict[str, str]:
    """The environment `.env.example` documents for production, with a real secret, and
    nothing else of this test run's."""
    env = {"PATH": os.environ["PATH"]}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(extra)
    return env


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_check_deploy():
    result = check_deploy(production_env())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https_switched_on():
    """The switches are real: leave HSTS and the redirect off and the check says so."""
    result = check_deploy(production_env(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0"))

    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr
