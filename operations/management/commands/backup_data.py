from pathlib import Path

from django.core.management.base import BaseCommand

from operations.backup import backup


class Command(BaseCommand):
    help = (
        "Write a backup of all the tracker's data, history included, as JSON "
        "(gzip-compressed when the file name ends in .gz). Restore with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="the backup file, e.g. backup.json.gz")

    def handle(self, *args, output: Path, **options):
        count = backup(output)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} records to {output}"))
