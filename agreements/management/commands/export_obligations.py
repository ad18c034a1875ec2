from pathlib import Path

from django.core.management.base import CommandError

from agreements.export import FORMATS, export
from common.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "Write every obligation as JSON, CSV or Excel (JSON to standard output by default)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "--output", type=Path, help="file to write; standard output if left out"
        )

    def handle(self, *args, format: str, output: Path | None, **options):
        data = export(format)
        if output is None:
            if format == "xlsx":
                raise CommandError("An Excel file needs --output FILE.xlsx")
            self.stdout.write(data.decode(), ending="")
            return
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"Wrote {output}")
