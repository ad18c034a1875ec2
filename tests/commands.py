"""Running management commands from tests, the way an operator does."""

import datetime
import io

from django.core.management import call_command


def send_reminders(today: datetime.date, *flags: str) -> str:
    """`manage.py send_reminders --today <today>`; returns what it printed."""
    out = io.StringIO()
    call_command("send_reminders", "--today", today.isoformat(), *flags, stdout=out)
    return out.getvalue()
