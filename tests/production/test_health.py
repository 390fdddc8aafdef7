"""The health endpoints: liveness never asks a dependency, readiness asks each and says which
failed, with a status a load balancer acts on."""

from datetime import timedelta

import pytest
import redis
from django.core.cache import cache
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from cms import health


def test_liveness_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def all_applied():
    health.Migrations.all_applied = False
    yield
    health.Migrations.all_applied = False


def test_ready_without_a_broker_checks_database_cache_and_migrations(
    client, db, settings, all_applied
):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/health/ready/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "beatheartbeat", "migrations"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_ready_fails_with_503_on_an_unreachable_broker_and_a_silent_beat(
    client, db, settings, all_applied
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/ready/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("Unavailable")
    assert checks["beatheartbeat"] == "Unavailable: beat has sent nothing yet"
    assert checks["database"] == checks["cache"] == checks["migrations"] == "ok"


def test_beat_heartbeat_is_the_last_send(db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    task = PeriodicTask.objects.create(name="sweep", task="x", interval=every_minute)
    task.last_run_at = timezone.now() - timedelta(seconds=settings.BEAT_HEARTBEAT_MAX_AGE + 5)
    task.save()
    with pytest.raises(health.ServiceUnavailable, match="silent"):
        health.BeatHeartbeat().run()
    PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=timezone.now())
    health.BeatHeartbeat().run()


def test_pending_migrations_fail_readiness(client, db, monkeypatch, all_applied):
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("app", False)]
    )
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "Unavailable: 1 migrations not applied"


def test_a_broken_cache_fails_readiness(client, db, monkeypatch, all_applied):
    monkeypatch.setattr(cache, "aget", _returns(None))
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("Unavailable")


def _returns(value):
    async def fake(*args, **kwargs):
        return value

    return fake


def test_a_reachable_broker_passes(settings):
    from tests.subscriptions.broker import BROKER

    settings.CELERY_BROKER_URL = BROKER
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {BROKER}")
    health.Broker().run()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(health.ServiceUnavailable, match="broker unreachable"):
        health.Broker().run()
