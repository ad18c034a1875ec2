"""The status scale of the ministry's status follow-ups, and its traffic light."""

import datetime

from django.db import models


class Status(models.TextChoices):
    NOT_STARTED = "ikke_igangsat", "Ikke igangsat"
    ON_TRACK = "igangsat", "Igangsat (efter tidsplanen)"
    AT_RISK = "i_risiko", "I risiko"
    DELAYED = "forsinket", "Forsinket"
    DONE = "faerdiggjort", "Færdiggjort"
    CONTINUED = "viderefoert", "Videreført i ændret form"
    DROPPED = "bortfaldet", "Bortfaldet"


class Light(models.TextChoices):
    GREEN = "groen", "Grøn"
    YELLOW = "gul", "Gul"
    RED = "roed", "Rød"
    BLUE = "blaa", "Blå"
    GREY = "graa", "Grå"


# Statuses after which nothing more is owed: no reminders, never overdue.
CLOSED = frozenset({Status.DONE, Status.CONTINUED, Status.DROPPED})
# The others, named (in the scale's order): an IN list of them lets an index on the status
# serve a query, where NOT IN (CLOSED) would not.
OPEN = tuple(s for s in Status if s not in CLOSED)

_LIGHTS = {
    Status.NOT_STARTED: Light.GREY,
    Status.ON_TRACK: Light.GREEN,
    Status.AT_RISK: Light.YELLOW,
    Status.DELAYED: Light.RED,
    Status.DONE: Light.BLUE,
    Status.CONTINUED: Light.BLUE,
    Status.DROPPED: Light.GREY,
}

# Hex colours for badges and charts; each light also has a word, so colour is
# never the only signal.
LIGHT_COLOURS = {
    Light.GREEN: "#1b7837",
    Light.YELLOW: "#b35806",
    Light.RED: "#b2182b",
    Light.BLUE: "#2166ac",
    Light.GREY: "#595959",
}


def status_label(
    status: str, *, confirmed: bool, returned: bool = False, reopening: bool = False
) -> str:
    """The status in words; a claim (a closing status, or the reopening of a confirmed
    one) says whether it is claimed ("anmeldt"), confirmed by the secretariat, or sent back."""
    name = Status(status).label
    if reopening:
        name = f"{name} (genåbning"
        if returned:
            return f"{name} sendt tilbage)"
        return f"{name} bekræftet)" if confirmed else f"{name} anmeldt)"
    if status not in CLOSED:
        return name
    if returned:
        return f"{name} (sendt tilbage)"
    return f"{name} (bekræftet)" if confirmed else f"{name} (anmeldt)"


def is_overdue(status: str, due_end: datetime.date | None, today: datetime.date) -> bool:
    """Past its deadline and not closed, whatever was last reported."""
    return due_end is not None and due_end < today and status not in CLOSED


def status_light(status: str) -> Light:
    """The light a status has by itself, before the deadline is considered."""
    return _LIGHTS[Status(status)]


def traffic_light(status: str, due_end: datetime.date | None, today: datetime.date) -> Light:
    if is_overdue(status, due_end, today):
        return Light.RED
    return status_light(status)


# A symbol for each status, for pages that show no colour at all (the public pages, print):
# always beside the status in words, which carries the meaning.
STATUS_SYMBOLS = {
    Status.NOT_STARTED: "○",
    Status.ON_TRACK: "▶",
    Status.AT_RISK: "△",
    Status.DELAYED: "✕",
    Status.DONE: "✓",
    Status.CONTINUED: "↻",
    Status.DROPPED: "–",
}
OVERDUE_SYMBOL = "!"


def status_symbol(status: str, overdue: bool = False) -> str:
    return OVERDUE_SYMBOL if overdue else STATUS_SYMBOLS[Status(status)]
