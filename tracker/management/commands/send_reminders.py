import argparse
import datetime

from common.commands import DatabaseCommand
from tracker.reminders import run_reminders


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        # argparse turns this into a usage error ("error: argument --today: ..."), not a
        # traceback; a CommandError raised here would escape argparse.
        raise argparse.ArgumentTypeError(f"must be a date like 2024-06-30, not {value!r}") from None


class Command(DatabaseCommand):
    help = (
        "Plan every e-mail reminder due up to today and send one digest per recipient "
        "(what Celery beat runs daily). Prints what it sends."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=iso_date, help="Plan as if it were this day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; change nothing."
        )

    def handle(self, *args, today: datetime.date | None, dry_run: bool, **options):
        digests = run_reminders(today, dry_run=dry_run)
        for digest in digests:
            line = (
                f"{digest.outcome.capitalize()}: {digest.recipient}, "
                f"{digest.overdue_count} overskredet, {digest.due_soon_count} forfalder snart"
            )
            if digest.error:
                line += f" ({digest.error})"
            self.stdout.write(line)
            for item in digest.items:
                self.stdout.write(
                    f"  {item.deadline:%d.%m.%Y} {item.obligation.agreement}: "
                    f"{item.obligation.action}"
                )
            unlisted = digest.overdue_count + digest.due_soon_count - len(digest.items)
            if unlisted:
                self.stdout.write(f"  … og {unlisted} flere")
        if not digests:
            self.stdout.write("Ingen påmindelser at sende.")
