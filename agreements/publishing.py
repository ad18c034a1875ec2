"""Publishing an agreement: the secretariat decides what the public sees.

Only a published agreement, with its initiatives and its obligations' last confirmed
status, is on the public pages and in the open data (`publication.published`). Publishing and
withdrawing are recorded with who and when, in the agreement's history.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from common import roles


def _require_secretariat(user) -> None:
    if not roles.is_secretariat(user):
        raise PermissionDenied(
            "Kun sekretariatet kan offentliggøre en aftale eller trække den tilbage."
        )


def _locked(agreements):
    """The agreements, locked: by their ids, as the admin's list may be annotated (a GROUP
    BY, which PostgreSQL does not lock)."""
    pks = list(agreements.values_list("pk", flat=True))
    return Agreement.objects.select_for_update().filter(pk__in=pks)


def publish(agreements, user) -> int:
    """Publish the agreements not published yet; how many were."""
    return _set_published(agreements, user, timezone.now(), "Offentliggjort")


def withdraw(agreements, user) -> int:
    """Take the published agreements off the public pages; how many were."""
    return _set_published(agreements, user, None, "Trukket tilbage fra de offentlige sider")


def _set_published(agreements, user, when, reason: str) -> int:
    """Set when (None: withdrawn) and by whom the agreements that change were published,
    with the reason in their history; how many changed."""
    _require_secretariat(user)
    changed = 0
    with transaction.atomic():
        for agreement in _locked(agreements).filter(published_at__isnull=when is not None):
            agreement.published_at, agreement.published_by = when, user if when else None
            agreement._history_user = user
            agreement._change_reason = reason
            agreement.save(update_fields=["published_at", "published_by"])
            changed += 1
    return changed


def published_agreements():
    return Agreement.objects.filter(published_at__isnull=False)
