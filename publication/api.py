"""The read API for logged-in users: all the data their role may see, as JSON, described by
an OpenAPI schema at /api/openapi.json (and a page at /api/docs for users with a role).

The same rules as the admin: the admin's login (the session), one of the three roles
(`roles.has_role`, as `roles.role_required` asks of every page behind the login), and for
each kind of data the model's view permission that the role's group holds
(`roles.GROUP_PERMISSIONS`), as the admin's `has_view_permission` asks. Every role sees
everything; nothing here changes anything (GET only), so an observer changes nothing.
"""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import SessionAuth

from agreements.models import Agreement, Obligation, Party
from agreements.status import Status
from common import roles
from tracker.models import StatusReport


class RoleSession(SessionAuth):
    """Logged in through the admin, and holding one of the three roles."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not roles.has_role(user):
            raise HttpError(403, roles.NO_ROLE)
        return user


api = NinjaAPI(
    title="Kræftplan-tracker API",
    version="1",
    description="Læseadgang til aftaler, forpligtelser, parter og statusrapporter for "
    "brugere med en rolle (sekretariat, koordinator, observatør). Log ind i administrationen "
    "først; API'et bruger samme login og de samme roller.",
    auth=RoleSession(),
    urls_namespace="api",
    docs_decorator=roles.role_required,
)


def may_view(request: HttpRequest, permission: str) -> None:
    """The admin's rule for seeing a model's rows: its view (or change) permission."""
    app_label, codename = permission.split(".")
    change = f"{app_label}.{codename.replace('view_', 'change_', 1)}"
    if not (request.user.has_perm(permission) or request.user.has_perm(change)):
        raise HttpError(403, "Din rolle giver ikke adgang til disse data.")


class ContactOut(Schema):
    name: str
    email: str
    receives_reminders: bool


class PartyOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    contacts: list[ContactOut] | None = None


class InitiativeOut(Schema):
    id: int
    label: str
    title: str
    focus_area: str


class AgreementOut(Schema):
    slug: str
    title: str
    short_name: str
    date: datetime.date | None
    year: int
    closed_on: datetime.date | None
    published_at: datetime.datetime | None
    parties: list[str]

    @staticmethod
    def resolve_parties(agreement) -> list[str]:
        return [p.slug for p in agreement.parties.all()]


class AgreementDetailOut(AgreementOut):
    initiatives: list[InitiativeOut]

    @staticmethod
    def resolve_initiatives(agreement) -> list:
        return list(agreement.initiatives.all())


class ObligationOut(Schema):
    id: int
    agreement: str
    initiative: str | None
    key: str
    action: str
    quote: str
    lead_owner: str
    co_owners: list[str]
    phrase: str
    due_start: datetime.date | None
    due_end: datetime.date | None
    kind: str
    status: Status
    status_label: str
    closure_confirmed: bool
    status_changed_at: datetime.datetime | None
    overdue: bool

    @staticmethod
    def resolve_agreement(obligation) -> str:
        return obligation.agreement.slug

    @staticmethod
    def resolve_initiative(obligation) -> str | None:
        return str(obligation.initiative) if obligation.initiative else None

    @staticmethod
    def resolve_lead_owner(obligation) -> str:
        return obligation.lead_owner.slug

    @staticmethod
    def resolve_co_owners(obligation) -> list[str]:
        return [p.slug for p in obligation.co_owners.all()]

    @staticmethod
    def resolve_status_label(obligation) -> str:
        return obligation.status_label()

    @staticmethod
    def resolve_overdue(obligation) -> bool:
        return obligation.is_overdue()


class StatusReportOut(Schema):
    id: int
    obligation: int
    status: Status
    status_label: str
    text: str
    evidence_url: str
    has_evidence_file: bool
    source: str
    written_by: str
    reported_at: datetime.datetime
    effective_at: datetime.datetime
    effective_reason: str
    confirmed_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    returned_reason: str
    public: bool

    @staticmethod
    def resolve_obligation(report) -> int:
        return report.obligation_id

    @staticmethod
    def resolve_status_label(report) -> str:
        return report.status_label()

    @staticmethod
    def resolve_has_evidence_file(report) -> bool:
        return bool(report.evidence_file)

    @staticmethod
    def resolve_written_by(report) -> str:
        return report.written_by()


@api.get("/aftaler", response=list[AgreementOut], summary="Alle aftaler")
def agreement_list(request):
    may_view(request, "agreements.view_agreement")
    return Agreement.objects.prefetch_related("parties")


@api.get("/aftaler/{slug}", response=AgreementDetailOut, summary="Én aftale med initiativer")
def agreement_detail(request, slug: str):
    may_view(request, "agreements.view_agreement")
    return get_object_or_404(
        Agreement.objects.prefetch_related("parties", "initiatives"), slug=slug
    )


@api.get("/forpligtelser", response=list[ObligationOut], summary="Forpligtelser")
@paginate(LimitOffsetPagination)
def obligation_list(
    request,
    aftale: str | None = None,
    ansvarlig: str | None = None,
    status: Status | None = None,
    overskredet: bool = False,
):
    """Filtered by agreement (slug), owner (party slug; lead or co-owner), status, and
    overdue today."""
    may_view(request, "agreements.view_obligation")
    obligations = Obligation.objects.all()
    if aftale:
        obligations = obligations.filter(agreement__slug=aftale)
    if ansvarlig:
        obligations = obligations.owned_by(get_object_or_404(Party, slug=ansvarlig))
    if status:
        obligations = obligations.filter(status=status)
    if overskredet:
        obligations = obligations.overdue(timezone.localdate())
    return (
        obligations.select_related("agreement", "initiative", "lead_owner")
        .prefetch_related("co_owners")
        .order_by("agreement_id", "order", "due_end", "pk")
    )


@api.get("/forpligtelser/{obligation_id}", response=ObligationOut, summary="Én forpligtelse")
def obligation_detail(request, obligation_id: int):
    may_view(request, "agreements.view_obligation")
    return get_object_or_404(
        Obligation.objects.select_related("agreement", "initiative", "lead_owner"),
        pk=obligation_id,
    )


@api.get("/statusrapporter", response=list[StatusReportOut], summary="Statusrapporter")
@paginate(LimitOffsetPagination)
def report_list(request, forpligtelse: int | None = None, aftale: str | None = None):
    """Newest first, also claims awaiting review and reports sent back."""
    may_view(request, "tracker.view_statusreport")
    reports = StatusReport.objects.select_related("author", "contact__party")
    if forpligtelse:
        reports = reports.filter(obligation_id=forpligtelse)
    if aftale:
        reports = reports.filter(obligation__agreement__slug=aftale)
    return reports.order_by("-reported_at", "-pk")


@api.get("/parter", response=list[PartyOut], summary="Parter og deres kontaktpersoner")
def party_list(request):
    """Contacts are listed to roles that may see them in the admin."""
    may_view(request, "agreements.view_party")
    parties = list(Party.objects.prefetch_related("contacts"))
    with_contacts = request.user.has_perm("agreements.view_contact")
    return [
        PartyOut(
            slug=p.slug,
            name=p.name,
            short_name=p.short_name,
            kind=p.kind,
            contacts=[ContactOut.from_orm(c) for c in p.contacts.all()] if with_contacts else None,
        )
        for p in parties
    ]
