"""The Celery app. Tasks run in-process when no broker is configured."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.base")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from cms import observability  # noqa: E402, F401 (carries request ids into the tasks)


@worker_init.connect
@beat_init.connect
def _require_secret_key(**kwargs):
    """Celery logs and ignores exceptions raised by signal handlers: exit instead."""
    from django.core.exceptions import ImproperlyConfigured

    from cms.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None
