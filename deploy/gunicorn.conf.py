"""gunicorn's configuration for the tracker in production (Procfile.production, deploy/*.service).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py config.wsgi

Read from the environment like the tracker's settings, failing loudly on a bad value.
"""

import multiprocessing
import os

from gunicorn import glogging

from common.logs import mask_personal_links
from config.settings import envbool, envint

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: the tracker's requests are short and database-bound, apart from a
# report's PDF, which takes a worker for its seconds.
workers = envint("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count() + 1, 8)))
# A worker silent this long is killed and replaced; the longest request (a large
# Taskforce report as PDF) takes well under half of it.
timeout = envint("GUNICORN_TIMEOUT", "60")
graceful_timeout = 30
keepalive = 5
# Replace workers now and then, so that a slow leak in a library never grows large.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto and the other forwarded headers are believed only from these addresses
# (the reverse proxy); from anyone else they are ignored. Django's own reading of
# X-Forwarded-For (the login throttle) is set by TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# One access log line a request, on standard output, unless the tracker logs requests as
# JSON itself (LOG_FORMAT=json: its line has the request id, the user and the duration).
accesslog = None if os.environ.get("LOG_FORMAT", "text") == "json" else "-"
errorlog = "-"
capture_output = envbool("GUNICORN_CAPTURE_OUTPUT", "0")


class MaskedAccessLog(glogging.Logger):
    """gunicorn's logger with the token of a personal answer link masked (/svar/<token>/)."""

    def atoms(self, resp, req, environ, request_time):
        return {
            key: mask_personal_links(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = MaskedAccessLog
