import json
import sys

from django.core.management.base import BaseCommand

from agreements.dates import Relative, Unreadable, Window, read_phrase


def reading_record(phrase: str, year: int | None) -> dict:
    reading = read_phrase(phrase, year)
    record = {"phrase": phrase, "kind": None, "start": None, "end": None, "error": None}
    match reading:
        case Window(start=start, end=end):
            record.update(
                kind="window",
                start=start.isoformat() if start else None,
                end=end.isoformat() if end else None,
            )
        case Relative(to=to):
            record.update(kind="relative", relative_to=to)
        case Unreadable(error=error):
            record.update(kind="error", error=error)
    return record


class Command(BaseCommand):
    help = (
        "Read Danish time phrases from standard input, one a line, and write one JSON object "
        'a line: {"phrase", "kind": "window"|"relative"|"error", "start", "end", "error"}.'
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, help="the context year for phrases without one, e.g. 2017"
        )

    def handle(self, *args, year: int | None, **options):
        stdin = options.get("stdin") or sys.stdin
        for line in stdin:
            phrase = line.strip()
            if phrase:
                self.stdout.write(json.dumps(reading_record(phrase, year), ensure_ascii=False))
