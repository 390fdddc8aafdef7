"""`make bench`: 100,000 published motions, then what the public pages cost.

1. Generates the bench municipality's motions directly with bulk_create (not through the
   services: no revisions, no search index) unless they are already there.
2. Measures in-process with Django's test client: SQL queries and server time per page.
3. Serves the site with gunicorn (2 sync workers, DEBUG off) and loads it with wrk (or a
   small Python load generator) to compare each page's req/s with a bare view's.
Results are printed and written to bench-results/latest.json.
"""

import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.request
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from cms.bench import imports as bench_imports
from cms.bench import motions as benchdata
from cms.bench import plans as plans_benchdata
from cms.bench import reminders as bench_reminders
from motions.models import Motion, MotionStatus

WRK = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
FILTER = "?status=decided&year=2023"
SEARCH_WORDS = ["cykelbanor", "simhall", "lekplatser", "Norrby"]
AIMS = {
    "list": 25,
    "filtered": 25,
    "detail": 15,
    "tracker": 25,
    "commitment": 15,
}  # pages must reach 1/N of the bare view (issue 2)
CACHED_DETAILS = 50
# wrk request generator: cycles through the given paths (each wrk thread has its own counter).
LUA = """local paths = {PATHS}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""

# The decision-night mix (issue 14): every request picks the next path; wrk's done() prints the
# figures as one JSON line, p95 included (its --latency table has no 95th percentile).
LUA_MIX = (
    LUA
    + """
done = function(summary, latency, requests)
  io.write(string.format(
    '\\nMIX {"requests": %d, "seconds": %.3f, "non_2xx": %d, "timeouts": %d, "connect_errors": %d, '
    .. '"read_errors": %d, "write_errors": %d, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f}\\n',
    summary.requests, summary.duration / 1e6, summary.errors.status, summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""
)


class Command(BaseCommand):
    help = "Generate bench motions (idempotent) and measure the public pages in-process and under load."

    def add_arguments(self, parser):
        parser.add_argument(
            "--motions", type=int, default=100_000, help="motions in the bench municipality"
        )
        parser.add_argument(
            "--requests", type=int, default=200, help="in-process requests per page (min 200)"
        )
        parser.add_argument(
            "--commitments",
            type=int,
            default=20_000,
            help="commitments (5 follow-ups each) in the bench municipality",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=None,
            help="rows of the register import measured (default: --motions, at most 10,000)",
        )
        parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load runs")
        parser.add_argument(
            "--mix-seconds", type=int, default=60, help="seconds of the mixed production-stack load"
        )
        parser.add_argument("--mix-clients", type=int, default=32)
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "bench-results" / "latest.json")
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        body = self.generate(options["motions"])
        index = ensure_index_page(body)
        paths = self.pick_paths(index, body)
        tracker = self.generate_plans(body, options["commitments"])
        paths.update(self.pick_plan_paths(tracker, body))

        results = {
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "motions": Motion.objects.filter(body=body).count(),
            "decided_motions": Motion.objects.filter(
                body=body, status=MotionStatus.DECIDED
            ).count(),
            "data_note": "bench data is written directly with bulk_create, not through services (no revisions)",
            "in_process": {},
            "load": {},
        }
        cached_paths = {
            "bare": paths["bare"],
            "list": paths["list"],
            "filtered": paths["filtered"],
            "detail": paths["detail"][:CACHED_DETAILS],
            "tracker": paths["tracker"],
            "commitment": paths["commitment"][:CACHED_DETAILS],
        }
        for mode, mode_paths, seconds in (("uncached", paths, 0), ("cached", cached_paths, 300)):
            self.stdout.write(f"Measuring {mode} pages (PAGE_CACHE_SECONDS={seconds})")
            results["in_process"][mode] = self.measure_in_process(
                mode_paths, max(200, options["requests"]), seconds
            )
            if not options["no_load"]:
                results["load"][mode] = self.measure_load(mode_paths, options, seconds)
        self.stdout.write("Measuring search, the API and a full CSV export (issue 5)")
        results["open_data"] = self.measure_open_data(body, max(200, options["requests"]))
        if not options["no_load"] and WRK:
            results["production_mix"] = self.measure_production_mix(paths, body, options)
        self.stdout.write("Measuring the daily reminder job (in a rolled-back transaction)")
        results["reminders"] = bench_reminders.measure(
            body=body, commitments=options["commitments"]
        )
        rows = options["import_rows"] or min(options["motions"], 10_000)
        self.stdout.write(f"Measuring a register import of {rows:,} rows (rolled back)")
        results["register_import"] = bench_imports.measure(motions=rows)
        self.stdout.write(
            "  {rows_per_second} rows/s ({seconds} s), dry run {dry_run_seconds} s".format(
                **{"rows_per_second": "-", "seconds": "-", **results["register_import"]}
            )
        )
        results["seconds"] = round(time.monotonic() - started, 1)

        self.print_table(results)
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        self.stdout.write(f"Wrote {output}")

    # 1. data -----------------------------------------------------------------------------------

    def generate(self, count):
        self.stdout.write(
            f"Bench data: {count:,} published motions in '{benchdata.BODY_NAME}'. They are written directly "
            "with bulk_create, not through the services (no revisions, no search index)."
        )
        started = time.monotonic()

        def progress(done, total):
            rate = done / max(time.monotonic() - started, 0.001)
            self.stdout.write(f"  {done:,}/{total:,} motions ({rate:,.0f}/s so far)")

        body, added = benchdata.generate(count, chunk=5000, progress=progress)
        self.stdout.write(
            f"  added {added:,} motions in {time.monotonic() - started:.0f} s"
            if added
            else "  already there"
        )
        return body

    def generate_plans(self, body, count):
        """Commitments with follow-ups and indicator measurements, and the tracker page."""
        from plans.models import Commitment, FollowUp, Indicator, Measurement

        existing = Commitment.objects.filter(body=body).count()
        if existing < count:
            started = time.monotonic()
            counts = plans_benchdata.generate(
                body=body,
                commitments=count - existing,
                followups_per=5,
                indicators=max(1, count // 20),
                measurements_per=200,
            )
            benchdata.analyze(
                Commitment, FollowUp, Indicator, Measurement, Commitment.indicators.through
            )
            self.stdout.write(f"  added {counts} in {time.monotonic() - started:.0f} s")
        return ensure_tracker_page(body)

    def pick_plan_paths(self, tracker, body):
        from plans.models import Commitment

        base = tracker.get_url()
        slugs = list(
            Commitment.objects.published()
            .filter(body=body)
            .order_by("id")
            .values_list("slug", flat=True)
        )
        rng = random.Random(3)  # noqa: S311 - a repeatable sample, not a secret
        return {
            "tracker": [base],
            "tracker_filtered": [f"{base}?status=in_progress"],
            "commitment": [f"{base}{slug}/" for slug in rng.sample(slugs, min(200, len(slugs)))],
        }

    def measure_open_data(self, body, requests):
        """Search, an API page at the start and 1,000 pages deep, and a whole CSV export with its
        peak Python memory. Bench motions are put in the search index here, once."""
        from cms.api.motions import MOTION_KEYSET

        self.ensure_search_index(body)
        motions = Motion.objects.published().for_body(body).order_by(*MOTION_KEYSET.ordering)
        deep_row = motions[min(50_000, motions.count() - 1)]
        api = f"/api/v1/motions?body={body.slug}&limit=50"
        paths = {
            "search": [f"/sok/?q={quote(word)}" for word in SEARCH_WORDS],
            "api_first": [api],
            "api_deep": [f"{api}&cursor={MOTION_KEYSET.encode(deep_row)}"],
        }
        with override_settings(PAGE_CACHE_SECONDS=0):
            results = self._measure_in_process(paths, requests, warm_all=False)
            results["api_deep"]["url"] = "the API page after 50,000 rows (keyset cursor)"
            client = Client(HTTP_HOST="127.0.0.1")
            # Timed without tracemalloc (it slows allocation-heavy code three- to fourfold),
            # then once more under it for the peak memory.
            seconds, size, rows, queries = self.export_csv(client, body)
            tracemalloc.start()
            traced_seconds = self.export_csv(client, body)[0]
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        results["csv_export"] = {
            "rows": rows - 1,
            "megabytes": round(size / 1e6, 1),
            "seconds": round(seconds, 1),
            "queries": queries,
            "peak_python_memory_mb": round(peak / 1e6, 1),
            "seconds_under_tracemalloc": round(traced_seconds, 1),
        }
        self.stdout.write(f"  csv export: {results['csv_export']}")
        return results

    @staticmethod
    def export_csv(client, body):
        """(seconds, bytes, lines, queries) of one whole CSV download, read to the end."""
        begun = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/export/{body.slug}/motioner.csv")
            size = rows = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                rows += chunk.count(b"\n")
        return time.perf_counter() - begun, size, rows, len(captured)

    def ensure_search_index(self, body):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.search.backends import get_search_backend
        from wagtail.search.models import IndexEntry

        backend = get_search_backend()
        probe = Motion.objects.filter(body=body).order_by("-id").first()
        content_type = ContentType.objects.get_for_model(Motion)
        if (
            probe is None
            or IndexEntry.objects.filter(
                content_type=content_type, object_id=str(probe.pk)
            ).exists()
        ):
            return
        started = time.monotonic()
        queryset = Motion.objects.filter(body=body).order_by("id")
        last = 0
        while True:
            chunk = list(queryset.filter(id__gt=last).prefetch_related("clauses")[:5000])
            if not chunk:
                break
            backend.add_bulk(Motion, chunk)
            last = chunk[-1].id
        if connection.vendor == "postgresql":
            # As benchdata.analyze does after the bulk load: autovacuum would soon refresh the
            # planner's statistics, and without them it misjudges how many entries match.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(IndexEntry._meta.db_table)}")
        self.stdout.write(
            f"  indexed the bench motions for search in {time.monotonic() - started:.0f} s"
        )

    def pick_paths(self, index, body):
        base = index.get_url()
        if not base:
            raise CommandError("The bench index page has no URL: is there a default Site?")
        slugs = list(
            Motion.objects.published().for_body(body).order_by("id").values_list("slug", flat=True)
        )
        rng = random.Random(2)  # noqa: S311 - a repeatable sample, not a secret
        details = [f"{base}{slug}/" for slug in rng.sample(slugs, min(200, len(slugs)))]
        deep = min(1000, max(1, len(slugs) // 25))  # issue 5: page 1,000 at most 1.5x page 1
        return {
            "bare": ["/__bare__/"],
            "list": [base],
            "filtered": [base + FILTER],
            "detail": details,
            "list_deep": [f"{base}?page={deep}"],
        }

    # 2. in-process -----------------------------------------------------------------------------

    def measure_in_process(self, paths, requests, page_cache_seconds):
        with override_settings(PAGE_CACHE_SECONDS=page_cache_seconds):
            return self._measure_in_process(paths, requests, warm_all=bool(page_cache_seconds))

    def _measure_in_process(self, paths, requests, warm_all):
        client = Client(HTTP_HOST="127.0.0.1")
        results = {}
        for name, urls in paths.items():
            for url in urls if warm_all else urls[:5]:
                self.get_ok(client, url)  # warm caches and connections
            query_counts = []
            for url in urls[:5]:
                with CaptureQueriesContext(connection) as captured:
                    self.get_ok(client, url)
                query_counts.append(len(captured))
            times = []
            for n in range(requests):
                url = urls[n % len(urls)]
                begun = time.perf_counter()
                self.get_ok(client, url)
                times.append((time.perf_counter() - begun) * 1000)
            cuts = statistics.quantiles(times, n=100)
            results[name] = {
                "url": urls[0] if len(urls) == 1 else f"{len(urls)} different motions",
                "queries": max(query_counts),
                "p50_ms": round(cuts[49], 2),
                "p95_ms": round(cuts[94], 2),
                "requests": requests,
            }
            self.stdout.write(f"  in-process {name}: {results[name]}")
        return results

    @staticmethod
    def get_ok(client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}")
        return response

    # 3. load -----------------------------------------------------------------------------------

    def measure_load(self, paths, options, page_cache_seconds):
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(settings.BASE_DIR),
            "--log-level",
            "warning",
        ]
        tool = "wrk" if WRK else "python"
        self.stdout.write(
            f"Load: gunicorn (2 sync workers, PAGE_CACHE_SECONDS={page_cache_seconds}) "
            f"on 127.0.0.1:{port}, {tool}, "
            f"{options['duration']} s per page, {options['threads']} threads, "
            f"{options['connections']} connections"
        )
        with tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log") as log:
            server = subprocess.Popen(  # noqa: S603 - fixed arguments
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                wait_until_ready(port, server, log.name)
                results = {"tool": tool, "server": "gunicorn, 2 sync workers"}
                for name, urls in paths.items():
                    # Warm up; with the page cache each worker keeps its own copy unless CACHE_URL is shared.
                    for url in urls * 3 if page_cache_seconds else urls[:20]:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30).read()
                    run = run_wrk if WRK else run_python_load
                    results[name] = run(
                        port, urls, options["duration"], options["threads"], options["connections"]
                    )
                    self.stdout.write(f"  load {name}: {results[name]}")
            finally:
                stop(server)
        bare = results["bare"]["rps"]
        for name in paths:
            results[name]["vs_bare"] = (
                round(bare / results[name]["rps"], 1) if results[name]["rps"] else None
            )
        return results

    def measure_production_mix(self, paths, body, options):
        """Decision night: `--mix-clients` clients for `--mix-seconds` against the production
        stack as deploy/ describes it (nginx with deploy/nginx's locations in front of gunicorn
        with its config file, the shared Redis cache), every kind of public request mixed. Any error or timeout fails the bench."""
        slug = body.slug
        mix = [
            *paths["list"],
            *paths["filtered"],
            *paths["detail"][:40],
            *paths["tracker"],
            *paths["commitment"][:20],
            *(f"/sok/?q={quote(word)}" for word in SEARCH_WORDS),
            f"/api/v1/motions?body={slug}&limit=50",
            f"/api/v1/motions?body={slug}&status=decided&limit=50",
            f"/flode/{slug}/motioner/",
            f"/flode/{slug}/beslut/",
            f"/export/{slug}/motioner.csv?year=2023",
        ]
        web_port, port = free_port(), free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "WEB_BIND": f"127.0.0.1:{web_port}",
            "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "CACHE_URL": production_cache(),
        }
        config = str(Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py")
        command = [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--config", config]
        command += ["--access-logfile", "/dev/null"]
        seconds, clients = options["mix_seconds"], options["mix_clients"]
        self.stdout.write(
            f"Load: {clients} clients for {seconds} s, {len(mix)} mixed paths, through nginx "
            f"(deploy/nginx) to gunicorn (deploy/gunicorn.conf.py, "
            f"{os.environ.get('WEB_CONCURRENCY', '3')} workers), "
            f"cache {env['CACHE_URL'] or 'per process'}"
        )
        nginx = nginx_site()
        if not nginx.nginx_binary():
            raise CommandError("The decision-night load runs through nginx: apt-get install nginx")
        with (
            tempfile.TemporaryDirectory(prefix="bench-stack-") as work,
            open(Path(work) / "servers.log", "wb") as log,
        ):
            conf = nginx.write_config(
                root=Path(settings.BASE_DIR), work=Path(work), web_port=web_port, listen_port=port
            )
            servers = [
                subprocess.Popen(  # noqa: S603 - fixed arguments
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                ),
                subprocess.Popen(  # noqa: S603 - fixed arguments
                    nginx.command(conf, Path(work)),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                ),
            ]
            try:
                wait_until_ready(web_port, servers[0], log.name)
                wait_until_ready(port, servers[1], log.name)
                for url in mix:  # every path answers 200 through nginx before the clock starts
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=60).read()
                script = LUA_MIX.replace("PATHS", ", ".join(json.dumps(u) for u in mix))
                with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
                    lua.write(script)
                    lua.flush()
                    out = subprocess.run(  # noqa: S603 - fixed arguments
                        [
                            *(WRK, "-t4", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s"),
                            *("-s", lua.name, f"http://127.0.0.1:{port}"),
                        ],
                        capture_output=True,
                        text=True,
                        timeout=seconds + 60,
                        check=True,
                    ).stdout
            finally:
                for server in servers:
                    stop(server)
        figures = json.loads(re.search(r"^MIX (\{.*\})$", out, re.MULTILINE).group(1))
        figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
        figures.update(clients=clients, paths=len(mix))
        self.stdout.write(f"  mix: {figures}")
        failures = sum(
            figures[k]
            for k in ("non_2xx", "timeouts", "connect_errors", "read_errors", "write_errors")
        )
        if failures:
            raise CommandError(f"The mixed load had {failures} errors or timeouts: {figures}")
        return figures

    # 4. report ---------------------------------------------------------------------------------

    def print_table(self, results):
        lines = [
            "",
            f"Beslutsspår bench: {results['motions']:,} motions ({results['decided_motions']:,} decided) "
            f"on {results['database']}",
            f"{'page':<18} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>9} {'vs bare':>9}  aim",
        ]
        for mode, rows in results["in_process"].items():
            load = results["load"].get(mode, {})
            for name, row in rows.items():
                loaded = load.get(name, {})
                rps = f"{loaded['rps']:,.0f}" if loaded else "-"
                ratio = loaded.get("vs_bare")
                aim = ""
                if name in AIMS and ratio:
                    aim = f"1/{AIMS[name]} " + ("met" if ratio <= AIMS[name] else "MISSED")
                label = f"{name} ({mode})"
                lines.append(
                    f"{label:<18} {row['queries']:>7} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {rps:>9} "
                    f"{f'1/{ratio}' if ratio else '-':>9}  {aim}"
                )
        if results["load"]:
            tool = next(iter(results["load"].values()))["tool"]
            lines.append(
                f"Load: {tool} against gunicorn with 2 sync workers on loopback; the load generator "
                "shares the CPU, so compare ratios, not absolute req/s."
            )
        lines.append(
            f"Cached detail pages: the first {CACHED_DETAILS} of the sampled motions, warmed first."
        )
        for name, row in results.get("open_data", {}).items():
            if name == "csv_export":
                lines.append(
                    f"CSV export of every motion: {row['rows']:,} rows, {row['megabytes']} MB in {row['seconds']} s, "
                    f"{row['queries']} queries, peak Python memory {row['peak_python_memory_mb']} MB "
                    f"({row['seconds_under_tracemalloc']} s while tracing it)"
                )
            else:
                lines.append(
                    f"{name:<18} {row['queries']:>7} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f}   (in-process)"
                )
        if "production_mix" in results:
            mix = results["production_mix"]
            lines.append(
                f"Decision night: {mix['clients']} clients for {mix['seconds']:.0f} s over "
                f"{mix['paths']} mixed paths: {mix['requests']:,} requests, {mix['rps']:,.0f} req/s, "
                f"p50 {mix['p50_ms']} ms, p95 {mix['p95_ms']} ms, p99 {mix['p99_ms']} ms, "
                f"{mix['non_2xx']} errors, {mix['timeouts']} timeouts"
            )
        if "reminders" in results:
            lines.append(f"Daily reminder job: {results['reminders']}")
        lines.append(results["data_note"] + ".")
        self.stdout.write("\n".join(lines))


def ensure_index_page(body):
    """The bench municipality's MotionIndexPage under the site's HomePage (made the site root if needed)."""
    from wagtail.models import Page, Site

    from cms.models import HomePage, MotionIndexPage
    from cms.routing import CACHE_KEY

    existing = MotionIndexPage.objects.filter(body=body).first()
    if existing:
        return existing
    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Beslutsspår", slug="bench-home", body=body))
        if site:
            site.root_page = home
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    index = home.add_child(
        instance=MotionIndexPage(title="Motioner i Benchkommun", slug="bench", body=body)
    )
    cache.delete(CACHE_KEY)
    return index


def ensure_tracker_page(body):
    """The bench municipality's follow-up tracker beside its motion index page."""
    from cms.models import FollowUpIndexPage, MotionIndexPage
    from cms.routing import CACHE_KEY

    existing = FollowUpIndexPage.objects.filter(body=body).first()
    if existing:
        return existing
    home = MotionIndexPage.objects.get(body=body).get_parent()
    tracker = home.add_child(
        instance=FollowUpIndexPage(
            title="Uppföljning i Benchkommun", slug="bench-uppfoljning", body=body
        )
    )
    cache.delete(CACHE_KEY)
    return tracker


def nginx_site():
    """deploy/nginx_site.py, which `make prod-check` uses too (deploy/ is not a package)."""
    import importlib.util

    path = Path(settings.BASE_DIR) / "deploy" / "nginx_site.py"
    spec = importlib.util.spec_from_file_location("nginx_site", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def production_cache() -> str:
    """The shared cache production runs with (.env.example: Redis), emptied first; the
    per-process cache when no Redis answers on this machine."""
    import redis

    if os.environ.get("CACHE_URL"):
        return os.environ["CACHE_URL"]
    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        return ""
    return url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(port, server, log_name, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(
                f"gunicorn exited with {server.returncode}: {Path(log_name).read_text()[-2000:]}"
            )
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bare__/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise CommandError(
        f"gunicorn did not answer within {timeout} s: {Path(log_name).read_text()[-2000:]}"
    )


def stop(server):
    """Stop gunicorn and its workers (its own process group), whatever happened before."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_wrk(port, urls, duration, threads, connections):
    paths = ", ".join(json.dumps(u) for u in urls)
    script = LUA.replace("PATHS", paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        completed = subprocess.run(  # noqa: S603 - fixed arguments
            [
                WRK,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "-s",
                lua.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=duration + 30,
            check=True,
        )
    out = completed.stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise CommandError(f"wrk got {errors.group(1)} error responses for {urls[0]}:\n{out}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "latency_p50": latency.get("50"),
        "latency_p99": latency.get("99"),
    }


def run_python_load(port, urls, duration, threads, connections):
    """Fallback without wrk: `connections` threads, each a keep-alive loop, for `duration` seconds."""
    del threads  # one thread per connection
    deadline = time.monotonic() + duration
    counts, failures = [], []

    def worker(offset):
        done, conn, n = 0, None, offset
        while time.monotonic() < deadline:
            if conn is None:
                conn = HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", urls[n % len(urls)])
            response = conn.getresponse()
            response.read()
            n += 1
            if response.status != 200:
                failures.append(response.status)
            done += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        counts.append(done)

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(k * 37,)) for k in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise CommandError(f"{len(failures)} error responses for {urls[0]} (first: {failures[0]})")
    return {"rps": round(sum(counts) / (time.monotonic() - started), 1)}
