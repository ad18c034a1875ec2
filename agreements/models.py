"""What was promised: agreements, their initiatives, dated obligations and funding."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements import dates
from agreements.status import CLOSED, OPEN, Status, is_overdue, status_label, traffic_light
from agreements.text import normalize_text, phrase_in_quote, quote_in_text
from common.validation import validate_texts


class Party(models.Model):
    """An organisation that owns obligations or signs agreements."""

    class Kind(models.TextChoices):
        GOVERNMENT = "stat", "Stat"
        REGION = "region", "Region"
        MUNICIPALITY = "kommune", "Kommune"
        OTHER = "andet", "Andet"

    name = models.CharField("navn", max_length=200, unique=True)
    short_name = models.CharField("kort navn", max_length=60, blank=True)
    slug = models.SlugField("kortnavn i URL", max_length=80, unique=True)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.TextField(
        "andre navne", blank=True, help_text="Én pr. linje: navne partiet har i aftaleteksterne."
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="koordinatorer",
        related_name="parties",
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "part"
        verbose_name_plural = "parter"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        validate_texts(self)


class Contact(models.Model):
    """A person at a party who receives reminders."""

    party = models.ForeignKey(
        Party, verbose_name="part", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField("navn", max_length=200)
    email = models.EmailField("e-mail")
    receives_reminders = models.BooleanField("modtager påmindelser", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kontaktperson"
        verbose_name_plural = "kontaktpersoner"
        ordering = ["party", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "email"], name="unique_contact_email_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def clean(self):
        validate_texts(self)


class Forum(models.Model):
    """A body that is informed of, or discusses, obligations."""

    name = models.CharField("navn", max_length=200, unique=True)
    short_name = models.CharField("kort navn", max_length=60, blank=True)
    slug = models.SlugField("kortnavn i URL", max_length=80, unique=True)
    aliases = models.TextField("andre navne", blank=True, help_text="Én pr. linje.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "forum"
        verbose_name_plural = "fora"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self):
        validate_texts(self)


class Agreement(models.Model):
    title = models.CharField("titel", max_length=300)
    short_name = models.CharField("kort navn", max_length=80)
    slug = models.SlugField("kortnavn i URL", max_length=80, unique=True)
    date = models.DateField("dato", null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        "år", help_text="Året tidsudtryk uden årstal læses i, fx 2017."
    )
    date_note = models.CharField(
        "note om dato", max_length=300, blank=True, help_text="Hvorfor aftalen ikke har en dato."
    )
    parties = models.ManyToManyField(Party, verbose_name="parter", related_name="agreements")
    source_text = models.TextField("aftaletekst")
    source_file = models.CharField("kildefil", max_length=200, blank=True)
    # Closed out by the secretariat once every obligation has a final status: it leaves
    # the front page's lists, the reminders and the status rounds, and stays in the record.
    closed_on = models.DateField("afsluttet", null=True, blank=True, editable=False)
    closing_note = models.TextField("note om afslutningen", blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="afsluttet af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Published by the secretariat (`agreements.publishing`): only then is the agreement,
    # with its obligations' confirmed status, on the public pages and in the open data.
    published_at = models.DateTimeField("offentliggjort", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="offentliggjort af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = "aftale"
        verbose_name_plural = "aftaler"
        ordering = ["year", "date", "title"]

    def __str__(self) -> str:
        return self.short_name or self.title

    def get_absolute_url(self) -> str:
        return reverse("admin:agreements_agreement_change", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def refusal_of_new_obligations(self) -> str:
        """Why no obligation may be added to or moved into this agreement ("" if one may)."""
        if not self.is_closed:
            return ""
        return (
            f"Aftalen »{self}« er afsluttet {self.closed_on:%d.%m.%Y}; der kan ikke tilføjes "
            "eller flyttes forpligtelser til den. Sekretariatet kan genåbne aftalen med en "
            "begrundelse."
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self):
        validate_texts(self)
        if self.date is None and not self.date_note:
            raise ValidationError({"date_note": "Angiv hvorfor aftalen ikke har en dato."})
        if self.date is not None and self.date.year != self.year:
            raise ValidationError({"year": "Året skal passe med aftalens dato."})
        if (
            self.pk
            and not Agreement.objects.filter(pk=self.pk, source_text=self.source_text).exists()
        ):
            self.check_quotes_stand()

    def check_quotes_stand(self) -> None:
        """Every obligation's quote must stand in the agreement's text: a text edited so
        that one no longer does is refused, with the obligations it would leave behind."""
        text = normalize_text(self.source_text)
        lost = [
            action
            for action, quote in self.obligations.values_list("action", "quote")
            if normalize_text(quote) not in text
        ]
        if lost:
            shown = "; ".join(f"»{action}«" for action in lost[:3])
            more = f" og {len(lost) - 3} flere" if len(lost) > 3 else ""
            raise ValidationError(
                {
                    "source_text": (
                        f"Teksten indeholder ikke længere citatet for {len(lost)} "
                        f"forpligtelse(r): {shown}{more}. Ret citaterne først, eller "
                        "behold sætningerne i teksten."
                    )
                }
            )


class Initiative(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name="aftale", on_delete=models.CASCADE, related_name="initiatives"
    )
    label = models.CharField("nummer", max_length=20, blank=True, help_text="Fx 8.a")
    title = models.CharField("titel", max_length=300)
    focus_area = models.CharField("indsatsområde", max_length=200, blank=True)
    order = models.PositiveIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "initiativ"
        verbose_name_plural = "initiativer"
        ordering = ["agreement", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "title"], name="unique_initiative_title_per_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()

    def clean(self):
        validate_texts(self)


class Series(models.Model):
    """Occurrences of one recurring obligation ("årligt fra medio 2017 til og med 2020")."""

    agreement = models.ForeignKey(
        Agreement, verbose_name="aftale", on_delete=models.CASCADE, related_name="series"
    )
    key = models.SlugField("nøgle", max_length=100)
    title = models.CharField("titel", max_length=300)

    class Meta:
        verbose_name = "serie"
        verbose_name_plural = "serier"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="unique_series_key")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        validate_texts(self)


def phrase_reading(phrase: str, year: int | None, occurrence: int | None = None) -> dates.Reading:
    """The reading of an obligation's phrase; one occurrence's window for a recurring one."""
    if not occurrence:
        return dates.read_phrase(phrase, year=year)
    windows = dates.annual_occurrences(phrase, year=year)
    if isinstance(windows, dates.Unreadable):
        return windows
    if occurrence > len(windows):
        return dates.Unreadable(f"»{phrase}« har kun {len(windows)} forekomster, ikke {occurrence}")
    return windows[occurrence - 1]


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN)

    def active(self):
        """Of agreements that are not closed out."""
        return self.filter(agreement__closed_on__isnull=True)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_end__lt=today)

    def due_between(self, first: datetime.date, last: datetime.date):
        return self.open().filter(due_end__gte=first, due_end__lte=last)

    def with_status_as_of(self, day: datetime.date):
        """Each obligation's status on a day, as its reports said by then (`status_then`):
        the report in force registered last among those that hold by the end of the day (a
        report dated earlier by the secretariat counts from that day, a later one is not yet
        known), with its text, the moment it holds from and when a closing was confirmed.
        The one home of "status as of a day" (the Taskforce report reads it)."""
        # The reports' model by the relation, so that this layer imports none above it.
        reports_model = self.model._meta.get_field("status_reports").related_model
        day_after = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(1), datetime.time.min)
        )
        reports = (
            reports_model.objects.in_force_by(day_after)
            .filter(obligation=models.OuterRef("pk"), effective_at__lt=day_after)
            .latest_first()
        )
        return self.annotate(
            status_then=Coalesce(
                models.Subquery(reports.values("status")[:1]), models.Value(Status.NOT_STARTED)
            ),
            latest_text=models.Subquery(reports.values("text")[:1]),
            latest_at=models.Subquery(reports.values("effective_at")[:1]),
            latest_confirmed_at=models.Subquery(reports.values("confirmed_at")[:1]),
        )

    def owned_by(self, parties):
        """Led or co-owned by the party, or by any of the parties (objects or ids)."""
        if isinstance(parties, Party | int):
            parties = [parties]
        parties = [getattr(p, "pk", p) for p in parties]
        owned = models.Q(lead_owner__in=parties) | models.Q(co_owners__in=parties)
        # By id, so that the result can be filtered and ordered without DISTINCT.
        return self.filter(pk__in=self.model.objects.filter(owned).values("pk"))


class Obligation(models.Model):
    """A dated obligation: someone must deliver, start, decide or report something by a time."""

    class Kind(models.TextChoices):
        DELIVERABLE = "deliverable", "Leverance"
        REPORT = "report", "Status/afrapportering"
        START = "start", "Igangsættelse"
        DECISION = "decision", "Beslutning"
        EVENT = "event", "Begivenhed"
        TARGET = "target", "Mål"

    agreement = models.ForeignKey(
        Agreement, verbose_name="aftale", on_delete=models.CASCADE, related_name="obligations"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name="initiativ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
    )
    key = models.SlugField(
        "nøgle", max_length=120, help_text="Fast nøgle i aftalen, bruges ved indlæsning."
    )
    action = models.CharField("handling", max_length=300)
    quote = models.TextField("citat fra aftalen", help_text="Sætningen ordret som i aftalen.")
    lead_owner = models.ForeignKey(
        Party,
        verbose_name="ansvarlig",
        on_delete=models.PROTECT,
        related_name="led_obligations",
    )
    co_owners = models.ManyToManyField(
        Party, verbose_name="medansvarlige", related_name="co_owned_obligations", blank=True
    )
    forums = models.ManyToManyField(
        Forum, verbose_name="orienteres", related_name="obligations", blank=True
    )
    phrase = models.CharField("tidsudtryk", max_length=200)
    due_start = models.DateField("tidsvindue fra", null=True, blank=True)
    due_end = models.DateField("frist", null=True, blank=True)
    due_set_manually = models.BooleanField("tidsvindue sat manuelt", default=False)
    due_manual_reason = models.CharField(
        "begrundelse for manuelt tidsvindue", max_length=300, blank=True
    )
    relative_to = models.CharField(
        "relativt til", max_length=300, blank=True, help_text="Udfyldes når fristen er relativ."
    )
    kind = models.CharField("type", max_length=12, choices=Kind.choices, default=Kind.DELIVERABLE)
    series = models.ForeignKey(
        Series,
        verbose_name="serie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    occurrence = models.PositiveSmallIntegerField(
        "forekomst",
        null=True,
        blank=True,
        help_text="For en tilbagevendende forpligtelse: forekomst nr. (1, 2, …) i tidsudtrykket.",
    )
    anchors = models.ManyToManyField(
        "self",
        verbose_name="forankret i",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text="Forpligtelser som fristen regnes fra.",
    )
    # The latest status report's status, kept here so that lists and filters
    # read it without a query per row. StatusReport.save() keeps it current.
    status = models.CharField(
        "status", max_length=14, choices=Status.choices, default=Status.NOT_STARTED
    )
    status_changed_at = models.DateTimeField("status ændret", null=True, blank=True)
    # A closing status is "anmeldt" (claimed) until the secretariat confirms it.
    closure_confirmed = models.BooleanField("afslutning bekræftet", default=False)
    # Raised by every edit through a form, so that a second, stale edit is refused
    # (optimistic concurrency); status reports do not count as edits of the obligation.
    version = models.PositiveIntegerField("version", default=1)
    order = models.PositiveIntegerField("rækkefølge", default=0)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[co_owners, forums])

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = "forpligtelse"
        verbose_name_plural = "forpligtelser"
        ordering = ["agreement", "order", "due_end"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="unique_obligation_key"),
        ]
        # Deadline first: a list ordered by deadline (and id, for a stable order) reads its
        # page off the first index, filtered to open statuses or not; counting the open
        # ones before or in a date range reads only the second. A status first would
        # need a sort of every matching row for each page, whatever the planner's
        # statistics say. The owner's index serves each party's list and reminders.
        indexes = [
            models.Index(fields=["due_end", "id"], name="obligation_due_order"),
            models.Index(fields=["due_end", "status"], name="obligation_due_status"),
            models.Index(fields=["lead_owner", "due_end"], name="obligation_owner_due"),
        ]

    def __str__(self) -> str:
        return self.action

    def save(self, *args, **kwargs):
        # On every path that writes an obligation (forms, import, loader, code): a closed
        # agreement takes no new obligations, so none can slip into its reminders.
        self.refuse_closed_agreement()
        if not self.due_set_manually:
            self.apply_phrase()
        super().save(*args, **kwargs)
        self._stored_agreement_id = self.agreement_id
        stored_window = getattr(self, "_stored_window", None)
        self._stored_window = (self.due_start, self.due_end)
        if stored_window is not None and stored_window != self._stored_window:
            # A moved window moves the deadlines derived from it ("inden da").
            self.derive_dependents(getattr(self, "_deriving", None))

    def get_absolute_url(self) -> str:
        return reverse("admin:agreements_obligation_change", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        # The agreement it is stored in: moving it to another is checked as adding it.
        instance = super().from_db(db, field_names, values)
        instance._stored_agreement_id = instance.__dict__.get("agreement_id")
        # The window it is stored with: a save that moves it re-derives its dependents.
        instance._stored_window = (
            instance.__dict__.get("due_start"),
            instance.__dict__.get("due_end"),
        )
        return instance

    def refuse_closed_agreement(self) -> None:
        """Refuse adding the obligation to, or moving it into, a closed-out agreement; one
        that is in it already may still be edited."""
        if self.agreement_id is None:
            return
        if self.agreement_id == getattr(self, "_stored_agreement_id", None):
            return
        # Read afresh: the agreement may have been closed out since it was loaded.
        agreement = Agreement.objects.filter(pk=self.agreement_id).first()
        refusal = agreement.refusal_of_new_obligations() if agreement else ""
        if refusal:
            raise ValidationError({"agreement": refusal})

    def clean(self):
        """The agreement is not closed out (for a new or moved obligation), and the quote
        stands verbatim in the agreement's text and holds the time phrase: the rule the
        import and the loader check (agreements/checks.py), here for every form. Checked
        when one of them changes: a form that shows them read-only saves as before."""
        self.refuse_closed_agreement()
        validate_texts(self)
        if self.pk:
            before = Obligation.objects.filter(pk=self.pk).values_list(
                "agreement_id", "quote", "phrase"
            )
            if list(before) == [(self.agreement_id, self.quote, self.phrase)]:
                return
        errors = {}
        quote, phrase = self.quote.strip(), self.phrase.strip()
        if quote and self.agreement_id and not quote_in_text(quote, self.agreement.source_text):
            errors["quote"] = (
                "Citatet står ikke ordret i aftalens tekst. Kopiér sætningen fra aftalen "
                "(linjeskift og mellemrum betyder ikke noget)."
            )
        if quote and phrase and not phrase_in_quote(phrase, quote):
            errors["phrase"] = f"Tidsudtrykket »{self.phrase}« står ikke i citatet."
        if errors:
            raise ValidationError(errors)

    def read_phrase(self) -> dates.Reading:
        year = self.agreement.year if self.agreement_id else None
        return phrase_reading(self.phrase, year, self.occurrence)

    def apply_phrase(self) -> None:
        """Set the due window from the phrase; a relative phrase waits for its anchors."""
        reading = self.read_phrase()
        if isinstance(reading, dates.Unreadable):
            raise ValidationError({"phrase": reading.error})
        if isinstance(reading, dates.Window):
            self.due_start, self.due_end = reading.start, reading.end
            self.relative_to = ""
            return
        self.relative_to = reading.to
        window = self.window_from_anchors(reading)
        self.due_start, self.due_end = (window.start, window.end) if window else (None, None)

    def window_from_anchors(self, reading: "dates.Relative") -> "dates.Window | None":
        """The window of a relative phrase, once its anchors allow one.

        "hurtigst muligt efter X" runs from the day the last anchor was done; "inden da"
        must be done by the earliest anchor's own deadline.
        """
        if not self.pk:
            return None
        anchors = list(self.anchors.all())
        if not anchors:
            return None
        if reading.before:
            deadlines = [anchor.due_end for anchor in anchors]
            return None if None in deadlines else reading.window_before(min(deadlines))
        done_dates = [anchor.completed_on() for anchor in anchors]
        return None if None in done_dates else reading.window_after(max(done_dates))

    def derive_window(self, seen: set[int] | None = None) -> bool:
        """Work out a window that comes from the anchors again, and save it if it changed
        (which re-derives this obligation's own dependents in turn). Returns whether it did.

        Called on every path that changes what a derived window depends on: the anchors
        added or removed (`anchors_changed`, whichever side and path sets them), an
        anchor's window moved (`save`) or its status changed (`refresh_status`)."""
        if self.due_set_manually or self.pk is None or not self.relative_to:
            return False
        before = (self.due_start, self.due_end, self.relative_to)
        self.apply_phrase()
        if (self.due_start, self.due_end, self.relative_to) == before:
            return False
        # Passed on to the dependents this save re-derives in turn.
        self._deriving = seen
        try:
            self.save()
        finally:
            del self._deriving
        return True

    def derive_dependents(self, seen: set[int] | None = None) -> None:
        """Re-derive the windows of the obligations anchored to this one. Each obligation
        is worked out once per change, so anchors that form a circle cannot loop."""
        seen = set() if seen is None else seen
        seen.add(self.pk)
        dependents = (
            self.dependents.filter(due_set_manually=False)
            .exclude(relative_to="")
            .exclude(pk__in=seen)
        )
        for dependent in dependents:
            seen.add(dependent.pk)
            dependent.derive_window(seen)

    def latest_report(self):
        """The report in force registered last: the current status (a reopening of a
        confirmed closing counts only once the secretariat has confirmed it)."""
        return self.status_reports.in_force().latest_first().first()

    def newest_report(self):
        """The report registered last, in force or awaiting review."""
        return self.status_reports.latest_first().first()

    def completed_on(self) -> datetime.date | None:
        """The day the obligation was done by its latest report of færdiggjort."""
        if self.status != Status.DONE:
            return None
        report = self.latest_report()
        return report.holds_from() if report else None

    def refresh_status(self) -> None:
        """Take the status of the latest report; re-plan obligations anchored to this one."""
        latest = self.latest_report()
        status = latest.status if latest else Status.NOT_STARTED
        changed_at = latest.effective_at if latest else None
        confirmed = bool(latest and latest.status in CLOSED and latest.confirmed_at)
        if (status, changed_at, confirmed) == (
            self.status,
            self.status_changed_at,
            self.closure_confirmed,
        ):
            return
        self.status, self.status_changed_at, self.closure_confirmed = status, changed_at, confirmed
        self.save()
        self.derive_dependents()

    def status_label(self) -> str:
        """The status in words, telling a claimed closing status from a confirmed one."""
        return status_label(self.status, confirmed=self.closure_confirmed)

    @property
    def owners(self) -> list[Party]:
        """Lead owner first, then the others."""
        return [self.lead_owner, *[p for p in self.co_owners.all() if p.pk != self.lead_owner_id]]

    def is_owned_by(self, parties) -> bool:
        """Whether one of the parties (ids) leads or co-owns it: the one-obligation form of
        `Obligation.objects.owned_by`, with no query when the lead owner answers it."""
        parties = set(parties)
        if not parties:
            return False
        if self.lead_owner_id in parties:
            return True
        return self.co_owners.filter(pk__in=parties).exists()

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return is_overdue(self.status, self.due_end, today or timezone.localdate())

    def traffic_light(self, today: datetime.date | None = None):
        return traffic_light(self.status, self.due_end, today or timezone.localdate())


@receiver(m2m_changed, sender=Obligation.anchors.through)
def anchors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The anchors of an obligation were set, added, removed or cleared, on any path (the
    admin's form, the loader, code; from either side): its derived window follows."""
    if action == "pre_clear" and reverse:
        # Cleared from the anchor's side: which dependents lose it is known only before.
        instance._cleared_dependents = set(instance.dependents.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        instance.derive_window()
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop("_cleared_dependents", set())
    for dependent in Obligation.objects.filter(pk__in=pk_set or ()):
        dependent.derive_window()


class FundingLine(models.Model):
    """One amount in one year of one row of an agreement's funding table."""

    class Channel(models.TextChoices):
        BLOCK_GRANT = "bloktilskud", "Bloktilskud"
        SPECIAL_GRANT = "saertilskud", "Særtilskud"
        POOL = "pulje", "Pulje"
        STATE = "statslig", "Statslig bevilling"
        OTHER = "andet", "Andet"

    class RecipientGroup(models.TextChoices):
        REGIONS = "regioner", "Regioner"
        MUNICIPALITIES = "kommuner", "Kommuner"
        STATE = "staten", "Staten"
        OTHER = "andre", "Andre"

    agreement = models.ForeignKey(
        Agreement, verbose_name="aftale", on_delete=models.CASCADE, related_name="funding_lines"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name="initiativ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_lines",
    )
    table = models.CharField("tabel", max_length=100, help_text="Fx Bilag 2 eller Tabel 1.")
    row = models.CharField("række", max_length=300)
    parent_row = models.CharField(
        "del af række", max_length=300, blank=True, help_text="Rækken en heraf-række hører under."
    )
    recipient = models.CharField("modtager", max_length=200)
    recipient_group = models.CharField(
        "modtagergruppe", max_length=10, choices=RecipientGroup.choices
    )
    channel = models.CharField("kanal", max_length=12, choices=Channel.choices)
    year = models.PositiveSmallIntegerField("år")
    ongoing = models.BooleanField(
        "varigt", default=False, help_text="Beløbet gælder årligt fra året og frem."
    )
    amount = models.DecimalField("beløb (mio. kr.)", max_digits=12, decimal_places=2)
    derived = models.BooleanField(
        "afledt", default=False, help_text="Beløbet er regnet ud fra totalen, ikke læst i teksten."
    )
    note = models.CharField("note", max_length=300, blank=True)
    order = models.PositiveIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "finansieringslinje"
        verbose_name_plural = "finansieringslinjer"
        ordering = ["agreement", "table", "order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "table", "row", "year", "ongoing"], name="unique_funding_cell"
            )
        ]

    def __str__(self) -> str:
        year = f"fra {self.year} og frem" if self.ongoing else str(self.year)
        return f"{self.row}, {year}: {self.amount} mio. kr."

    def clean(self):
        validate_texts(self)


class FundingTotal(models.Model):
    """A total stated in an agreement, which its funding lines must add up to."""

    agreement = models.ForeignKey(
        Agreement, verbose_name="aftale", on_delete=models.CASCADE, related_name="funding_totals"
    )
    table = models.CharField("tabel", max_length=100)
    row = models.CharField("række", max_length=300, blank=True, help_text="Tom for hele tabellen.")
    ongoing = models.BooleanField("varigt", default=False)
    amount = models.DecimalField("beløb (mio. kr.)", max_digits=12, decimal_places=2)
    source = models.CharField("kilde", max_length=300, help_text="Hvor i aftalen totalen står.")

    class Meta:
        verbose_name = "finansieringstotal"
        verbose_name_plural = "finansieringstotaler"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "table", "row", "ongoing"], name="unique_funding_total"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.row or 'i alt'}: {self.amount} mio. kr."

    def lines(self):
        lines = self.agreement.funding_lines.filter(table=self.table, ongoing=self.ongoing)
        if self.row:
            return lines.filter(row=self.row)
        return lines.filter(parent_row="")

    def computed(self) -> Decimal:
        total = self.lines().aggregate(total=models.Sum("amount"))["total"] or Decimal(0)
        # SQLite sums decimals as floats: round back to the field's two places.
        return Decimal(total).quantize(Decimal("0.01"))

    def clean(self):
        validate_texts(self)
