from pathlib import Path

from django.core.management.base import CommandError

from agreements.models import Forum
from common.commands import DatabaseCommand, day_argument
from meetings.render import render_html, render_pdf
from meetings.report import DEFAULT_FORUM_SLUG, UnknownFilter, build_report, find_filters
from meetings.word import render_docx

RENDERERS = {
    ".pdf": render_pdf,
    ".docx": render_docx,
    ".html": lambda report: render_html(report).encode(),
}


class Command(DatabaseCommand):
    help = (
        "Write the status report for a forum's meeting as PDF, Word (.docx) or HTML. A date "
        "with no recorded meeting gives the report as if the forum met that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meeting", required=True, metavar="YYYY-MM-DD", type=day_argument)
        parser.add_argument("--forum", default=DEFAULT_FORUM_SLUG, metavar="SLUG")
        parser.add_argument("--agreement", nargs="+", default=[], metavar="SLUG")
        parser.add_argument("--owner", nargs="+", default=[], metavar="SLUG")
        parser.add_argument(
            "--output", required=True, type=Path, metavar="FILE.pdf|FILE.docx|FILE.html"
        )

    def handle(self, *args, meeting, forum, agreement, owner, output: Path, **options):
        render = RENDERERS.get(output.suffix.lower())
        if render is None:
            raise CommandError(
                f"Unknown output extension {output.suffix or '(none)'!r}: use .pdf, .docx or .html"
            )
        found = Forum.objects.filter(slug=forum).first()
        if found is None:
            known = ", ".join(Forum.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"Unknown forum {forum!r}. Known forums: {known}")
        try:
            agreements, owners = find_filters(agreement, owner)
        except UnknownFilter as error:
            raise CommandError(f"Unknown {error.kind}: {', '.join(error.slugs)}") from None
        report = build_report(meeting, found, agreements=agreements, owners=owners)
        try:
            output.write_bytes(render(report))
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        kind = "preview (no meeting recorded that day)" if report.is_preview else "meeting"
        self.stderr.write(f"Wrote {output}: {kind}, {report.total} obligations")
