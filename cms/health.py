"""Health endpoints for load balancers and monitoring (django-health-check's checks).

`/health/` answers as long as the process serves requests: a load balancer restarts or skips a
process that stops answering it. It touches nothing else, so an outage of PostgreSQL or Redis
does not make every web process look dead at once.

`/health/ready/` asks everything the site needs: the database, the cache, the broker, that beat
has sent its every-minute sweep lately, and that no migration is waiting. JSON, 200 when all
pass and 503 naming the failing checks otherwise. Without a broker (tasks in-process, `make
demo`) there is no broker or beat to ask, and those two checks say so.
"""

import asyncio
import dataclasses
import datetime
import typing

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from cms import celery_app


@never_cache
def alive(request):
    return JsonResponse({"status": "ok"})


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker accepts a connection within the web's publish timeout."""

    timeout = datetime.timedelta(seconds=settings.CELERY_BROKER_CONNECTION_TIMEOUT)

    def run(self):
        if not settings.CELERY_BROKER_URL:
            return  # tasks run in-process
        try:
            with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
                connection.ensure_connection(
                    max_retries=1, interval_start=0, timeout=self.timeout.total_seconds()
                )
        except Exception as error:
            raise ServiceUnavailable(f"broker unreachable ({type(error).__name__})") from error


@dataclasses.dataclass
class BeatHeartbeat(HealthCheck):
    """Beat sent a scheduled task lately. It sends the outbox sweep every minute and writes
    each send's time to its table at once (`CELERY_BEAT_SYNC_EVERY = 1`)."""

    def run(self):
        if not settings.CELERY_BROKER_URL:
            return
        from django_celery_beat.models import PeriodicTask

        last = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
        age = (timezone.now() - last).total_seconds() if last else None
        if age is None or age > settings.BEAT_HEARTBEAT_MAX_AGE:
            raise ServiceUnavailable(
                "beat has sent nothing yet" if age is None else f"beat silent for {age:.0f} s"
            )


@dataclasses.dataclass
class Migrations(HealthCheck):
    """No migration of this code waits to be applied. Once none does, the process stops asking
    (loading the migration graph is the slowest part of the check)."""

    all_applied: typing.ClassVar[bool] = False

    def run(self):
        if Migrations.all_applied:
            return
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connection.close()  # the check runs in a thread of its own
        if pending:
            raise ServiceUnavailable(f"{len(pending)} migrations not applied")
        Migrations.all_applied = True


class ReadyView(HealthCheckView):
    checks = (Database, Cache, Broker, BeatHeartbeat, Migrations)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        checks = {
            type(result.check).__name__.lower(): str(result.error) if result.error else "ok"
            for result in self.results
        }
        failing = any(result.error for result in self.results)
        return JsonResponse(
            {"status": "unavailable" if failing else "ok", "checks": checks},
            status=503 if failing else 200,
        )


ready = ReadyView.as_view()
