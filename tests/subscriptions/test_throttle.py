"""The rate limit behind the follow and lost-link forms: one count in the database for every
web process, that slides across the turn of a window and holds under concurrent requests."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from subscriptions import tasks, throttle
from subscriptions.models import RateLimit

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def allow(value: str = "anna@example.org") -> bool:
    return throttle.allow("email", value, limit=5, window=3600)


@pytest.mark.django_db
def test_a_burst_across_the_turn_of_the_hour_gets_no_second_allowance():
    with time_machine.travel(datetime(2025, 3, 3, 10, 59, 50, tzinfo=STOCKHOLM), tick=False):
        assert [allow() for _ in range(6)] == [True] * 5 + [False]
    with time_machine.travel(datetime(2025, 3, 3, 11, 0, 10, tzinfo=STOCKHOLM), tick=False):
        assert allow() is False  # a fixed window would allow five more here
    with time_machine.travel(datetime(2025, 3, 3, 11, 59, 40, tzinfo=STOCKHOLM), tick=False):
        assert allow() is True  # the burst is an hour old
        assert allow("bo@example.org") is True  # and other addresses were never limited


@pytest.mark.django_db
def test_the_previous_hour_weighs_in_proportion_to_what_is_left_of_it():
    """Five at 10:30; at 11:30 half of the previous hour is still within the last hour, so
    2.5 of its requests count and two more fit under the limit of five."""
    with time_machine.travel(datetime(2025, 3, 3, 10, 30, tzinfo=STOCKHOLM), tick=False):
        assert [allow() for _ in range(5)] == [True] * 5
    with time_machine.travel(datetime(2025, 3, 3, 11, 30, tzinfo=STOCKHOLM), tick=False):
        assert [allow() for _ in range(3)] == [True, True, False]


@pytest.mark.django_db
def test_the_table_holds_no_address_in_the_clear():
    allow("anna@example.org")
    assert "anna" not in RateLimit.objects.get().key


@pytest.mark.django_db
def test_counts_that_no_longer_count_are_purged_by_the_daily_job():
    with time_machine.travel(datetime(2025, 3, 3, 9, 30, tzinfo=STOCKHOLM), tick=False):
        allow("anna@example.org")
    with time_machine.travel(datetime(2025, 3, 3, 10, 30, tzinfo=STOCKHOLM), tick=False):
        allow("bo@example.org")
        tasks.purge_unconfirmed.apply()
        assert RateLimit.objects.count() == 2  # the 9 o'clock count still weighs on 10 o'clock
    with time_machine.travel(datetime(2025, 3, 3, 11, 30, tzinfo=STOCKHOLM), tick=False):
        tasks.purge_unconfirmed.apply()
        assert RateLimit.objects.count() == 1
        assert allow("anna@example.org") is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite runs one writer at a time; run with DATABASE_URL=postgres://... (CI does).",
)
def test_concurrent_requests_on_separate_connections_never_pass_the_limit_together():
    """Eight visitors at once, each with its own database connection as in separate web
    processes, three requests each: exactly five get through."""
    visitors = 8
    start = threading.Barrier(visitors)
    answers: list[list[bool]] = [[] for _ in range(visitors)]

    def visit(mine: list[bool]) -> None:
        try:
            start.wait()
            mine.extend(allow() for _ in range(3))
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(mine,)) for mine in answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sum(answer for mine in answers for answer in mine) == 5
    assert sum(len(mine) for mine in answers) == visitors * 3
    assert RateLimit.objects.get().count == 5
