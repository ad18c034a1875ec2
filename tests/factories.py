"""Factories for test data: named domain objects with sensible defaults."""

import datetime

import factory
import time_machine
from django.contrib.auth import get_user_model

from agreements.models import Agreement, Contact, Forum, Initiative, Obligation, Party
from meetings.models import Meeting
from tracker.models import StatusReport


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "hemmelig-kode-42")
        if create:
            self.save()

    is_staff = True


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Part {n}")
    slug = factory.Sequence(lambda n: f"part-{n}")
    kind = Party.Kind.REGION


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    party = factory.SubFactory(PartyFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        django_get_or_create = ["slug"]

    name = "Taskforce for Patientforløb på Kræft- og Hjerteområdet"
    short_name = "Taskforcen"
    slug = "taskforce"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Udmøntningsaftale nr. {n}")
    short_name = factory.Sequence(lambda n: f"Aftale {n}")
    slug = factory.Sequence(lambda n: f"aftale-{n}")
    year = 2017
    date_note = "Testaftale uden dato"
    source_text = "Parterne er enige om, at Sundhedsstyrelsen udarbejder et oplæg medio 2017."

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    agreement = factory.SubFactory(AgreementFactory)
    label = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Initiativ {n + 1}")


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    agreement = factory.SubFactory(AgreementFactory)
    key = factory.Sequence(lambda n: f"forpligtelse-{n}")
    action = factory.Sequence(lambda n: f"Oplæg nr. {n} udarbejdes")
    quote = "Parterne er enige om, at Sundhedsstyrelsen udarbejder et oplæg medio 2017."
    phrase = "medio 2017"
    lead_owner = factory.SubFactory(PartyFactory)
    kind = Obligation.Kind.DELIVERABLE


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    obligation = factory.SubFactory(ObligationFactory)
    status = "igangsat"
    text = "Arbejdet er i gang."

    @classmethod
    def _create(cls, model_class, *args, registered_at=None, **kwargs):
        """`registered_at=`: the report as registered by the server at that moment."""
        if registered_at is None:
            return super()._create(model_class, *args, **kwargs)
        with time_machine.travel(registered_at, tick=False):
            return super()._create(model_class, *args, **kwargs)


class DatedObligationFactory(ObligationFactory):
    """An obligation whose window is set by hand: a precise deadline, whatever the phrase."""

    due_set_manually = True
    due_end = datetime.date(2024, 6, 30)
    due_manual_reason = "Fristen er sat i testen."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    date = factory.Sequence(lambda n: datetime.date(2017, 1, 1) + datetime.timedelta(days=30 * n))
