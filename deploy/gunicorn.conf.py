"""gunicorn for Beslutsspår, behind nginx (deploy/nginx). Values from the environment."""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
# Sync workers: each page is a few short queries. Two per core is a good start; raise it
# before adding hosts (README, "Running in production").
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request that takes this long is stuck: the worker is replaced (exports stream, in batches).
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Recycled now and then so a slow leak never grows (jitter: not all at once).
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host is the only client; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
errorlog = "-"
