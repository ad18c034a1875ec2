"""Running management commands from tests, the way an operator does."""

import datetime
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def send_reminders(today: datetime.date, *flags: str) -> str:
    """`manage.py send_reminders --today <today>`; returns what it printed."""
    out = io.StringIO()
    call_command("send_reminders", "--today", today.isoformat(), *flags, stdout=out)
    return out.getvalue()


def send_reminders_at(day: datetime.date, hour: int = 7) -> str:
    """send_reminders as the daily job runs it: on that day, at that hour in Copenhagen."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=COPENHAGEN)
    with time_machine.travel(moment, tick=False):
        return send_reminders(day)
