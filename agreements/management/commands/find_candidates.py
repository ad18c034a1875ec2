import json
from pathlib import Path

from django.core.management.base import CommandError

from agreements.candidates import LOW_SCORE, find_candidates
from agreements.reading import UnreadableFile, check_file_size, read_agreement_file
from common.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "List every clause of an agreement text (.txt, also OCR-mangled, or .pdf) that carries "
        "a time phrase: the clause, the phrase, its window, the actors and a guess at the kind."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--year", type=int, help="context year for phrases without one")

    def handle(self, *args, path: Path, format: str, year: int | None, **options):
        try:
            check_file_size(path.stat().st_size)
            text = read_agreement_file(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except UnreadableFile as error:
            raise CommandError(f"{path}: {error}") from None
        candidates = find_candidates(text, year)
        if format == "json":
            data = [c.as_json() for c in candidates]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for c in candidates:
            dated = c.start or c.end
            when = (
                f"{c.start or '…'} – {c.end or '…'}" if dated else f"relative to: {c.relative_to}"
            )
            low = " (low priority: " + ", ".join(c.flags) + ")" if c.score < LOW_SCORE else ""
            self.stdout.write(f"» {c.phrase} « [{when}] {c.kind}{low}")
            self.stdout.write(f"   Actors: {', '.join(c.actors) or 'none named'}")
            self.stdout.write(f"   {c.quote}\n")
        self.stdout.write(f"{len(candidates)} candidates.")
