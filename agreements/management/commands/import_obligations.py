from pathlib import Path

from django.core.management.base import CommandError

from agreements.checks import InvalidData
from agreements.importing import import_obligations
from common.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Create or update obligations from a CSV or Excel file in export_obligations' format, "
        "all or nothing. Windows come from the phrases; status only from status reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check, show, save nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist")
        try:
            summary = import_obligations(file, dry_run=dry_run)
        except InvalidData as error:
            problems = "\n".join(f"  - {p}" for p in error.problems)
            raise CommandError(
                f"{len(error.problems)} problem(s); nothing was imported:\n{problems}"
            ) from None
        for label in summary.created:
            self.stdout.write(f"created  {label}")
        for label in summary.updated:
            self.stdout.write(f"updated  {label}")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {len(summary.created)} created, {len(summary.updated)} updated, "
            f"{summary.unchanged} unchanged."
        )
