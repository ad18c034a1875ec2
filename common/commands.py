"""The base of the management commands that read or write the database."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


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
