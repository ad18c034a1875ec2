"""Closing out an agreement: once every obligation has a final status, confirmed by the
secretariat, the agreement is marked afsluttet with a date and a note.

A closed agreement leaves the front page's lists, the reminders and the status rounds
(`ObligationQuerySet.active`); it stays in the record, the exports, the timelines and the
reports' history, and no new status report is written on it (`tracker.completion`).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from agreements.status import CLOSED
from common import roles

NOTE_MAX_LENGTH = 2000


def not_final(agreement: Agreement):
    """The agreement's obligations without a confirmed final status."""
    return agreement.obligations.exclude(status__in=CLOSED, closure_confirmed=True)


def close_out(agreement: Agreement, closed_on: datetime.date | None, note: str, user) -> Agreement:
    """Mark the agreement afsluttet; ValidationError (Danish) says why not."""
    if not roles.is_secretariat(user):
        raise PermissionDenied("Kun sekretariatet kan afslutte en aftale.")
    note = (note or "").strip()
    errors = {}
    today = timezone.localdate()
    if closed_on is None:
        errors["closed_on"] = "Angiv datoen, aftalen er afsluttet."
    elif closed_on > today:
        errors["closed_on"] = f"Datoen {closed_on:%d.%m.%Y} ligger efter i dag."
    elif agreement.date and closed_on < agreement.date:
        errors["closed_on"] = (
            f"Datoen {closed_on:%d.%m.%Y} ligger før aftalen blev indgået "
            f"({agreement.date:%d.%m.%Y})."
        )
    if not note:
        errors["closing_note"] = "Skriv en kort note om afslutningen."
    elif len(note) > NOTE_MAX_LENGTH:
        errors["closing_note"] = f"Noten må højst være {NOTE_MAX_LENGTH} tegn."
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.is_closed:
            raise ValidationError(
                f"Aftalen er allerede afsluttet den {agreement.closed_on:%d.%m.%Y}."
            )
        open_ones = list(not_final(agreement).order_by("due_end", "pk")[:6])
        if open_ones:
            total = not_final(agreement).count()
            named = "; ".join(o.action for o in open_ones[:5])
            errors["__all__"] = (
                f"{total} forpligtelse{'r' if total != 1 else ''} har endnu ikke en "
                f"bekræftet afsluttende status (færdiggjort, videreført i ændret form eller "
                f"bortfaldet): {named}{' …' if total > 5 else ''}."
            )
        if errors:
            raise ValidationError(errors)
        agreement.closed_on, agreement.closing_note, agreement.closed_by = closed_on, note, user
        agreement._history_user = user
        agreement._change_reason = f"Afsluttet: {note}"
        agreement.save()
    return agreement
