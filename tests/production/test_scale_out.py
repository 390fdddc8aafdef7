"""Scale-out switches read from the environment, off by default: with nothing set, a first run
keeps files on disk, sessions in the database and one database."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json; django.setup();"
    "from django.conf import settings; from django.core.files.storage import storages; default_storage = storages['default'];"
    "print(json.dumps({'storage': type(default_storage).__name__,"
    " 'bucket': getattr(default_storage, 'bucket_name', None),"
    " 'endpoint': getattr(default_storage, 'endpoint_url', None),"
    " 'sessions': settings.SESSION_ENGINE, 'databases': sorted(settings.DATABASES),"
    " 'routers': settings.DATABASE_ROUTERS}))"
)


def configured(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DATABASE_REPLICA_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cms.settings.base", "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_need_nothing_installed():
    assert configured() == {
        "storage": "FileSystemStorage",
        "bucket": None,
        "endpoint": None,
        "sessions": "django.contrib.sessions.backends.db",
        "databases": ["default"],
        "routers": [],
    }


def test_bucket_shared_cache_and_replica_are_switched_on_by_environment():
    shown = configured(
        AWS_STORAGE_BUCKET_NAME="beslut-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.se",
        CACHE_URL="redis://127.0.0.1:6379/1",
        DATABASE_REPLICA_URL="postgres://reader@replica.example.se:5432/beslutsspar",
    )
    assert shown == {
        "storage": "S3Storage",
        "bucket": "beslut-media",
        "endpoint": "https://s3.example.se",
        "sessions": "django.contrib.sessions.backends.cached_db",
        "databases": ["default", "replica"],
        "routers": ["cms.replica.ReplicaRouter"],
    }
