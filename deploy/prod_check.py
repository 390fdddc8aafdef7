"""`make prod-check`: the production stack on this machine, checked from outside through nginx.

Starts what deploy/ describes, from the same files: the Procfile's web (gunicorn), worker and
beat under honcho, and Debian's nginx with deploy/nginx/beslutsspar-locations.conf in a server
block of its own on a high port (no root paths, no port below 1024). PostgreSQL and Redis are the
ones running on this machine; the check uses a database and two Redis databases of its own and
empties them first. It loads the demo, then checks, each through nginx:

- /health/ and /health/ready/ (database, cache, broker, beat, migrations);
- public pages, a feed and the API answer 200 with a request id;
- a hashed static file has far-future caching headers, and an upload's file is not served raw;
- the admin login works;
- a follow-up published in the admin reaches a subscriber's inbox through the real worker
  (mail goes to a directory the check reads: Django's file backend).

Environment: PGURL (default postgres://postgres@127.0.0.1:5432), REDIS (redis://127.0.0.1:6379),
PORT (nginx, default 8780); REUSE=1 keeps the previous run's database and demo. Exits non-zero on the first failure, with the processes' output.
"""

import html.parser
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nginx_site  # beside this file

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PGURL = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("REDIS", "redis://127.0.0.1:6379")
PORT = int(os.environ.get("PORT", "8780"))
DATABASE = "beslutsspar_prodcheck"
SUBSCRIBER = "prod-check@example.org"
REUSE = os.environ.get("REUSE") == "1"
ADMIN_PASSWORD = """
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(username="admin")
user.set_password("{password}")
user.save()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def step(message: str) -> None:
    print(f"prod-check: {message}", flush=True)


class Failed(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise Failed(message)
    step(f"ok  {message}")


def environment(work: Path, web_port: int) -> dict:
    base = f"http://127.0.0.1:{PORT}"
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
        "CSRF_TRUSTED_ORIGINS": base,
        "WAGTAILADMIN_BASE_URL": base,
        "DATABASE_URL": f"{PGURL}/{DATABASE}",
        "CELERY_BROKER_URL": f"{REDIS}/8",
        "CACHE_URL": f"{REDIS}/9",
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "SECURE_COOKIES": "0",  # plain http on loopback; production has TLS in nginx
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(work / "mail"),
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "LOG_FORMAT": "json",
        "WEB_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "2",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise Failed(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def reset_services(env: dict, database: bool = True) -> None:
    import psycopg
    import redis

    if database:
        with psycopg.connect(f"{PGURL}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {DATABASE}")
    for db in (8, 9):
        redis.Redis.from_url(f"{REDIS}/{db}").flushdb()


def nginx_config(work: Path, web_port: int) -> Path:
    """deploy/nginx's locations in a server of this check's own; paths and port replaced."""
    if not nginx_site.nginx_binary():
        if os.geteuid() != 0:
            raise Failed("nginx is missing: apt-get install -y nginx")
        subprocess.run(["apt-get", "install", "-y", "nginx"], check=True)
    check(
        nginx_site.INSTALL_PATH in nginx_site.locations(ROOT),
        "the nginx locations name the install path",
    )
    return nginx_site.write_config(root=ROOT, work=work, web_port=web_port, listen_port=PORT)


class Forms(html.parser.HTMLParser):
    """Every form field of a page with the value it would submit as it stands."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append(
                (name, a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select, self._first = name, None
            self._chosen = False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first is None:
                self._first = value
            if "selected" in a and not self._chosen:
                self.fields.append((self._select, value))
                self._chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._chosen and self._first is not None:
                self.fields.append((self._select, self._first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, html.unescape(self._text)))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, data: dict | list | None = None, host: str | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if host:
            request.add_header("Host", host)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:  # not listening (yet)
            return 0, {}, str(error)

    def form(self, path: str) -> list[tuple[str, str]]:
        status, _headers, page = self.get(path)
        if status != 200:
            raise Failed(f"{path} answered {status}")
        parser = Forms()
        parser.feed(page)
        return parser.fields


def wait_until(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise Failed(message)


def prepare_followup(env: dict) -> tuple[int, str]:
    """A subscriber following a published commitment, and a draft follow-up on it for the
    admin to publish. Returns the draft's id and the commitment's title."""
    code = f"""
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from plans import services
from plans.models import Commitment
from subscriptions.models import Frequency, Subscriber, Subscription
commitment = Commitment.objects.published().order_by("pk").first()
subscriber, _ = Subscriber.objects.get_or_create(email="{SUBSCRIBER}")
Subscription.objects.get_or_create(subscriber=subscriber,
    content_type=ContentType.objects.get_for_model(commitment), object_id=commitment.pk,
    defaults={{"frequency": Frequency.IMMEDIATE, "confirmed_at": timezone.now()}})
draft = services.followup_create(commitment=commitment, period_kind="annual",
    period_end=timezone.localdate(), verified_on=timezone.localdate(), status="in_progress", progress=55,
    reason="Kontroll av driftmiljön.")
print(draft.pk, commitment.title, sep="\\t")
"""
    pk, title = manage(env, "shell", "-c", code).strip().splitlines()[-1].split("\t")
    return int(pk), title


def inbox(mail_dir: Path) -> list[str]:
    if not mail_dir.exists():
        return []
    return [path.read_text(errors="replace") for path in sorted(mail_dir.iterdir())]


def run_checks(env: dict, work: Path, admin_password: str) -> None:
    site = Browser(f"http://127.0.0.1:{PORT}")
    wait_until(lambda: site.get("/health/")[0] == 200, 60, "/health/ never answered")
    check(True, "/health/ answers 200 through nginx")
    status, _h, body = wait_until(
        lambda: (r := site.get("/health/ready/"))[0] == 200 and r, 90, "/health/ready/ not ready"
    )
    check('"broker": "ok"' in body and '"beatheartbeat": "ok"' in body, f"/health/ready/ {body}")

    status, headers, home = site.get("/")
    check(status == 200, "the home page answers 200")
    check(len(headers.get("X-Request-ID", "")) == 32, "nginx's request id comes back")
    for path in ("/sok/?q=motion", "/api/v1/motions", "/sitemap.xml"):
        status, _h, _b = site.get(path)
        check(status == 200, f"{path} answers 200")
    # The pages the home page links to, and a few from each municipality's sitemap.
    links = {html.unescape(link) for link in re.findall(r'href="(/[^"/][^"]*)"', home)}
    links = sorted(link for link in links if not link.startswith(("/static/", "/admin")))
    check(links, f"the home page links {len(links)} pages")
    for path in links[:15]:
        status, _h, _b = site.get(path)
        check(status == 200, f"{path} answers 200")
    feed = re.search(r'href="([^"]+)"[^>]*type="application/atom\+xml"', home) or re.search(
        r'type="application/atom\+xml"[^>]*href="([^"]+)"', home
    )
    if feed:
        check(site.get(html.unescape(feed.group(1)))[0] == 200, "the Atom feed answers 200")

    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)
    check(css, "the home page links a hashed stylesheet")
    status, headers, _b = site.get(css.group(1))
    check(status == 200, f"{css.group(1)} is served")
    cache_control = headers.get("Cache-Control", "")
    check(
        "max-age=31536000" in cache_control and "immutable" in cache_control,
        f"static files are cached for a year ({cache_control})",
    )
    check(headers.get("Server", "").startswith("nginx"), "static files come from nginx itself")
    check(site.get("/media/documents/anything.pdf")[0] == 404, "documents are never served raw")

    admin = Browser(site.base)
    fields = dict(admin.form("/admin/login/"))
    status, _h, page = admin.get(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "username": "admin",
            "password": admin_password,
            "next": "/admin/",
        },
    )
    check(status == 200 and "/admin/logout/" in page, "the admin login works")

    draft, commitment = prepare_followup(env)
    path = f"/admin/snippets/plans/followup/edit/{draft}/"
    fields = [(k, v) for k, v in admin.form(path) if not k.startswith("action-")]
    status, _h, page = admin.get(path, [*fields, ("action-publish", "action-publish")])
    check(status == 200, f"the follow-up's publish in the admin was accepted ({status})")

    def delivered():
        return [m for m in inbox(work / "mail") if SUBSCRIBER in m]

    mails = wait_until(delivered, 90, f"no e-mail to {SUBSCRIBER} within 90 s")
    check(len(mails) == 1, f"the subscriber got exactly one e-mail about '{commitment}'")
    time.sleep(5)
    check(len(delivered()) == 1, "and no second one")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="beslutsspar-prodcheck-"))
    os.chmod(work, 0o755)  # nginx's workers (nobody) read media from here
    web_port = free_port()
    env = environment(work, web_port)
    processes: list[subprocess.Popen] = []
    logs = work / "processes.log"
    try:
        step(f"database {DATABASE}, Redis 8 and 9, nginx on 127.0.0.1:{PORT}; files in {work}")
        if REUSE:  # the database of the previous run, with its demo (a quicker second run)
            reset_services(env, database=False)
            password = secrets.token_urlsafe(16)
            manage(env, "shell", "-c", ADMIN_PASSWORD.format(password=password))
        else:
            reset_services(env)
            step("migrate, collectstatic, load_demo")
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
            out = manage(env, "load_demo", "--admin")
            password = re.search(r"user: admin\s+password: (\S+)", out).group(1)
        step("starting the Procfile's processes and nginx")
        conf = nginx_config(work, web_port)
        with logs.open("w") as log:
            processes.append(
                subprocess.Popen(
                    [str(BIN / "honcho"), "start", "-f", "deploy/Procfile", "-d", str(ROOT)],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            processes.append(
                subprocess.Popen(
                    nginx_site.command(conf, work),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            run_checks(env, work, password)
        step("passed")
        return 0
    except Failed as failure:
        step(f"FAILED: {failure}")
        print(logs.read_text()[-6000:] if logs.exists() else "", file=sys.stderr)
        return 1
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
