from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.archive import ArchiveError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore a backup_archive into an empty PostgreSQL database (created, not migrated) "
        "and an empty MEDIA_ROOT, and check every table's row count and every file's checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = restore_archive(archive)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and checked {len(manifest['tables'])} tables, {rows} rows, "
                f"{len(manifest['files'])} files"
            )
        )
