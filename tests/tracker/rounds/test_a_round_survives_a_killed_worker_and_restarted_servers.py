"""A chaos test on PostgreSQL: while a round's invitations and reminders are being delivered
and two contacts are answering, the Celery worker is killed (SIGKILL), then Redis is
restarted, then PostgreSQL is restarted. After recovery every invitation was delivered
(duplicates at most one per kill), and every answer that got a "Gemt" page is in the record.

Everything runs in processes of its own, as in production: a PostgreSQL server of the test's
own (the suite's is shared with other tests, so it is never restarted), the commands,
gunicorn, a Celery worker, Redis and an SMTP server. The contacts answer over HTTP with the
links their invitations carry, filling the form from the page as a browser does.
"""

import datetime
import http.client
import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from agreements.models import Contact
from agreements.status import Status
from tests.servers import CeleryWorker, PostgresServer, free_port, tracker_env, wait_for
from tracker.models import Reminder, StatusReport, StatusRound

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the chaos test restarts a PostgreSQL server of its own: it runs in the suite's "
    "PostgreSQL pass (DATABASE_URL=postgres://…)",
)

MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
GUNICORN = str(Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn")
LINK = re.compile(r"https?://[^\s\"<>]+(/svar/[A-Za-z0-9_-]+/)")
# The kinds of e-mail, by their subjects' beginnings.
INVITATION, REMINDER = "Statusrunde før", "Påmindelse"

# The two contacts who answer: of two parties that own no obligation together, so that each
# row is answered by one of them only. Their addresses sort first, so that their invitations
# are the first e-mails of the delivery.
ANSWERING = {
    "anna@regeringen.example.org": "regeringen",
    "asta@regionerne.example.org": "regionerne",
}
# More contacts for every party, and a pause before the SMTP server accepts each e-mail,
# so that the delivery of the ~80 invitations lasts long enough for the kill and the
# restarts below to fall within it.
EXTRA_CONTACTS = 5
SMTP_DELAY = 0.05
# The SMTP server holds this e-mail unanswered; the first worker is killed while it waits.
KILLED_AT = 20
# Redis is restarted after this many more e-mails, PostgreSQL after this many.
REDIS_RESTART_AFTER = 10
POSTGRES_RESTART_AFTER = 20
# Rows claimed by a dead run are sent again after this long (600 s in production), and a
# failed one is retried after a second. So short a timeout is safe here only because one
# run goes on at a time and a digest takes a fraction of a second: no living run's rows are
# swept.
WORKER_ENV = {
    "REMINDER_SENDING_TIMEOUT": "3",
    "REMINDER_RETRY_BASE": "1",
    "REMINDER_RETRY_MAX": "2",
}
STATUSES = [Status.ON_TRACK, Status.AT_RISK, Status.DELAYED]
# Between two answers of one contact.
PACE = 0.5

SETUP = """
import io, json
from django.core.management import call_command
from agreements.models import Contact, Obligation, Party
from tracker.models import StatusRound

call_command("migrate", verbosity=0)
call_command("load_agreements", stdout=io.StringIO())
for party in Party.objects.all():
    for n in range({extra}):
        Contact.objects.create(
            party=party, name=f"Kontakt {{n}}", email=f"kontakt{{n}}@{{party.slug}}.example.org"
        )
for address, slug in {answering!r}.items():
    Contact.objects.create(party=Party.objects.get(slug=slug), name=address, email=address)
call_command("status_round", "open", "--meeting", "{meeting}", stdout=io.StringIO())
asked = Obligation.objects.filter(pk__in=StatusRound.objects.get().items.values("obligation"))
owners = set(asked.values_list("lead_owner", flat=True))
owners |= set(asked.values_list("co_owners", flat=True))
invited = Contact.objects.filter(party__in=owners, receives_reminders=True)
print(json.dumps(sorted(invited.values_list("email", flat=True))))
"""


# The contacts' browsers


class PostedForm(HTMLParser):
    """What a browser posts from the page's form: each enabled input, select and textarea
    with a name (hidden ones too), with the value the page gives it."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._options: list[str] = []
        self._selected: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value") or "on"
                return
            self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._options, self._selected = name, [], None
        elif tag == "option" and self._select:
            self._options.append(attrs.get("value") or "")
            if "selected" in attrs:
                self._selected = self._options[-1]
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            # A select without a selected option posts its first.
            first = self._options[0] if self._options else ""
            self.fields[self._select] = first if self._selected is None else self._selected
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops one newline right after <textarea>.
            self.fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None


@dataclass
class Answer:
    contact: str
    obligation: int
    status: str
    text: str
    # "gemt": the POST ended on a "Gemt" page; "on the page": a later page showed it.
    outcome: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return self.outcome in ("gemt", "on the page")


class Browser:
    """One contact's browser on their answer page: cookies kept, redirects not followed."""

    def __init__(self, port: int, path: str):
        self.port, self.path = port, path
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value
            return response.status, response.headers, text
        finally:
            conn.close()

    def form(self) -> dict[str, str]:
        status, _, page = self.request("GET", self.path)
        if status != 200:
            raise RuntimeError(f"GET {status}")
        return PostedForm(page).fields

    def rows(self) -> set[int]:
        return {int(pk) for pk in re.findall(r"^o-(\d+)-answer$", "\n".join(self.form()), re.M)}

    def answer(self, answer: Answer, retry: bool = False) -> None:
        """Fill in one row on the page as it stands, post the whole form, and see the
        page it is sent on to."""
        prefix = f"o-{answer.obligation}"
        try:
            form = self.form()
            if retry and (form.get(f"{prefix}-answer"), form.get(f"{prefix}-text")) == (
                answer.status,
                answer.text,
            ):
                # The failed attempt was saved after all (its answer page did not come).
                answer.outcome = "on the page"
                return
            form[f"{prefix}-answer"], form[f"{prefix}-text"] = answer.status, answer.text
            status, headers, _ = self.request("POST", self.path, form)
            location = headers.get("Location", "")
            saved = re.search(r"[?&]gemt=(\d+)", location)
            if status != 302 or not saved or int(saved[1]) < 1:
                raise RuntimeError(f"POST {status} {location}")
            target = urlsplit(location)
            status, _, page = self.request("GET", f"{target.path}?{target.query}")
            if status != 200 or "Gemt" not in page:
                raise RuntimeError(f"GET after saving {status}")
            answer.outcome = "gemt"
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            answer.failures.append(f"{type(error).__name__}: {error}")


def answer_rows(browser, contact, rows, stop, answers) -> None:
    for n, pk in enumerate(sorted(rows)):
        if stop.is_set():
            return
        answer = Answer(contact, pk, STATUSES[n % len(STATUSES)], f"Svar {n + 1} fra {contact}.")
        answers.append(answer)
        browser.answer(answer)
        time.sleep(PACE)


# The servers


def manage(env, *args: str) -> str:
    done = subprocess.run(
        [*MANAGE, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def chaos_postgres():
    server = PostgresServer()
    try:
        server.start()
        server.create_database("chaos")
        yield server
    finally:
        server.stop()


@pytest.fixture
def web_port(settings):
    port = free_port()
    # The links in the e-mails lead to the web server below.
    settings.SITE_URL = f"http://127.0.0.1:{port}"
    return port


@pytest.fixture
def web_server(web_port, chaos_postgres, redis_server, smtp_server, tmp_path):
    """gunicorn on the chaos database, started at once: it boots while the database is
    migrated (it reads nothing from it until asked)."""
    env = tracker_env(chaos_postgres.url("chaos"), redis_server, smtp_server)
    with (tmp_path / "gunicorn.log").open("w") as log:
        process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--threads", "4", "--bind", f"127.0.0.1:{web_port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def up():
        """Wait until it answers."""

        def answers():
            try:
                return Browser(web_port, "/svar/ukendt/").request("GET", "/svar/ukendt/")[0]
            except OSError:
                return None

        wait_for(answers, 30, "gunicorn to answer")

    try:
        yield up
    finally:
        process.terminate()
        process.wait(20)


def send(worker: CeleryWorker, task: str) -> None:
    """Put a task on the queue, as beat does, waiting out a Redis that is restarting."""
    wait_for(lambda: _sent(worker, task), 20, f"Redis to take {task}", interval=0.5)


def _sent(worker, task) -> bool:
    try:
        worker.send(task)
    except Exception:  # kombu's OperationalError and the errors under it
        return False
    return True


def kind(subject: str) -> str:
    return next((k for k in (INVITATION, REMINDER) if subject.startswith(k)), "deadlines")


def query(url: str, sql: str, *params):
    with psycopg.connect(url, connect_timeout=5) as db:
        return db.execute(sql, params).fetchall()


def outbox_busy(url: str) -> bool:
    try:
        [(busy,)] = query(
            url,
            f"SELECT count(*) FROM {Reminder._meta.db_table} WHERE status IN (%s, %s)",
            Reminder.Status.PENDING,
            Reminder.Status.SENDING,
        )
    except psycopg.OperationalError:
        return True
    return busy > 0


def test_a_round_survives_a_killed_worker_and_restarted_servers(
    chaos_postgres, web_server, web_port, redis_server, smtp_server, tmp_path
):
    url = chaos_postgres.url("chaos")
    env = tracker_env(url, redis_server, smtp_server)
    meeting = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    began = time.monotonic()
    workers = []

    def mark(what):
        """A line of the timeline, printed when the test fails."""
        print(f"{time.monotonic() - began:5.1f} s {what}, {len(smtp_server.messages)} e-mails")

    def start_worker() -> CeleryWorker:
        worker = CeleryWorker(env, tmp_path / f"celery-{len(workers)}.log", redis_server.url)
        workers.append(worker)
        worker.start(**WORKER_ENV)
        return worker

    def link(address):
        found = [LINK.search(m.text) for m in smtp_server.to(address)]
        return next((match[1] for match in found if match), None)

    kills = 0
    stop = threading.Event()
    answers: list[Answer] = []
    threads = []
    pool = ThreadPoolExecutor(2)
    try:
        # The first worker boots while the database is set up: no task is sent before.
        booting = pool.submit(start_worker)
        setup = SETUP.format(extra=EXTRA_CONTACTS, answering=ANSWERING, meeting=meeting)
        invited = set(json.loads(manage(env, "shell", "-v0", "-c", setup).splitlines()[-1]))
        first = booting.result()
        web_server()
        mark("set up")

        smtp_server.slow_down(SMTP_DELAY)
        held = smtp_server.hold_message(KILLED_AT)
        # The daily job, as beat starts it: plans the deadlines' reminders, and delivers
        # them with the round's invitations.
        send(first, "tracker.tasks.send_reminders")
        # The secretariat reminds the parties not done while the invitations go out.
        reminding = pool.submit(manage, env, "status_round", "remind", "--meeting", meeting)
        paths = wait_for(
            lambda: all(map(link, ANSWERING)) and {a: link(a) for a in ANSWERING},
            30,
            "the answering contacts' invitations",
        )
        browsers = {address: Browser(web_port, path) for address, path in paths.items()}
        anna, asta = (browsers[address].rows() for address in ANSWERING)
        assert anna and asta and not anna & asta
        for (address, browser), rows in zip(browsers.items(), (anna, asta), strict=True):
            threads.append(
                threading.Thread(target=answer_rows, args=(browser, address, rows, stop, answers))
            )
            threads[-1].start()
        mark("answering")
        # The worker that takes over boots meanwhile, as on a second host. It gets nothing
        # to do before the first one dies: the queue holds only the task the first one runs.
        standby = pool.submit(start_worker)

        # Kill 1: the worker dies while the SMTP server has not yet accepted an e-mail.
        assert held.wait(60), first.log()
        first.kill()
        kills += 1
        mark("worker killed")
        second = standby.result()
        send(second, "tracker.tasks.deliver_reminders")
        reminding.result()
        mark("second worker")

        wait_for(
            lambda: len(smtp_server.messages) >= KILLED_AT + REDIS_RESTART_AFTER,
            60,
            "the second worker to deliver",
        )
        # Redis loses every message it held (no persistence): the outbox, not the queue,
        # says what is owed, and the next delivery sends it.
        redis_server.restart()
        send(second, "tracker.tasks.deliver_reminders")
        mark("Redis restarted")

        wait_for(
            lambda: len(smtp_server.messages) >= KILLED_AT + POSTGRES_RESTART_AFTER,
            60,
            "the second worker to deliver after Redis came back",
        )
        # Kill 2: every database connection is cut, the worker's run's and the answers'.
        # This is the one duplicate window (README, "The one duplicate window"): if the
        # restart falls after the SMTP server accepted a digest and before the update that
        # marks its rows sent, that one digest is sent again once its rows are swept back.
        # With the SMTP server's pause it mostly does: the worker is waiting for the server
        # to accept a digest when its database connection is cut. The first kill cannot
        # duplicate: its e-mail was never accepted.
        chaos_postgres.restart()
        kills += 1
        mark("PostgreSQL restarted")
        smtp_server.slow_down(0)

        # Recovery: beat's delivery every second, until nothing is owed; rows the dead runs
        # claimed come back after REMINDER_SENDING_TIMEOUT.
        deadline = time.monotonic() + 60
        while outbox_busy(url):
            assert time.monotonic() < deadline, second.log()
            send(second, "tracker.tasks.deliver_reminders")
            time.sleep(1)
        mark("delivered")
    finally:
        stop.set()
        pool.shutdown()
        for thread in threads:
            thread.join(60)
        for worker in workers:
            worker.stop()

    # Answers that failed (on an error page while PostgreSQL was down) are given again.
    for answer in answers:
        for _ in range(3):
            if answer.confirmed:
                break
            browsers[answer.contact].answer(answer, retry=True)

    failed = [a for a in answers if a.failures]
    print(
        f"{len(answers)} answers, {len(failed)} failed at first: "
        + "; ".join(sorted({f for a in failed for f in a.failures}))
    )
    assert all(a.confirmed for a in answers), [a for a in answers if not a.confirmed]
    assert len(answers) >= 10

    # Every invitation was delivered. A recipient gets at most one e-mail of each kind here
    # (the invitation, which lists their deadlines too, and the reminder written while the
    # invitations went out, if theirs had gone already): each kill may have sent one
    # e-mail, of any kind, twice, and nothing else is sent twice.
    received = Counter(
        (address, kind(m.subject)) for m in smtp_server.messages for address in m.rcpt_tos
    )
    invitations = {address: n for (address, k), n in received.items() if k == INVITATION}
    duplicates = {key: n for key, n in received.items() if n > 1}
    print(f"{len(invitations)} invited, {len(smtp_server.messages)} e-mails, twice: {duplicates}")
    assert set(invitations) == invited
    assert all(n <= 1 + kills for n in invitations.values())
    assert sum(n - 1 for n in duplicates.values()) <= kills
    [(round_id,)] = query(url, f"SELECT id FROM {StatusRound._meta.db_table}")
    assert query(
        url,
        f"SELECT DISTINCT status FROM {Reminder._meta.db_table} WHERE step = %s",
        StatusRound(pk=round_id).invitation_step,
    ) == [(Reminder.Status.SENT,)]
    # Nor did any reminder give up.
    assert not query(
        url,
        f"SELECT recipient, step, last_error FROM {Reminder._meta.db_table} WHERE status = %s",
        Reminder.Status.FAILED,
    )

    # Every answer confirmed to its sender is a report by that contact in the record.
    recorded = set(
        query(
            url,
            "SELECT r.obligation_id, r.status, r.text, c.email "
            f"FROM {StatusReport._meta.db_table} r "
            f"JOIN {Contact._meta.db_table} c ON c.id = r.contact_id",
        )
    )
    missing = [a for a in answers if (a.obligation, a.status, a.text, a.contact) not in recorded]
    assert not missing
