"""Request ids in every log line, from the web request through the tasks it queues.

A request takes the id the proxy sent (`X-Request-ID`, nginx's `$request_id`) or makes one,
answers with it, and every log record written while it runs carries it. A task queued during
the request carries it in its headers, so the worker's lines for that e-mail share the id of
the publish that caused it; a task beat started gets an id of its own.

A context variable and a logging filter, rather than django-structlog: the project logs with
the standard library, and this is all it needs from structured logging (the JSON itself is
python-json-logger's, `LOG_FORMAT=json`).
"""

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# An id from outside is copied into logs and headers: only plain tokens of sensible length.
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a dash outside a request or task)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id.set(given if ACCEPTED.fullmatch(given) else new_id())
        response = self.get_response(request)
        response[HEADER] = request_id.get()
        return response


@receiver(request_finished)
def _forget_request(**kwargs):
    """Once the response is sent: Django logs a failed request after the middleware returned."""
    request_id.set("-")


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    if headers is not None and request_id.get() != "-":
        headers.setdefault(TASK_HEADER, request_id.get())


@task_prerun.connect
def _take_request_id(task=None, **kwargs):
    given = getattr(task.request, TASK_HEADER, None) if task else None
    request_id.set(given or new_id())


@task_postrun.connect
def _forget_request_id(**kwargs):
    request_id.set("-")


def init_sentry(dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Errors of the web, worker and beat processes to Sentry (or a compatible service such as
    GlitchTip). No personal data: addresses, cookies and bodies of requests stay out."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
    )
