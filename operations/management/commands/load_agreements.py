from pathlib import Path

from django.core.management.base import CommandError

from agreements.checks import InvalidData
from agreements.loading import FIXTURES_DIR
from common.commands import DatabaseCommand
from operations.loading import load_agreements


class Command(DatabaseCommand):
    help = (
        "Load or update the parties, forums and captured agreements from the fixture files, "
        "in one transaction. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES_DIR, help="fixtures folder")
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="also load the publicly known outcomes (status_history.yaml)",
        )

    def handle(self, *args, fixtures: Path, with_history: bool, **options):
        try:
            summary = load_agreements(fixtures, with_history=with_history)
        except InvalidData as error:
            problems = "\n".join(f"  - {p}" for p in error.problems)
            raise CommandError(
                f"{len(error.problems)} problem(s) in the fixtures; nothing was loaded:\n{problems}"
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Done: {summary.changed} change(s).")
            if summary.changed
            else "Nothing changed."
        )
