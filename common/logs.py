"""Logging that keeps personal links out of every record.

A status round's answer page is opened by a personal link, `/svar/<token>/`, in which the
token is the credential (no login). Django logs the path of a refused request at WARNING
("Forbidden (CSRF cookie not set.): /svar/…/"), so the filter below masks the token in the
message and its arguments of every record that passes a handler; `mask_personal_links` does
the same for any other text that is written out (an access log line, a JSON field).
"""

import logging
import re

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
