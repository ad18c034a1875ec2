from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.archive import ArchiveError, backup_archive


class Command(BaseCommand):
    help = (
        "Back up PostgreSQL and the evidence files together in one tar file (only its owner "
        "may read it), with each table's row count and each file's checksum. Restore it with "
        "restore_archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="the archive, e.g. tracker-backup.tar")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup_archive(output)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {len(manifest['tables'])} tables, {rows} rows, "
                f"{len(manifest['files'])} files"
            )
        )
