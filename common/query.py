"""What a value in an address may be before it reaches the database.

One home for reading ids, dates and numbers from a query string within the bounds every
database can hold (SQLite's and PostgreSQL's integers are 64-bit; Python's dates end at year
9999), and the middleware that refuses, before any view, an address holding a NUL or another
control character (PostgreSQL cannot take a NUL in a query) or a number no column can hold.
A value refused here is a 400 with a Danish sentence naming the parameter, never a 500.
"""

import datetime
import re

from django.http import HttpResponseBadRequest

from common.validation import CONTROL

# The largest value of a 64-bit integer column, on SQLite and PostgreSQL alike.
INTEGER_MAX = 2**63 - 1
# The days a report or a filter can be about: wide, and far from the ends of Python's dates,
# so that a year, a month or a week either side of them can still be counted.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)

_INTEGER = re.compile(r"[+-]?[0-9]+")


class BadQueryValue(ValueError):
    """A value in the address that cannot be used; its message is the Danish answer."""


def bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def parse_id(text: str | None) -> int | None:
    """A record's id from the address: a positive whole number in ASCII digits that a
    column can hold, else None (a filter then shows no rows)."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= INTEGER_MAX else None


class DayOutOfRange(ValueError):
    """A real day, but outside EARLIEST_DATE … LATEST_DATE."""


def bounded_day(text: str) -> datetime.date:
    """A day written YYYY-MM-DD within EARLIEST_DATE … LATEST_DATE: the one reading of a day
    from an address (`parse_date`) or a command's argument (`common.commands.day_argument`),
    each of which words the refusal for its reader. ValueError when it is no day at all."""
    day = datetime.date.fromisoformat(text)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise DayOutOfRange(text)
    return day


def parse_date(text: str, name: str) -> datetime.date:
    """A day written ÅÅÅÅ-MM-DD, between EARLIEST_DATE and LATEST_DATE."""
    try:
        return bounded_day(text)
    except DayOutOfRange:
        raise BadQueryValue(
            f"Datoen {text} ligger uden for det, trackeren kan vise: vælg en dag mellem "
            f"{EARLIEST_DATE:%d.%m.%Y} og {LATEST_DATE:%d.%m.%Y}."
        ) from None
    except ValueError:
        raise BadQueryValue(
            f"Ugyldig {name} »{text}«: skriv den som ÅÅÅÅ-MM-DD, fx 2024-03-12."
        ) from None


def check_date_parts(query: dict, field: str) -> None:
    """The admin's date drill-down (`<field>__year`, `__month`, `__day`) within the bounds."""
    parts = [(query.get(f"{field}__{part}") or [""])[-1] for part in ("year", "month", "day")]
    if not parts[0]:
        return
    numbers = [p for p in parts if p]
    if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in numbers):
        raise BadQueryValue("Datoen i adressen skal skrives med tal (år, måned, dag).")
    year, month, day = (int(p) if p else 1 for p in parts)
    try:
        chosen = datetime.date(year, month, day)
    except ValueError:
        raise BadQueryValue(f"Datoen {'-'.join(numbers)} findes ikke.") from None
    if not EARLIEST_DATE <= chosen <= LATEST_DATE:
        raise BadQueryValue(
            f"Året {year} ligger uden for det, trackeren kan vise: vælg et år mellem "
            f"{EARLIEST_DATE.year} og {LATEST_DATE.year}."
        )


def refusal(path: str, query: dict) -> str | None:
    """Why an address cannot be answered, or None: a control character in the path or in a
    parameter's name or value, or a whole number larger than a database column holds."""
    if CONTROL.search(path):
        return "Adressen indeholder et usynligt kontroltegn og kan ikke bruges."
    for name, values in query.items():
        for value in [name, *values]:
            if CONTROL.search(value):
                return (
                    f"Værdien af »{printable_name(name)}« i adressen indeholder et usynligt "
                    "kontroltegn og kan ikke bruges."
                )
        for value in values:
            if _INTEGER.fullmatch(value) and abs(int(value)) > INTEGER_MAX:
                return (
                    f"Tallet i »{printable_name(name)}« er for stort: det må højst være "
                    f"{INTEGER_MAX}."
                )
        if name.endswith("__year"):
            try:
                check_date_parts(query, name.removesuffix("__year"))
            except BadQueryValue as refused:
                return str(refused)
    return None


def printable_name(name: str) -> str:
    return CONTROL.sub("?", name)[:50]


class RefuseBadAddresses:
    """Answers 400 to an address no view can use (see `refusal`), before any view runs, and
    turns a BadQueryValue raised by a view into its 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        why = refusal(request.path, dict(request.GET.lists()))
        if why:
            return bad_request(why)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadQueryValue):
            return bad_request(str(exception))
        return None
