import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from agreements.models import Forum
from common.commands import DatabaseCommand
from meetings.management.commands.taskforce_report import parse_date
from meetings.models import Meeting
from meetings.report import DEFAULT_FORUM_SLUG
from tracker.models import StatusRound
from tracker.rounds import opening, progress


class Command(DatabaseCommand):
    help = (
        "The status round before a forum's meeting: open it (every owner is asked, by "
        "e-mail through the outbox), show where it stands per party, send a reminder to "
        "the parties not done, or close it."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (
            ("open", "open the round (records the meeting if none is recorded that day)"),
            ("show", "print one line per party: <party>: besvaret X/Y"),
            ("remind", "remind the contacts of the parties that have not answered everything"),
            ("close", "close the round: the links stop working; lists what was not answered"),
        ):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("--meeting", required=True, metavar="YYYY-MM-DD", type=parse_date)
            sub.add_argument("--forum", default=DEFAULT_FORUM_SLUG, metavar="SLUG")
            if name == "open":
                sub.add_argument(
                    "--answer-by",
                    metavar="YYYY-MM-DD",
                    type=parse_date,
                    help="default: 14 days before the meeting, and never before today",
                )

    def handle(self, *args, action, meeting, forum, **options):
        found = Forum.objects.filter(slug=forum).first()
        if found is None:
            known = ", ".join(Forum.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"Unknown forum {forum!r}. Known forums: {known}")
        if action == "open":
            return self.open(found, meeting, options.get("answer_by"))
        status_round = StatusRound.objects.filter(forum=found, meeting_date=meeting).first()
        if status_round is None:
            raise CommandError(
                f"No status round before {found.slug}'s meeting on {meeting}: "
                f"open one with `status_round open --meeting {meeting}`"
            )
        if action == "show":
            for party in progress.progress(status_round):
                self.stdout.write(party.line())
            answered = status_round.items.filter(answered_at__isnull=False).count()
            state = "open" if status_round.is_open else "closed"
            self.stderr.write(
                f"Round {state}, answer by {status_round.answer_by}: "
                f"{answered}/{status_round.items.count()} answered"
            )
        elif action == "remind":
            if not status_round.is_open:
                raise CommandError("The round is closed: there is nobody to remind.")
            written = progress.remind(status_round)
            self.stderr.write(
                f"Reminder queued: {written} outbox rows"
                if written
                else "No reminder: everything is answered, or one was sent today"
            )
        else:
            for party in progress.close(status_round):
                self.stdout.write(party.line())
                for obligation in party.unanswered:
                    self.stdout.write(
                        f"  ikke besvaret: {obligation.action} ({obligation.agreement})"
                    )
            self.stderr.write("Round closed: its links no longer work")

    def open(self, forum: Forum, meeting: datetime.date, answer_by: datetime.date | None):
        today = timezone.localdate()
        try:
            opening.check_dates(
                forum, meeting, answer_by or opening.default_answer_by(meeting, today), today
            )
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from None
        with transaction.atomic():
            recorded, created = Meeting.objects.get_or_create(forum=forum, date=meeting)
            status_round = opening.open_round(forum, meeting, answer_by, today=today)
        self.stderr.write(
            f"{'Recorded the meeting and opened' if created else 'Opened'} the round before "
            f"{recorded}: {status_round.items.count()} obligations, answer by "
            f"{status_round.answer_by}; the invitations go out with the next delivery"
        )
        for party in progress.progress(status_round):
            self.stdout.write(party.line())
