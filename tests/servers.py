"""Real servers on localhost for the tests: Redis, an SMTP server and a Celery worker.

Every wait here is bounded: a server that does not come up fails the test, it does not
hang it.
"""

import asyncio
import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

REDIS_SERVER = "/usr/bin/redis-server"
CELERY = str(Path(settings.BASE_DIR) / ".venv" / "bin" / "celery")
# How long the SMTP server holds a message it was asked to hold (see hold_message).
HOLD_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll condition() until it is truthy; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# Redis


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis_server(tmp_path):
    """A throw-away redis-server on a free port, without persistence."""
    port = free_port()
    process = subprocess.Popen(
        [
            *(REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)

    def pong():
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    try:
        wait_for(pong, 10, "redis-server to answer")
        yield RedisServer(port, process)
    finally:
        client.close()
        process.terminate()
        process.wait(10)


# SMTP


@dataclass
class Received:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        # Django folds a long encoded subject onto a continuation line, which
        # decodes with a leading space.
        return " ".join(str(self.message["Subject"]).split())

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    @property
    def obligation_ids(self) -> list[int]:
        """The obligations the message lists, in its order (each HTML item names its id)."""
        return [int(pk) for pk in re.findall(r'data-obligation="(\d+)"', self.html)]


class CollectingHandler:
    def __init__(self):
        self.messages: list[Received] = []
        self.refused: set[str] = set()
        self.delay = 0.0
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        if number == self.hold_at:
            self.held.set()
            # Leave the sender waiting for our answer. When it dies, aiosmtpd cancels
            # this coroutine: the message was never accepted, as with a real server.
            await asyncio.sleep(HOLD_TIMEOUT)
            return "451 4.3.0 Held too long"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class SMTPServer:
    host: str
    port: int
    handler: CollectingHandler

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[Received]:
        """The messages received for one recipient."""
        return [m for m in self.messages if address in m.rcpt_tos]

    def refuse(self, address: str) -> None:
        """Answer RCPT TO for this address with a permanent 550."""
        self.handler.refused.add(address.lower())

    def slow_down(self, seconds: float) -> None:
        """Take this long to accept each message."""
        self.handler.delay = seconds

    def hold_message(self, number: int) -> threading.Event:
        """Never answer the number-th message (from 1); the event is set when it arrives."""
        self.handler.hold_at = number
        return self.handler.held

    def env(self) -> dict[str, str]:
        """The environment that points another process at this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "0",
        }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost that keeps what it receives; Django mails to it."""
    handler = CollectingHandler()
    server = SMTPServer("127.0.0.1", free_port(), handler)
    controller = Controller(handler, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    try:
        yield server
    finally:
        controller.stop()


# Celery


def database_url() -> str:
    """The test database as a URL, for another process (the test database is a file)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


class CeleryWorker:
    """`celery -A config worker --pool solo` in a subprocess, against the test database."""

    def __init__(self, env: dict[str, str], log_path: Path, broker_url: str):
        self.env = env
        self.log_path = log_path
        self.broker_url = broker_url
        self.process: subprocess.Popen | None = None

    def start(self, **env: str) -> None:
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.log_path.write_text("")
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [
                    *(CELERY, "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat", "-n", name),
                ],
                cwd=settings.BASE_DIR,
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._ready, 30, "the Celery worker to start")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"The Celery worker exited:\n{self.log()}")
        return " ready." in self.log()

    def log(self) -> str:
        return self.log_path.read_text()

    def send(self, task: str, *args) -> None:
        """Put a task on the queue, as Celery beat does."""
        from config.celery import app

        with app.connection_for_write(self.broker_url) as conn:
            app.send_task(task, args=args, connection=conn)

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no cleanup."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def celery_worker(transactional_db, redis_server, smtp_server, tmp_path):
    """A Celery worker (not yet started) wired to the test's database, Redis and SMTP server.

    Use with a `django_db(transaction=True)` test, so that the worker sees its data.
    """
    env = {
        **os.environ,
        **smtp_server.env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "SITE_URL": settings.SITE_URL,
        "TASKFORCE_SECRETARIAT_EMAILS": ",".join(settings.TASKFORCE_SECRETARIAT_EMAILS),
        "PYTHONUNBUFFERED": "1",
    }
    worker = CeleryWorker(env, tmp_path / "celery.log", redis_server.url)
    try:
        yield worker
    finally:
        worker.stop()
