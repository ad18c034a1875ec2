"""SENTRY_DSN: errors go to Sentry (here a local server that speaks its envelope protocol),
with the Django and Celery integrations, beat's tasks as monitors, and no personal data."""

import gzip
import http.server
import subprocess
import sys
import threading
import zlib

import pytest

from tests.paths import ROOT
from tests.servers import database_url, free_port

REPORT = """
import django
django.setup()
import sentry_sdk

client = sentry_sdk.get_client()
print("PII", client.options["send_default_pii"])
print("INTEGRATIONS", " ".join(sorted(client.integrations)))
print("MONITOR_BEAT", client.integrations["celery"].monitor_beat_tasks)
try:
    raise RuntimeError("Svar ikke gemt for /svar/hemmeligtoken123/")
except RuntimeError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(10)
"""


class Envelopes(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.django_db(transaction=True)
def test_an_error_reaches_sentry_without_the_personal_link():
    port = free_port()
    server = http.server.HTTPServer(("127.0.0.1", port), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = subprocess.run(
            [sys.executable, "-c", REPORT],
            cwd=ROOT,
            env={
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": database_url(),
                "SENTRY_DSN": f"http://offentlignoegle@127.0.0.1:{port}/1",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "PII False" in result.stdout
    integrations = result.stdout.split("INTEGRATIONS")[1].split()
    assert {"django", "celery"} <= set(integrations)
    assert "MONITOR_BEAT True" in result.stdout
    sent = b"".join(Envelopes.received).decode()
    assert "Svar ikke gemt for /svar/[skjult]/" in sent
    assert "hemmeligtoken123" not in sent
