"""The base of the management commands that read or write the database, and the one way
they read a day from their arguments."""

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from common.query import EARLIEST_DATE, LATEST_DATE, DayOutOfRange, bounded_day


class DatabaseCommand(BaseCommand):
    """A command that needs a migrated database: on one that is not, it says what to run
    instead of failing with "no such table" and a traceback."""

    requires_migrations_checks = True

    def check_migrations(self):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise CommandError(
                f"The database is not set up: {len(plan)} migration(s) not applied. "
                "Run `python manage.py migrate` first."
            )


def day_argument(text: str) -> datetime.date:
    """An argument's day, YYYY-MM-DD, within the days the tracker can count with (the
    addresses' bounds, `common.query`): the `type` of every command's date argument."""
    try:
        return bounded_day(text)
    except DayOutOfRange:
        raise argparse.ArgumentTypeError(
            f"Date {text} is out of range: use a day from {EARLIEST_DATE} to {LATEST_DATE}"
        ) from None
    except ValueError:
        # argparse reports this as a usage error; a CommandError here would be a traceback.
        raise argparse.ArgumentTypeError(
            f"Bad date {text!r}: write it as YYYY-MM-DD, e.g. 2024-03-12"
        ) from None
