"""Playwright fixtures for every app's browser tests (loaded by tests/conftest.py as a plugin).

Debian's chromium, never a downloaded browser. Locally the tests skip when chromium is missing;
in CI (CI=true) a missing browser is an error, so the accessibility checks cannot silently vanish."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    if _in_ci():
        pytest.fail(
            f"CI=true but {CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)."
        )
    pytest.skip(
        f"{CHROMIUM} not installed (apt-get install chromium); browser tests skipped locally"
    )


_playwright = {}


def _driver():
    """One Playwright driver per process, however many modules define or import the fixtures:
    a second sync_playwright() in the same thread would fail while the first one runs."""
    if "driver" not in _playwright:
        from playwright.sync_api import sync_playwright

        _playwright["driver"] = sync_playwright().start()
    return _playwright["driver"]


def pytest_sessionfinish(session, exitstatus):
    if "driver" in _playwright:
        _playwright.pop("driver").stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls
    # from it. Only for the browser tests, which pytest-django runs last (they are transactional).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # launch() gives every run a fresh temporary profile of its own.
    browser = _driver().chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; whatever the test does on it, the Content-Security-Policy blocked nothing."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(30_000)
    blocked = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )
    yield page
    context.close()
    assert blocked == [], "The Content-Security-Policy blocked something the page needs"
