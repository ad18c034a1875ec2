"""Logging that keeps personal links out of every record.

A status round's answer page is opened by a personal link, `/svar/<token>/`, in which the
token is the credential (no login). Django logs the path of a refused request at WARNING
("Forbidden (CSRF cookie not set.): /svar/…/"), so the filter below masks the token in the
message and its arguments of every record that passes a handler; `mask_personal_links` does
the same for any other text that is written out (an access log line, a JSON field).
With LOG_FORMAT=json every record is a JSON line (`JsonFormatter`), with the request's id
and user (`RequestLog`) or the Celery task's id.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from celery import current_task

# The token's place in an answer page's address, wherever the address stands in a text.
PERSONAL_LINK = re.compile(r"(/svar/)[^/\s?#\"'<>]+")
MASK = r"\1[skjult]"


def mask_personal_links(text: str) -> str:
    return PERSONAL_LINK.sub(MASK, text)


def _masked(value):
    if isinstance(value, str):
        return mask_personal_links(value)
    if isinstance(value, bytes | bytearray):
        return mask_personal_links(bytes(value).decode("utf-8", "replace"))
    if isinstance(value, tuple):
        return tuple(_masked(item) for item in value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    # Anything else (a request, a path object) is replaced by its masked text only when
    # its text holds a personal link, so that other arguments keep their format.
    if value is not None and not isinstance(value, int | float | bool):
        text = str(value)
        if PERSONAL_LINK.search(text):
            return mask_personal_links(text)
    return value


class HidePersonalLinks(logging.Filter):
    """Masks personal links in a record's message, arguments and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_personal_links(record.msg)
        if record.args:
            record.args = _masked(record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_links(record.exc_text)
        return True


# Logs as JSON lines (LOG_FORMAT=json): one object a record, with the request or task it
# belongs to. The request's id and user are set by RequestLog below for the request's
# thread (a context variable); a Celery task's id comes from Celery's current task.

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)

# Fields a record may carry by `extra=`, written as they are.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms")
# An id given by the proxy in front is kept when it looks like one; else a new one is made.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_personal_links(record.getMessage()),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if "path" in entry:
            entry["path"] = mask_personal_links(str(entry["path"]))
        if (value := request_id.get()) is not None:
            entry["request_id"] = value
        if (value := user_id.get()) is not None:
            entry["user_id"] = value
        if current_task and current_task.request.id:
            entry["task_id"] = current_task.request.id
            entry["task"] = current_task.name
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = mask_personal_links(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


requests_logger = logging.getLogger("tracker.requests")


class RequestLog:
    """Gives each request an id (also in the X-Request-ID response header) and logs one line
    for it when it is done: method, path (personal links masked), status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request_token = request_id.set(request.id)
        user_token = user_id.set(None)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                user_id.set(user.pk)
            requests_logger.info(
                "%s %s %s",
                request.method,
                mask_personal_links(request.path),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            response["X-Request-ID"] = request.id
            return response
        finally:
            request_id.reset(request_token)
            user_id.reset(user_token)


def scrub_event(event, hint):
    """Sentry's before_send: no personal link anywhere in what is sent."""
    return json.loads(mask_personal_links(json.dumps(event, default=str)))
