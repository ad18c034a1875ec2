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
- the Taskforce report (HTML and PDF) for the real data and for 10k obligations;
- reading every time phrase of the five agreements; find_candidates' recall and precision;
- the coordinator's front page.

Each database is measured in a child process of its own (`--child`), against a scratch
database: a SQLite file, and a throw-away PostgreSQL server started on localhost (or the one
in BENCH_POSTGRES_URL).
"""

import argparse
import datetime
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
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
    report_figures(database, "real data", build_report, render_html, render_pdf, today)

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
    report_figures(database, f"{Obligation.objects.count()} obligations", build_report,
                   render_html, render_pdf, today)  # fmt: skip

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
    for problem in problems:
        line(database, "MISSED TARGET", problem)
    return 0


def report_figures(database, label, build_report, render_html, render_pdf, today) -> None:
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


def reminder_figures(database, today) -> list[str]:
    """The reminder job over the large data set, against a bare SQL query for its rows."""
    from django.conf import settings
    from django.db import connection

    from agreements.models import Obligation
    from followup.models import Reminder
    from followup.reminders import Policy, planned_reminders, run_reminders

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
