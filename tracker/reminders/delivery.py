"""Delivery: claim the due reminders a batch of recipients at a time, send each a digest,
mark what was sent, retry what failed, and return what a dead run left."""

import datetime
import logging
import smtplib
import time
import uuid

from django.conf import settings
from django.core import mail
from django.db.models import F
from django.utils import timezone

from tracker.models import Reminder
from tracker.reminders.digest import Digest, owed_rows

logger = logging.getLogger(__name__)

# Recipients claimed at once by a delivery run.
CLAIM_BATCH = 25


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts."""
    seconds = settings.REMINDER_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.REMINDER_RETRY_MAX))


def sweep_stuck_reminders(now: datetime.datetime) -> int:
    """Return reminders left in sending by a dead run to pending, so they are not lost."""
    stuck_since = now - datetime.timedelta(seconds=settings.REMINDER_SENDING_TIMEOUT)
    swept = Reminder.objects.filter(
        status=Reminder.Status.SENDING, claimed_at__lte=stuck_since
    ).update(status=Reminder.Status.PENDING, claimed_by="", claimed_at=None)
    if swept:
        logger.warning("Returned %d reminders stuck in sending to pending", swept)
    return swept


def deliver_reminders(
    now: datetime.datetime | None = None, today: datetime.date | None = None
) -> list[Digest]:
    """Send one digest per recipient for the pending reminders that are due.

    Recipients are claimed CLAIM_BATCH at a time (one UPDATE, one read of what was
    claimed, one read of the obligations the digests list), then sent to one by one, each
    digest's rows marked sent as soon as the server has accepted it. A batch that has been
    held for half of REMINDER_SENDING_TIMEOUT (a slow or failing mail server) gives back
    what it has not sent yet, before a sweeper could hand those rows to another run, and
    claims them afresh.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sweep_stuck_reminders(now)
    token = uuid.uuid4().hex
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
    recipients = list(due.order_by("recipient").values_list("recipient", flat=True).distinct())
    connection = mail.get_connection()
    hold_for = settings.REMINDER_SENDING_TIMEOUT / 2
    digests = []
    try:
        start = 0
        while start < len(recipients):
            batch = recipients[start : start + CLAIM_BATCH]
            start += len(batch)
            claimed_at = time.monotonic()
            claimed = _claim_digests(batch, due, token, today)
            for n, digest in enumerate(claimed):
                if n and time.monotonic() - claimed_at > hold_for:
                    # Claimed afresh for the next batch: every batch sends at least one.
                    _release(claimed[n:], token)
                    start -= len(batch) - batch.index(digest.recipient)
                    break
                if digest.is_empty:
                    _record_nothing_to_say(digest, token)
                    digests.append(digest)
                    continue
                try:
                    # Opened here, not inside send(): a connection that send() opens
                    # itself is closed with a QUIT before send() returns, which would
                    # widen the window between the server's acceptance and marking the
                    # rows sent.
                    connection.open()
                    # The personal links are made now: their tokens exist only in this
                    # e-mail, and are taken back if the server does not accept it.
                    digest.mint_links()
                    digest.message(connection).send()
                except Exception as error:
                    digest.void_links()
                    _record_failure(digest, error, token)
                    _close_quietly(connection)
                else:
                    _record_sent(digest, token)
                digests.append(digest)
    finally:
        _close_quietly(connection)
    return digests


def _claim_digests(recipients: list[str], due, token: str, today: datetime.date) -> list[Digest]:
    claimed = due.filter(recipient__in=recipients).update(
        status=Reminder.Status.SENDING, claimed_at=timezone.now(), claimed_by=token
    )
    if not claimed:
        # Nothing got updated: another run got there first.
        return []
    owed, stale = owed_rows(
        Reminder.objects.filter(
            recipient__in=recipients, status=Reminder.Status.SENDING, claimed_by=token
        )
    )
    if stale:
        # Closed or moved after this reminder was planned: the next planning would
        # cancel it, so do not send it now.
        Reminder.objects.filter(pk__in=stale, claimed_by=token).update(
            status=Reminder.Status.CANCELLED, last_error="Fristen er flyttet eller afsluttet."
        )
    return Digest.many(owed, today)


def _release(digests: list[Digest], token: str) -> None:
    """Give claimed rows back unsent, to be claimed again."""
    Reminder.objects.filter(
        recipient__in=[digest.recipient for digest in digests],
        claimed_by=token,
        status=Reminder.Status.SENDING,
    ).update(status=Reminder.Status.PENDING, claimed_by="", claimed_at=None)
    logger.info("Gave %d claimed digests back to claim them afresh", len(digests))


def _held(digest: Digest, token: str):
    return Reminder.objects.filter(
        recipient=digest.recipient, claimed_by=token, status=Reminder.Status.SENDING
    )


def _record_sent(digest: Digest, token: str) -> None:
    # The digest's rows are exactly the recipient's rows this run claimed and still holds
    # (stale ones were cancelled when claimed): no list of thousands of ids to send back.
    marked = _held(digest, token).update(
        status=Reminder.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )
    digest.outcome = "sendt"
    if marked < len(digest.rows):
        # The sweeper took these back while the mail was being sent (the send took
        # longer than REMINDER_SENDING_TIMEOUT): another run may send them again.
        logger.error(
            "Digest to %s was sent after %d of its reminders were swept back to pending",
            digest.recipient,
            len(digest.rows) - marked,
        )


def _record_nothing_to_say(digest: Digest, token: str) -> None:
    """A digest whose rows are only of a status round that no longer asks the recipient's
    party anything (the obligations were answered for or moved): not sent."""
    _held(digest, token).update(
        status=Reminder.Status.CANCELLED,
        last_error="Intet at spørge om: partens forpligtelser i statusrunden er væk.",
    )
    digest.outcome = "annulleret"


def _record_failure(digest: Digest, error: Exception, token: str) -> None:
    now = timezone.now()
    digest.error = describe_error(error)
    by_attempts = {row.attempts + 1 for row in digest.rows}
    for attempts in by_attempts:
        gave_up = attempts >= settings.REMINDER_MAX_ATTEMPTS
        _held(digest, token).filter(attempts=attempts - 1).update(
            status=Reminder.Status.FAILED if gave_up else Reminder.Status.PENDING,
            attempts=attempts,
            last_error=digest.error,
            next_attempt_at=now if gave_up else now + backoff(attempts),
            claimed_by="",
            claimed_at=None,
        )
    attempts = max(by_attempts)
    digest.outcome = "fejlet" if attempts >= settings.REMINDER_MAX_ATTEMPTS else "prøves igen"
    logger.warning(
        "Reminder digest to %s failed (attempt %d): %s", digest.recipient, attempts, digest.error
    )


def describe_error(error: Exception) -> str:
    """The failure in words a coordinator can act on."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return f"Modtageren blev afvist af mailserveren: {refusals}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"Mailserveren afviste e-mailen: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return f"Mailserveren kunne ikke nås: {error}"
    return f"Kunne ikke sende: {type(error).__name__}: {error}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:
        # A server that is already gone: the connection is dropped either way.
        logger.debug("Closing the SMTP connection failed", exc_info=True)
