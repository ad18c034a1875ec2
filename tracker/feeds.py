"""Calendar feeds (iCalendar, RFC 5545): a party's deadlines, to subscribe to in Outlook.

One all-day event per obligation the party leads or co-owns, on its deadline. The UID is
built from the agreement's slug and the obligation's key, which stay the same across edits
and reloads, so a calendar updates the event in place when the deadline moves. SEQUENCE
counts how often the deadline moved and LAST-MODIFIED/DTSTAMP is the obligation's last
change, both read from the obligation's history; the feed is the same bytes until
something changes.
"""

import datetime

from django.conf import settings
from icalendar import Calendar, Event, vDuration

from agreements.models import Obligation, Party

UID_DOMAIN = "kraeftplan-tracker"
REFRESH = datetime.timedelta(hours=6)


def party_obligations(party: Party):
    return (
        Obligation.objects.owned_by(party)
        .filter(due_end__isnull=False)
        .select_related("agreement", "lead_owner")
        .order_by("due_end", "pk")
    )


def revisions(obligations) -> dict[int, tuple[int, datetime.datetime]]:
    """For each obligation: how often its deadline moved, and when it last changed."""
    history = (
        Obligation.history.filter(id__in=obligations.values("pk"))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "due_end", "history_date")
    )
    result: dict[int, tuple[int, datetime.datetime]] = {}
    previous: dict[int, datetime.date | None] = {}
    for pk, due_end, changed_at in history.iterator(chunk_size=2000):
        moves, _ = result.get(pk, (0, changed_at))
        if pk in previous and previous[pk] != due_end:
            moves += 1
        previous[pk] = due_end
        result[pk] = (moves, changed_at)
    return result


def event_for(obligation: Obligation, moves: int, modified: datetime.datetime) -> Event:
    link = settings.SITE_URL + obligation.get_absolute_url()
    status = obligation.get_status_display()
    summary = f"Frist: {obligation.action} ({obligation.agreement})"
    description = "\n".join(
        [
            f"Aftale: {obligation.agreement.title}",
            f"Handling: {obligation.action}",
            f"Ansvarlig: {obligation.lead_owner}",
            f"Tidsudtryk: {obligation.phrase}",
            f"Status: {status}",
            "",
            f"Se forpligtelsen: {link}",
        ]
    )
    modified = modified.astimezone(datetime.UTC)
    event = Event()
    event.add("uid", f"{obligation.agreement.slug}.{obligation.key}@{UID_DOMAIN}")
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", moves)
    event.add("dtstart", obligation.due_end)
    event.add("dtend", obligation.due_end + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", link)
    # A deadline is not a meeting: it does not make the day busy.
    event.add("transp", "TRANSPARENT")
    return event


def party_calendar(party: Party) -> bytes:
    obligations = party_obligations(party)
    revised = revisions(obligations)
    calendar = Calendar()
    calendar.add("prodid", "-//Kræftplan-tracker//Frister//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Kræftplan-frister: {party}")
    calendar.add("x-wr-caldesc", f"Frister for forpligtelser, som {party} er ansvarlig for.")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for obligation in obligations.iterator(chunk_size=2000):
        moves, modified = revised.get(obligation.pk, (0, obligation.created_at))
        calendar.add_component(event_for(obligation, moves, modified))
    return calendar.to_ical()
