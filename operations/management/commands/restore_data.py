from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_data into an empty, migrated database "
        "(run `manage.py migrate` first). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help="the backup file")

    def handle(self, *args, input: Path, **options):
        try:
            count = restore(input)
        except RestoreError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {count} records from {input}"))
