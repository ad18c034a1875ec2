"""The tracker's benchmark: prints one line per figure, on SQLite and on PostgreSQL.

    .venv/bin/python bench/run.py            # 1k vs 100k obligations
    .venv/bin/python bench/run.py --quick    # 500 vs 5k, for a smoke test

Machines here are noisy, so the targets are ratios measured in one run:
- admin obligation list, small vs large data: the same number of queries (at most 12) and a
  median time ratio large/small of at most 3;
- the reminder job over the large data set against a bare SQL query that selects the same
  due rows: the selection, a run with nothing new and the next day's run at most 5 times
  it; the first run (the whole backlog) and the next Monday's (a weekly step for every
  overdue obligation) are reported, the latter with its peak memory (it streams);
- the Taskforce report (HTML, PDF and Word) for the real data and for 10k obligations, the
  PDF in seconds: under 3 and under 8 (WeasyPrint's loading, once per process, timed apart);
- reading every time phrase of the five agreements; find_candidates' recall and precision;
- the coordinator's front page.

Each database is measured in a child process of its own (`--child`), against a scratch
database: a SQLite file, and a throw-away PostgreSQL server started on localhost (or the one
in BENCH_POSTGRES_URL).
"""

import argparse
import datetime
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_QUERIES, TARGET_LIST_RATIO, TARGET_REMINDER_RATIO = 12, 3.0, 5.0
# Seconds for the Taskforce report's PDF: the real data, and 10k obligations (--quick: 2k).
TARGET_PDF_REAL, TARGET_PDF_LARGE = 3.0, 8.0


def line(database: str, figure: str, value: str) -> None:
    print(f"{database:10} {figure:58} {value}", flush=True)


# --- the parent: one child per database -------------------------------------------------


@contextmanager
def postgres_server():
    """A throw-away PostgreSQL server on localhost, as scripts/postgres.sh starts one."""
    if os.environ.get("BENCH_POSTGRES_URL"):
        yield os.environ["BENCH_POSTGRES_URL"]
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        yield None
        return
    pg_bin, workdir = bins[-1], Path(tempfile.mkdtemp(prefix="bench-pg."))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(workdir, "postgres")
    port = "54339"
    run = dict(check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*as_postgres, pg_bin / "initdb", "-D", workdir / "data", "-U", "postgres",
                    "--auth=trust", "-E", "UTF8"], **run)  # fmt: skip
    subprocess.run([*as_postgres, pg_bin / "pg_ctl", "-D", workdir / "data", "-l",
                    workdir / "log", "-w", "-o",
                    f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], **run)  # fmt: skip
    try:
        subprocess.run([*as_postgres, pg_bin / "createdb", "-h", "127.0.0.1", "-p", port,
                        "-U", "postgres", "bench"], **run)  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run([*as_postgres, pg_bin / "pg_ctl", "-D", workdir / "data", "-m", "fast",
                        "stop"], stdout=subprocess.DEVNULL)  # fmt: skip
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def sqlite_database(scratch: str):
    yield f"sqlite:///{scratch}/bench.sqlite3"


def parent(args) -> int:
    failed = 0
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as scratch:
            if database == "sqlite":
                url_context = sqlite_database(scratch)
            else:
                url_context = postgres_server()
            with url_context as url:
                if url is None:
                    line(database, "skipped", "PostgreSQL is not installed")
                    continue
                env = {
                    **os.environ,
                    "DATABASE_URL": url,
                    "ALLOWED_HOSTS": "testserver,localhost",
                    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                    "LOG_LEVEL": "WARNING",
                    "MEDIA_ROOT": scratch,
                }
                command = [sys.executable, __file__, "--child", database]
                if args.quick:
                    command.append("--quick")
                failed |= subprocess.run(command, env=env, cwd=ROOT).returncode
    return failed


# --- the child: every figure on one database --------------------------------------------


def median_time(function, repeat: int) -> float:
    function()  # warm up caches and connections
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child(database: str, quick: bool) -> int:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    # As in production: no query log, which costs more on every query than some queries
    # cost themselves (query counts come from counting_queries()).
    settings.DEBUG = False
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic here

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from agreements.dates import find_time_phrases, read_phrase
    from agreements.models import Agreement, Obligation
    from meetings.render import render_html, render_pdf
    from meetings.report import build_report
    from operations.synthetic import generate

    small, medium, large = (500, 2_000, 5_000) if quick else (1_000, 10_000, 100_000)
    problems = []
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_agreements", "--with-history", verbosity=0, stdout=open(os.devnull, "w"))
    line(database, "load the five agreements", f"{time.perf_counter() - started:.2f} s")

    # Time phrases.
    texts = [(a.source_text, a.year) for a in Agreement.objects.all()]
    phrases = list(Obligation.objects.values_list("phrase", "agreement__year"))

    def read_all():
        for text, year in texts:
            find_time_phrases(text, year)
        for phrase, year in phrases:
            read_phrase(phrase, year)

    seconds = median_time(read_all, 5)
    found = sum(len(find_time_phrases(t, y)) for t, y in texts)
    line(database, f"read all time phrases ({found} in texts, {len(phrases)} captured)",
         f"{seconds * 1000:.0f} ms")  # fmt: skip

    problems += candidates(database)

    # The Taskforce report on the real data.
    today = timezone.localdate()
    load_weasyprint(database)
    problems += report_figures(database, "real data", build_report, render_html, render_pdf,
                               today, TARGET_PDF_REAL)  # fmt: skip

    # The admin list, small and large.
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    client = Client()
    client.force_login(user)
    url = "/admin/agreements/obligation/"

    def admin_figures(view: str) -> tuple[int, float]:
        query = "?frist=overskredet" if view == "overskredet" else ""
        with counting_queries() as queries:
            response = client.get(url + query)
        assert response.status_code == 200, response.status_code
        return queries.count, median_time(lambda: client.get(url + query), 7)

    generate(small - Obligation.objects.count(), seed=1)
    small_figures = {view: admin_figures(view) for view in ("default", "overskredet")}

    generate(medium - Obligation.objects.count(), seed=2)
    problems += report_figures(database, f"{Obligation.objects.count()} obligations",
                               build_report, render_html, render_pdf, today,
                               TARGET_PDF_LARGE)  # fmt: skip

    started = time.perf_counter()
    generate(large - Obligation.objects.count(), seed=3)
    line(database, f"generate_synthetic up to {large} obligations",
         f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    n_small, n_large = small, Obligation.objects.count()
    for view in ("default", "overskredet"):
        (q_small, t_small), (q_large, t_large) = small_figures[view], admin_figures(view)
        ratio = t_large / t_small
        line(database, f"admin list ({view}): queries {n_small} / {n_large}",
             f"{q_small} / {q_large}")  # fmt: skip
        line(database, f"admin list ({view}): median time {n_large}/{n_small}",
             f"{t_large * 1000:.0f} ms / {t_small * 1000:.0f} ms = {ratio:.2f}x "
             f"(target <= {TARGET_LIST_RATIO:.0f})")  # fmt: skip
        if q_small != q_large or q_large > TARGET_QUERIES:
            problems.append(f"admin list ({view}) queries {q_small} vs {q_large}")
        if ratio > TARGET_LIST_RATIO:
            problems.append(f"admin list ({view}) time ratio {ratio:.2f}")

    problems += reminder_figures(database, today)
    front_page(database, user)
    problems += public_pages(database, user, quick)
    for problem in problems:
        line(database, "MISSED TARGET", problem)
    return 0


def load_weasyprint(database) -> None:
    """WeasyPrint loads Pango, fontconfig's fonts and its own stylesheets once per process,
    on the first PDF: timed apart, so that the PDF figures are what each PDF costs."""
    from meetings.render import font_config

    started = time.perf_counter()
    from weasyprint import HTML

    HTML(string="<p>Statusrapport</p>").write_pdf(font_config=font_config())
    line(database, "load WeasyPrint (once per process)", f"{time.perf_counter() - started:.2f} s")


def report_figures(database, label, build_report, render_html, render_pdf, today,
                   pdf_target: float) -> list[str]:  # fmt: skip
    """The report built, as HTML, as PDF (against its target, in seconds) and as Word."""
    from pypdf import PdfReader

    started = time.perf_counter()
    report = build_report(today)
    built = time.perf_counter() - started
    started = time.perf_counter()
    html = render_html(report)
    rendered = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(report)
    printed = time.perf_counter() - started
    line(database, f"Taskforce report, {label}: build / HTML / PDF",
         f"{built:.2f} s / {rendered:.2f} s / {printed:.2f} s "
         f"({len(html) // 1024} KiB HTML, {len(pdf) // 1024} KiB PDF)")  # fmt: skip
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    line(database, f"Taskforce report, {label}: PDF ({pages} pages)",
         f"{printed:.2f} s (target < {pdf_target:.0f} s)")  # fmt: skip
    problems = [f"Taskforce PDF, {label}: {printed:.2f} s"] if printed >= pdf_target else []

    try:
        from meetings.word import render_docx
    except ImportError:
        line(database, f"Taskforce report, {label}", "Word: not available")
        return problems
    started = time.perf_counter()
    docx = render_docx(report)
    line(database, f"Taskforce report, {label}",
         f"Word: {time.perf_counter() - started:.2f} s ({len(docx) // 1024} KiB)")  # fmt: skip
    return problems


def reminder_figures(database, today) -> list[str]:
    """The reminder job over the large data set, against a bare SQL query for its rows."""
    from django.conf import settings
    from django.db import connection

    from agreements.models import Obligation
    from tracker.models import Reminder
    from tracker.reminders import Policy, planned_reminders, run_reminders

    horizon = today + datetime.timedelta(days=Policy.from_settings().horizon)
    # The same due rows the job starts from: open obligations with a deadline at or
    # before the horizon, as plain tuples, in no particular order (the model's default
    # order would add a join and a sort the job does not need).
    due = Obligation.objects.open().filter(due_end__lte=horizon).order_by()
    sql, params = due.values_list("id", "due_end", "lead_owner_id").query.sql_with_params()

    def bare_sql():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows = len(bare_sql())
    bare = median_time(bare_sql, 5)
    line(database, f"bare SQL selecting the {rows} due rows", f"{bare * 1000:.0f} ms")
    target = f"target <= {TARGET_REMINDER_RATIO:.0f}"
    problems = []

    def select():
        for _ in planned_reminders(today):
            pass  # what the run hands on to the outbox, a chunk at a time

    planning = median_time(select, 3)
    line(database, "reminder selection (steps, recipients, plans) / bare SQL",
         f"{planning * 1000:.0f} ms = {planning / bare:.1f}x ({target})")  # fmt: skip
    if planning / bare > TARGET_REMINDER_RATIO:
        problems.append(f"reminder selection ratio {planning / bare:.1f}")

    def run(label: str, day: datetime.date, has_target: bool, memory: bool = False) -> None:
        before = Reminder.objects.count()
        if memory:
            tracemalloc.start()
        started = time.perf_counter()
        with counting_queries() as queries:
            digests = run_reminders(day)
        seconds = time.perf_counter() - started
        peak = f", peak {tracemalloc.get_traced_memory()[1] / 1_000_000:.0f} MB" if memory else ""
        tracemalloc.stop()
        ratio = seconds / bare
        line(database, f"reminder run, {label}",
             f"{seconds:.2f} s = {ratio:.1f}x bare SQL{f' ({target})' if has_target else ''}, "
             f"{queries.count} queries, {Reminder.objects.count() - before} reminders "
             f"planned, {len(digests)} digests{peak}")  # fmt: skip
        if has_target and ratio > TARGET_REMINDER_RATIO:
            problems.append(f"reminder run ({label}) ratio {ratio:.1f}")

    # The first run plans the whole backlog (every obligation's latest step, escalations)
    # and sends it; later runs add what each day brings.
    run(f"first over {Obligation.objects.count()} obligations", today, False)
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a change this size, long before the next
        # daily run: without it the planner reckons with 111k pending reminders that were
        # sent meanwhile.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Reminder._meta.db_table}")
    run("again the same day (nothing new)", today, True)
    # The next day without the weekly step (on the weekday of the weekly reminders every
    # overdue obligation gets one: that day is measured on its own, below), so that the
    # figure does not depend on the weekday the benchmark is run.
    weekly = settings.REMINDER_OVERDUE_WEEKDAY
    next_day = today + datetime.timedelta(days=1)
    if next_day.weekday() == weekly:
        next_day += datetime.timedelta(days=1)
    run(f"the next day ({next_day})", next_day, True)
    weekly_day = next_day + datetime.timedelta(days=(weekly - next_day.weekday()) % 7 or 7)
    run(f"{weekly_day}, weekly steps (under tracemalloc)", weekly_day, False, True)
    return problems


@contextmanager
def counting_queries():
    """Counts the queries in the block, without the cost of Django's query log."""
    from django.db import connection

    class Counter:
        count = 0

    def count(execute, sql, params, many, context):
        Counter.count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield Counter


TARGET_RECALL, TARGET_PRECISION, TARGET_FINDER_SECONDS = 0.95, 0.6, 1.0


def candidates(database) -> list[str]:
    """The finder's recall and precision on the five agreements and on the labelled corpus
    (tests/corpus/), each text and in total, and its time over the five agreements."""
    import yaml

    from agreements.candidates import evaluate, evaluate_corpus_text, find_candidates

    problems = []

    def totals(label: str, results: list[dict]) -> None:
        found = sum(r["found"] for r in results)
        labelled = sum(r["labelled"] for r in results)
        right = sum(r["right"] for r in results)
        ranked = sum(r["ranked"] for r in results)
        recall, precision = found / max(labelled, 1), right / max(ranked, 1)
        line(database, f"find_candidates {label}: recall / precision",
             f"{recall:.2f} ({found}/{labelled}) / {precision:.2f} ({right}/{ranked}) "
             f"(targets >= {TARGET_RECALL} / >= {TARGET_PRECISION})")  # fmt: skip
        if recall < TARGET_RECALL or precision < TARGET_PRECISION:
            problems.append(f"find_candidates {label}: {recall:.2f} / {precision:.2f}")

    def each(label: str, result: dict) -> None:
        line(database, f"find_candidates {label}: recall / precision",
             f"{result['recall']:.2f} ({result['found']}/{result['labelled']}) / "
             f"{result['precision']:.2f} ({result['right']}/{result['ranked']})")  # fmt: skip

    fixtures = sorted((ROOT / "fixtures" / "agreements").glob("*.yaml"))
    five = []
    for path in fixtures:
        five.append(evaluate(path))
        each(path.stem, five[-1])
    totals("the five agreements", five)

    parties = yaml.safe_load((ROOT / "fixtures" / "parties.yaml").read_text())["parties"]
    tuned, held_out = [], []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml")):
        result = evaluate_corpus_text(path, parties)
        (held_out if result["held_out"] else tuned).append(result)
        each(f"corpus {path.stem}{' (held out)' if result['held_out'] else ''}", result)
    totals("corpus, tuned on", tuned)
    totals("corpus, held out", held_out)
    totals("corpus, all", tuned + held_out)

    texts = []
    for path in fixtures:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["agreement"]
        texts.append(
            ((path.parent / data["source_file"]).read_text(encoding="utf-8"), data["year"])
        )
    seconds = median_time(lambda: [find_candidates(t, y, parties) for t, y in texts], 3)
    line(database, "find_candidates over the five agreements",
         f"{seconds:.2f} s (target < {TARGET_FINDER_SECONDS:.0f} s)")  # fmt: skip
    if seconds >= TARGET_FINDER_SECONDS:
        problems.append(f"find_candidates over the five agreements: {seconds:.2f} s")
    return problems


def front_page(database, user) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    seconds = median_time(lambda: client.get("/admin/"), 5)
    line(database, "admin front page (secretariat, all parties)", f"{seconds * 1000:.0f} ms")


def public_pages(database, user, quick: bool) -> list[str]:
    """The public list and one agreement's page through a real server (gunicorn on
    localhost, 4 workers) with a bounded load: a fixed number of requests from a fixed
    number of threads; requests per second and the 95th percentile. The pages are cached
    for a minute as in production, so most requests are hits; the uncached page is timed
    apart, as is its query count for a small and a large agreement (equal)."""
    import concurrent.futures
    import socket
    import urllib.request

    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client

    from agreements import publishing
    from agreements.models import Agreement, Obligation

    publishing.publish(Agreement.objects.all(), user)
    sizes = Agreement.objects.annotate(n=Count("obligations")).order_by("n", "pk")
    smallest, largest = sizes.first(), sizes.last()
    published = f"{sizes.count()} agreements, {Obligation.objects.count()} obligations"
    requests, threads = (40, 4) if quick else (2_000, 16)
    paths = {"list": "/offentlig/", "agreement": f"/offentlig/aftaler/{largest.slug}/"}
    problems = []

    client = Client()

    def uncached(path: str):
        cache.clear()
        assert client.get(path).status_code == 200, path

    for label, path in paths.items():
        seconds = median_time(lambda path=path: uncached(path), 3)
        line(database, f"public {label} page, uncached ({published})",
             f"{seconds * 1000:.0f} ms")  # fmt: skip
    counts = []
    for agreement in (smallest, largest):
        cache.clear()
        with counting_queries() as queries:
            client.get(f"/offentlig/aftaler/{agreement.slug}/")
        counts.append((agreement.n, queries.count))
    (n_small, q_small), (n_large, q_large) = counts
    line(database, f"public agreement page: queries {n_small} / {n_large} obligations",
         f"{q_small} / {q_large}")  # fmt: skip
    if q_small != q_large:
        problems.append(f"public agreement page queries {q_small} vs {q_large}")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "4", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + paths["list"], timeout=30).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)

        def timed(url: str) -> float:
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                assert response.status == 200, url
            return time.perf_counter() - started

        # Each worker's first requests load templates and fill its cache: not measured.
        for path in paths.values():
            with concurrent.futures.ThreadPoolExecutor(threads) as pool:
                list(pool.map(timed, [base + path] * threads * 4))

        for label, path in paths.items():
            url = base + path
            with concurrent.futures.ThreadPoolExecutor(threads) as pool:
                started = time.perf_counter()
                times = sorted(pool.map(timed, [url] * requests))
                wall = time.perf_counter() - started
            p95 = times[int(len(times) * 0.95) - 1]
            line(database, f"public {label} page, gunicorn: {requests} requests, {threads} at once",
                 f"{requests / wall:.0f} req/s, p95 {p95 * 1000:.0f} ms")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data sets, for a smoke test")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.quick)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
