"""Structured logs: the request id travels from the proxy's header through the web process and
into the tasks it queues; LOG_FORMAT=json writes one JSON object a line; SENTRY_DSN turns on
error reporting."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from celery.signals import before_task_publish, task_prerun
from django.http import HttpResponse
from django.test import RequestFactory

from cms import observability

ROOT = Path(__file__).resolve().parents[2]


def test_a_request_answers_with_the_proxys_id_or_a_new_one(client, db):
    given = client.get("/health/", HTTP_X_REQUEST_ID="abc123def456")
    assert given["X-Request-ID"] == "abc123def456"
    made = client.get("/health/", HTTP_X_REQUEST_ID="<script>")
    assert len(made["X-Request-ID"]) == 32


def test_log_lines_during_a_request_carry_its_id(caplog):
    logger = logging.getLogger("cms.test")

    def view(request):
        logger.warning("inside")
        return HttpResponse("ok")

    caplog.handler.addFilter(observability.RequestIdFilter())
    middleware = observability.RequestIdMiddleware(view)
    middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-0000001"))
    (record,) = [r for r in caplog.records if r.getMessage() == "inside"]
    assert record.request_id == "req-0000001"
    observability._forget_request()  # on request_finished, once the response is sent
    assert observability.request_id.get() == "-"  # nothing leaks into the next request


def test_a_queued_task_carries_the_request_id_into_the_worker():
    headers = {}
    token = observability.request_id.set("req-0000002")
    try:
        before_task_publish.send(sender="t", headers=headers, body=None)
    finally:
        observability.request_id.reset(token)
    assert headers["request_id"] == "req-0000002"

    class Task:
        class request:
            request_id = headers["request_id"]

    task_prerun.send(sender=Task, task=Task)
    assert observability.request_id.get() == "req-0000002"


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.base",
            "SECRET_KEY": "x" * 50,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_log_format_json_writes_one_object_a_line():
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('cms.x').warning('hello %s', 'world')"
    )
    line = _run(code, LOG_FORMAT="json").stderr.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["message"] == "hello world"
    assert record["level"] == "WARNING"
    assert record["logger"] == "cms.x"
    assert record["request_id"] == "-"
    text = _run(code).stderr.strip().splitlines()[-1]
    assert text.endswith("WARNING cms.x [-] hello world")


def test_sentry_reports_only_when_a_dsn_is_set():
    code = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"
    assert _run(code).stdout.strip() == "False"
    dsn = "http://public@127.0.0.1:1/1"
    assert _run(code, SENTRY_DSN=dsn).stdout.strip() == "True"
