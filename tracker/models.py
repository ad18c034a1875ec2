"""What happens against the promises: status reports, reminders, calendar feeds."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from agreements.models import Contact, Forum, Obligation, Party
from agreements.status import CLOSED, OPEN, Status, status_label
from common.validation import LINK_MAX_LENGTH, validate_link, validate_text
from tracker.evidence import evidence_path, validate_evidence


class StatusReportQuerySet(models.QuerySet):
    def latest_first(self):
        """Newest registered first: the order "the latest report" is read in."""
        return self.order_by("-reported_at", "-pk")

    def in_force(self):
        """Reports that set their obligation's status: all but a reopening of a confirmed
        closing that the secretariat has not confirmed (awaiting review, or sent back)."""
        return self.exclude(reopening=True, confirmed_at__isnull=True)

    def in_force_by(self, moment):
        """As `in_force`, as it stood at a moment: a reopening confirmed later did not yet
        count then."""
        return self.exclude(
            models.Q(reopening=True)
            & (models.Q(confirmed_at__isnull=True) | models.Q(confirmed_at__gte=moment))
        )


class StatusReport(models.Model):
    """A report on an obligation. The latest one registered is its current status.

    The record is appended to: the server sets the time a report is registered, and the
    obligation, author and that time never change. Only the secretariat may say that a
    report holds from an earlier day ("gældende fra"), with a reason the report shows. A
    closing status (færdiggjort, videreført i ændret form, bortfaldet) is a claim until the
    secretariat confirms it, or sends it back with a reason, in its review
    (`tracker.completion`, which holds the rules for every path that writes a report).
    """

    # Set from the database on every save, whatever the instance holds.
    FIXED = ("obligation_id", "author_id", "contact_id", "status_round_id", "reported_at")

    obligation = models.ForeignKey(
        Obligation,
        verbose_name="forpligtelse",
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="forfatter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    # An answer in a status round is written by a party's contact, who has no login.
    contact = models.ForeignKey(
        Contact,
        verbose_name="forfatter (kontaktperson)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="status_reports",
    )
    status_round = models.ForeignKey(
        "StatusRound",
        verbose_name="givet i statusrunden",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="reports",
    )
    # Only in reports written before an "uændret" answer became a confirmation of its own
    # (`RoundAnswer`): such answers are no longer status reports.
    unchanged = models.BooleanField(
        "uændret",
        default=False,
        editable=False,
        help_text="Svaret i statusrunden var, at intet er ændret: status står ved magt.",
    )
    # An open status written while the obligation stood at a confirmed closing status: a
    # claim, as closing is, that counts only once the secretariat confirms it.
    reopening = models.BooleanField(
        "genåbning",
        default=False,
        editable=False,
        help_text="En åben status skrevet efter en bekræftet afslutning: gælder først, når "
        "sekretariatet har bekræftet den.",
    )
    reported_at = models.DateTimeField(
        "registreret", default=timezone.now, editable=False, db_index=True
    )
    status = models.CharField("status", max_length=14, choices=Status.choices)
    text = models.TextField("beskrivelse", blank=True, validators=[validate_text])
    evidence_url = models.URLField(
        "dokumentation (link)",
        max_length=LINK_MAX_LENGTH,
        blank=True,
        validators=[validate_link],
    )
    evidence_file = models.FileField(
        "dokumentation (fil)",
        upload_to=evidence_path,
        validators=[validate_evidence],
        blank=True,
        max_length=200,
    )
    source = models.CharField(
        "kilde",
        max_length=300,
        blank=True,
        validators=[validate_text],
        help_text="For offentligt kendte udfald: hvor det står, fx SUU Alm.del 2019-20 Bilag 56.",
    )
    effective_from = models.DateField(
        "gældende fra",
        null=True,
        blank=True,
        help_text="Kun sekretariatet: den dag rapporten gælder fra, hvis den beskriver en "
        "tidligere dag end den, den registreres. Angiv begrundelsen.",
    )
    effective_reason = models.CharField(
        "begrundelse for gældende fra", max_length=300, blank=True, validators=[validate_text]
    )
    # When the report holds from: the start of effective_from, or else the registration.
    # Reports as of a day (the Taskforce's report for a meeting) are read by this.
    effective_at = models.DateTimeField("gælder fra", editable=False)
    # A closing status is a claim until the secretariat confirms it, or returns it with a
    # reason (which also makes a new report with the open status it goes back to).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bekræftet af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmed_reports",
    )
    confirmed_at = models.DateTimeField("bekræftet", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sendt tilbage af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returned_reports",
    )
    returned_at = models.DateTimeField("sendt tilbage", null=True, blank=True)
    returned_reason = models.TextField(
        "begrundelse for at sende tilbage", blank=True, validators=[validate_text]
    )
    # Set by the secretariat: the text (and evidence) may be shown on the public pages once
    # the obligation's agreement is published. The status itself is public without it.
    public = models.BooleanField(
        "offentlig tekst",
        default=False,
        help_text="Kun sekretariatet: beskrivelsen og dokumentationen må vises på de "
        "offentlige sider, når aftalen er offentliggjort.",
    )
    version = models.PositiveIntegerField("version", default=1)
    history = HistoricalRecords()

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = "statusrapport"
        verbose_name_plural = "statusrapporter"
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["obligation", "-reported_at"], name="report_latest")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.holds_from():%d.%m.%Y})"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self._state.adding or self.pk is None:
                self.reported_at = timezone.now()
                self.reopening = self.reopens()
            else:
                self._keep_what_is_fixed()
            self.effective_at = self.holds_from_moment()
            super().save(*args, **kwargs)
            self.obligation.refresh_status()

    def get_absolute_url(self) -> str:
        return reverse("admin:agreements_obligation_change", args=[self.obligation_id])

    def _keep_what_is_fixed(self) -> None:
        stored = (
            type(self)
            .objects.filter(pk=self.pk)
            .values(*self.FIXED, "status", "reopening", "confirmed_at", "returned_at")
            .first()
        )
        if stored is None:
            return
        for name in (*self.FIXED, "reopening"):
            setattr(self, name, stored[name])
        reviewed = stored["confirmed_at"] or stored["returned_at"]
        if reviewed and self.status != stored["status"]:
            raise ValidationError(
                {"status": "Rapporten er behandlet af sekretariatet; dens status ligger fast."}
            )

    def reopens(self) -> bool:
        """Whether this new report's open status would reopen a confirmed closing: read
        from the database, whatever the instance of the obligation holds."""
        if self.status not in OPEN:
            return False
        return Obligation.objects.filter(
            pk=self.obligation_id, status__in=CLOSED, closure_confirmed=True
        ).exists()

    def holds_from_moment(self) -> datetime.datetime:
        if self.effective_from is None:
            return self.reported_at
        midnight = datetime.datetime.combine(self.effective_from, datetime.time())
        return timezone.make_aware(midnight)

    def holds_from(self) -> datetime.date:
        """The day the report holds from: its "gældende fra", or the day it was registered."""
        return self.effective_from or timezone.localdate(self.reported_at)

    def written_by(self) -> str:
        """Who wrote the report: the user, or the contact who answered in a status round."""
        if self.pk is None:
            return "–"
        if self.contact_id:
            return f"{self.contact.name} ({self.contact.party}, svar i statusrunden)"
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return "ukendt"

    written_by.short_description = "forfatter"

    @property
    def is_claim(self) -> bool:
        """A closing status, or a reopening of a confirmed one: the secretariat reviews it."""
        return self.status in CLOSED or self.reopening

    @property
    def is_reviewed(self) -> bool:
        return bool(self.confirmed_at or self.returned_at)

    def status_label(self) -> str:
        """The status in words, telling a claimed closing status (or reopening) from a
        confirmed one."""
        return status_label(
            self.status,
            confirmed=bool(self.confirmed_at),
            returned=bool(self.returned_at),
            reopening=self.reopening,
        )

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.obligation.refresh_status()
        return result


class Reminder(models.Model):
    """One reminder owed to one recipient: the outbox row, written before the mail is sent.

    The unique key (obligation, step, deadline, recipient) makes planning idempotent;
    the status moves pending -> sending (claimed) -> sent, or back to pending with a
    later next_attempt_at after a failure, or to failed after too many; cancelled when
    the obligation closed or its deadline moved before the reminder went out (and back
    to pending if it is owed again).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Afventer"
        SENDING = "sending", "Sendes"
        SENT = "sent", "Sendt"
        FAILED = "failed", "Fejlet"
        CANCELLED = "cancelled", "Annulleret"

    obligation = models.ForeignKey(
        Obligation,
        verbose_name="forpligtelse",
        on_delete=models.CASCADE,
        related_name="reminders",
        # The unique key starts with the obligation and serves as its index: one index
        # fewer to write for each of the many rows a reminder run adds and updates.
        db_index=False,
    )
    recipient = models.EmailField("modtager")
    step = models.CharField(
        "trin",
        max_length=40,
        help_text="Trinnet i rækken af påmindelser: fx before-30, due, overdue-2024-06-03 "
        "(ugentlig) eller escalation; round-7 er invitationen til statusrunde 7, "
        "round-7-2027-01-05 dens påmindelse den dag.",
    )
    deadline = models.DateField("frist")
    status = models.CharField(
        "tilstand", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    last_error = models.TextField("seneste fejl", blank=True)
    next_attempt_at = models.DateTimeField("næste forsøg", default=timezone.now)
    claimed_at = models.DateTimeField("taget til afsendelse", null=True, blank=True)
    claimed_by = models.CharField("taget af", max_length=64, blank=True)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)
    created_at = models.DateTimeField("planlagt", auto_now_add=True)

    class Meta:
        verbose_name = "påmindelse"
        verbose_name_plural = "påmindelser"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Recipient last: planning asks whether an obligation's step for its deadline
            # is in the outbox at all, which this key's first three columns answer.
            models.UniqueConstraint(
                fields=["obligation", "step", "deadline", "recipient"], name="unique_reminder"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminder_due"),
            # A run claims one recipient's due rows at a time: both equalities and the
            # range in one index, so the claim never walks every pending row.
            models.Index(
                fields=["recipient", "status", "next_attempt_at"], name="reminder_recipient_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_label()} til {self.recipient}: {self.obligation_id}"

    def step_label(self) -> str:
        kind, _, days = self.step.partition("-")
        if kind == "round":
            number, _, day = days.partition("-")
            if day:
                day = datetime.date.fromisoformat(day)
                return f"Statusrunde {number}: påmindelse {day:%d.%m.%Y}"
            return f"Statusrunde {number}: invitation"
        if kind == "before":
            return f"{days} dage før fristen"
        if kind == "overdue":
            return f"Overskredet, ugen fra {datetime.date.fromisoformat(days):%d.%m.%Y}"
        if kind == "escalation":
            return "Eskalering"
        return "På dagen"


class ReminderPlan(models.Model):
    """How far planning has gone for one obligation: the owners' latest step written to
    the outbox and the deadline it was for, and the deadline whose escalation was.

    One row per obligation, so a run finds what is new by comparing each due obligation
    with its own row, at a cost that follows the number of obligations, not the outbox,
    which keeps every reminder ever sent. The outbox's unique key stays the guarantee
    against doubles; this row only saves asking it. Cancelling an obligation's reminders
    clears its row, so that a step owed again is planned (and its row revived).
    """

    obligation = models.OneToOneField(
        Obligation,
        verbose_name="forpligtelse",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reminder_plan",
    )
    # Nullable: planning writes a plan with NULL for what stays as it was (an escalation
    # alone leaves the owners' step), and a NULL must pass before the row meets its
    # conflict.
    step = models.CharField("seneste trin", max_length=20, null=True)
    deadline = models.DateField("for fristen", null=True)
    escalated = models.DateField("eskaleret for fristen", null=True)

    class Meta:
        verbose_name = "påmindelsesplan"
        verbose_name_plural = "påmindelsesplaner"

    def __str__(self) -> str:
        return f"{self.obligation_id}: {self.step} ({self.deadline})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret, revocable address at which a party subscribes to its deadlines."""

    party = models.ForeignKey(
        Party, verbose_name="part", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(
        "hemmelig nøgle", max_length=64, unique=True, default=new_feed_token, editable=False
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    revoked_at = models.DateTimeField("tilbagekaldt", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "kalenderlink"
        verbose_name_plural = "kalenderlinks"
        ordering = ["party", "-created_at"]

    def __str__(self) -> str:
        return f"Kalender for {self.party}"

    def get_absolute_url(self) -> str:
        return reverse("calendar-feed", args=[self.token])

    def url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class StatusRound(models.Model):
    """Before a forum's meeting, every owner is asked where its open obligations stand.

    The round belongs to the meeting of its forum on its day (`meetings.Meeting` has the
    same key: forum and date). It covers the open obligations of the agreements that are
    not closed out when it opens, one `RoundItem` each; every contact of an owning party
    gets a personal link (`RoundLink`) to its party's answer page until the round closes.
    """

    forum = models.ForeignKey(
        Forum, verbose_name="forum", on_delete=models.PROTECT, related_name="status_rounds"
    )
    meeting_date = models.DateField("mødedato")
    answer_by = models.DateField("svarfrist")
    opened_at = models.DateTimeField("åbnet", auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="åbnet af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField("lukket", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lukket af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reminder sent by itself before the answer-by date: once per round.
    auto_reminded_on = models.DateField("automatisk påmindet", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "statusrunde"
        verbose_name_plural = "statusrunder"
        ordering = ["-meeting_date", "forum"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "meeting_date"], name="unique_status_round_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Statusrunde før {self.forum} {self.meeting_date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("admin:tracker_statusround_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def invitation_step(self) -> str:
        """The outbox step of the round's invitation (see Reminder.step)."""
        return f"round-{self.pk}"

    def reminder_step(self, day: datetime.date) -> str:
        return f"round-{self.pk}-{day.isoformat()}"


class RoundItem(models.Model):
    """One obligation asked in a round, and where its answers stand.

    Every answer is kept as given (`RoundAnswer`, appended, never rewritten); the item
    points to the latest and counts them in `version`, which the answer page carries for
    each row so that an answer given meanwhile by a colleague is never saved over."""

    status_round = models.ForeignKey(
        StatusRound, verbose_name="statusrunde", on_delete=models.CASCADE, related_name="items"
    )
    obligation = models.ForeignKey(
        Obligation,
        verbose_name="forpligtelse",
        on_delete=models.CASCADE,
        related_name="round_items",
    )
    answered_at = models.DateTimeField("besvaret", null=True, blank=True)
    answered_by = models.ForeignKey(
        Contact,
        verbose_name="besvaret af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The status report the latest answer became (none for "uændret").
    report = models.OneToOneField(
        StatusReport,
        verbose_name="statusrapport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_item",
    )
    latest_answer = models.ForeignKey(
        "RoundAnswer",
        verbose_name="seneste svar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # How many answers have been given: the number of the latest.
    version = models.PositiveIntegerField("version", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "forpligtelse i statusrunden"
        verbose_name_plural = "forpligtelser i statusrunden"
        constraints = [
            models.UniqueConstraint(fields=["status_round", "obligation"], name="unique_round_item")
        ]

    def __str__(self) -> str:
        return f"{self.status_round}: {self.obligation}"

    @property
    def answer(self) -> str:
        """besvaret, uændret or ikke besvaret."""
        if self.answered_at is None:
            return ANSWER_NONE
        if self.latest_answer_id:
            return ANSWER_UNCHANGED if self.latest_answer.unchanged else ANSWER_GIVEN
        return ANSWER_UNCHANGED if self.report and self.report.unchanged else ANSWER_GIVEN


class RoundAnswer(models.Model):
    """One answer given in a round to one obligation, by one contact, at one time.

    A new status becomes a status report by the contact (`report`); "uændret" is a dated
    confirmation that the status stands, and writes no report: it moves no status date and
    touches no text, evidence or public field."""

    item = models.ForeignKey(
        RoundItem, verbose_name="forpligtelse i runden", on_delete=models.CASCADE,
        related_name="answers",
    )  # fmt: skip
    number = models.PositiveIntegerField("nr.")
    contact = models.ForeignKey(
        Contact,
        verbose_name="kontaktperson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    given_at = models.DateTimeField("givet", default=timezone.now)
    unchanged = models.BooleanField("uændret", default=False)
    # The status given, or (for "uændret") the status confirmed as it stood.
    status = models.CharField("status", max_length=14, choices=Status.choices)
    report = models.ForeignKey(
        StatusReport,
        verbose_name="statusrapport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_answers",
    )

    class Meta:
        verbose_name = "svar i statusrunden"
        verbose_name_plural = "svar i statusrunden"
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="unique_round_answer_number")
        ]

    def __str__(self) -> str:
        return self.describe()

    def by(self) -> str:
        if self.contact_id is None:
            return "en kontaktperson"
        return f"{self.contact.name} ({self.contact.party})"

    def describe(self) -> str:
        """The answer in words: "uændret, bekræftet 3. december 2026 af …", or "besvaret
        »Forsinket« 3. december 2026 af …"."""
        day = date_format(timezone.localtime(self.given_at), "j. F Y")
        if self.unchanged:
            return f"uændret, bekræftet {day} af {self.by()}"
        return f"besvaret »{Status(self.status).label}« {day} af {self.by()}"


ANSWER_GIVEN, ANSWER_UNCHANGED, ANSWER_NONE = "besvaret", "uændret", "ikke besvaret"


class RoundLink(models.Model):
    """A contact's personal link to their party's answer page in one round.

    The link is the credential: a random token of 256 bits made when the e-mail is sent,
    of which only the SHA-256 is stored. It is good for the party's obligations in this
    round only, and void when the round closes or the link is revoked.
    """

    status_round = models.ForeignKey(
        StatusRound, verbose_name="statusrunde", on_delete=models.CASCADE, related_name="links"
    )
    contact = models.ForeignKey(
        Contact, verbose_name="kontaktperson", on_delete=models.CASCADE, related_name="round_links"
    )
    # The contact's party when the link was made: a contact moved to another party
    # later does not take the link along.
    party = models.ForeignKey(
        Party, verbose_name="part", on_delete=models.CASCADE, related_name="round_links"
    )
    token_hash = models.CharField("nøglens hash", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("dannet", auto_now_add=True)
    first_opened_at = models.DateTimeField("først åbnet", null=True, blank=True)
    last_used_at = models.DateTimeField("sidst brugt", null=True, blank=True)
    revoked_at = models.DateTimeField("tilbagekaldt", null=True, blank=True)

    class Meta:
        verbose_name = "svarlink"
        verbose_name_plural = "svarlinks"
        ordering = ["status_round", "party", "contact", "-created_at"]

    def __str__(self) -> str:
        return f"Svarlink til {self.contact} ({self.status_round})"

    @property
    def is_active(self) -> bool:
        return (
            self.revoked_at is None
            and self.status_round.closed_at is None
            and self.contact.party_id == self.party_id
        )

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
