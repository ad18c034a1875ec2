"""Server-rendered SVG charts, readable on screen, in print and in black and white.

Colour is never the only signal: each traffic light has its own marker shape and its own
fill pattern, and every bar and milestone says its status in words. The charts are plain
SVG strings, embedded in the HTML page and drawn by WeasyPrint in the PDF.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from agreements.status import LIGHT_COLOURS, Light, Status, is_overdue, traffic_light

FONT = "DejaVu Sans, Arial, sans-serif"
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
SHORT_STATUS = {
    Status.NOT_STARTED: "Ikke igangsat",
    Status.ON_TRACK: "Igangsat",
    Status.AT_RISK: "I risiko",
    Status.DELAYED: "Forsinket",
    Status.DONE: "Færdiggjort",
    Status.CONTINUED: "Videreført",
    Status.DROPPED: "Bortfaldet",
}
LEGEND = [
    (Light.GREEN, "Igangsat"),
    (Light.YELLOW, "I risiko"),
    (Light.RED, "Forsinket/overskredet"),
    (Light.BLUE, "Færdiggjort/videreført"),
    (Light.GREY, "Ikke igangsat/bortfaldet"),
]


class Milestone(Protocol):
    """What the timeline needs of an obligation; `Obligation` itself will do."""

    action: str
    due_start: datetime.date | None
    due_end: datetime.date | None
    status: str


@dataclass(frozen=True)
class Mark:
    """An obligation on a timeline, with the page that opens it (the admin's, or the
    public one): the one milestone type of the front page's and the public pages'
    timelines."""

    action: str
    due_start: datetime.date | None
    due_end: datetime.date | None
    status: str
    url: str


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    light: Light


def _pattern(light: Light, prefix: str) -> str:
    """A fill that tells the lights apart without colour: lines, dots, cross-hatch, stripes."""
    colour = LIGHT_COLOURS[light]
    body = {
        Light.GREEN: f'<path d="M0,6 L6,0" stroke="{colour}" stroke-width="1.6"/>',
        Light.YELLOW: f'<circle cx="3" cy="3" r="1.4" fill="{colour}"/>',
        Light.RED: f'<path d="M0,6 L6,0 M0,0 L6,6" stroke="{colour}" stroke-width="1.4"/>',
        Light.GREY: f'<path d="M0,3 L6,3" stroke="{colour}" stroke-width="1"/>',
    }[light]
    return (
        f'<pattern id="{prefix}-{light.value}" patternUnits="userSpaceOnUse" width="6" '
        f'height="6"><rect width="6" height="6" fill="#fff"/>{body}</pattern>'
    )


def _defs(prefix: str) -> str:
    patterns = "".join(_pattern(light, prefix) for light in Light if light != Light.BLUE)
    return f"<defs>{patterns}</defs>"


def _fill(light: Light, prefix: str) -> str:
    # Blue, the closed statuses, is solid: a solid fill drawn as a pattern shows seams
    # between its tiles in WeasyPrint.
    return LIGHT_COLOURS[light] if light == Light.BLUE else f"url(#{prefix}-{light.value})"


def _points(*xy: float) -> str:
    return " ".join(f"{xy[i]:.1f},{xy[i + 1]:.1f}" for i in range(0, len(xy), 2))


def _marker(light: Light, x: float, y: float, size: float = 6) -> str:
    """The light's shape: circle, triangle, square, diamond or an empty ring."""
    colour = LIGHT_COLOURS[light]
    s = size
    match light:
        case Light.GREEN:
            return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s * 0.85:.1f}" fill="{colour}"/>'
        case Light.YELLOW:
            points = _points(x, y - s, x + s, y + s * 0.8, x - s, y + s * 0.8)
            return f'<polygon points="{points}" fill="{colour}"/>'
        case Light.RED:
            return (
                f'<rect x="{x - s * 0.8:.1f}" y="{y - s * 0.8:.1f}" width="{s * 1.6:.1f}" '
                f'height="{s * 1.6:.1f}" fill="{colour}"/>'
            )
        case Light.BLUE:
            points = _points(x, y - s, x + s, y, x, y + s, x - s, y)
            return f'<polygon points="{points}" fill="{colour}"/>'
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s * 0.75:.1f}" fill="#fff" '
        f'stroke="{colour}" stroke-width="2"/>'
    )


def _text(x: float, y: float, text: str, size: float = 11, **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(text)}</text>'


def _svg(
    width: float, height: float, label: str, body: Iterable[str], role: str = "img"
) -> SafeString:
    # Every text in the body went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="{role}" aria-label="{escape(label)}" font-family="{FONT}" '
        f'class="chart">{"".join(body)}</svg>'
    )


def _legend(y: float, prefix: str, size: float) -> list[str]:
    """One line: each light's pattern, shape and words."""
    parts, x = [], 0.0
    for light, label in LEGEND:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - size * 0.75:.1f}" width="26" height="{size * 0.8:.1f}" '
            f'fill="{_fill(light, prefix)}" stroke="{LIGHT_COLOURS[light]}"/>'
        )
        parts.append(_marker(light, x + 38, y - size * 0.35, size * 0.45))
        parts.append(_text(x + 50, y, label, size))
        x += 64 + text_width(label, size)
    return parts


def bar_chart_svg(bars: Sequence[Bar], *, title: str = "Forpligtelser pr. status") -> SafeString:
    """Horizontal bars, one per status, each with its shape, pattern, words and count."""
    prefix, width, row, label_w, top = "bars", 1000, 30, 330, 6
    bar_w = width - label_w - 60
    largest = max((bar.count for bar in bars), default=0) or 1
    body = [_defs(prefix)]
    for i, bar in enumerate(bars):
        y = top + i * row
        colour = LIGHT_COLOURS[bar.light]
        body.append(_marker(bar.light, 9, y + 11, 7))
        body.append(_text(24, y + 16, bar.label, 16))
        length = bar_w * bar.count / largest
        if bar.count:
            body.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{max(length, 2):.1f}" height="22" '
                f'fill="{_fill(bar.light, prefix)}" stroke="{colour}" stroke-width="1.2"/>'
            )
        body.append(_text(label_w + length + 8, y + 17, str(bar.count), 16, font_weight="bold"))
    height = top + len(bars) * row + 4
    return _svg(width, height, title, body)


@dataclass(frozen=True)
class Tick:
    """A line on the time axis, `x` units from its start. `label` is written by the line and
    `year` (bold) above it; a tick with neither is a gridline between the labelled ones."""

    day: datetime.date
    x: float
    label: str = ""
    year: str = ""


# The steps the axis may take, in months, finest first: months, quarters, half-years, then
# years, labelling every 2nd, 5th, 10th... year when single years would not fit.
AXIS_STEPS = (1, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
LABEL_OFFSET = 2  # a label starts this far right of its line
MIN_GRID_GAP = 10  # gridlines between the labels only when at least this far apart


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """An estimate of the drawn width: SVG has no text metrics, and DejaVu Sans, the widest
    of our fonts, averages about 0.62 em a character (0.7 in bold)."""
    return len(text) * size * (0.7 if bold else 0.62)


def _boundaries(start: datetime.date, end: datetime.date, step: int) -> list[datetime.date]:
    """The first days of months from start to end, every `step`-th month counted from year
    0, so that quarters begin in January, April, July and October and 5 years in 2020, 2025."""
    index = start.year * 12 + start.month - 1
    if start.day > 1:  # that month began before the start
        index += 1
    index += -index % step
    days = []
    while (day := datetime.date(index // 12, index % 12 + 1, 1)) <= end:
        days.append(day)
        index += step
    return days


def _labelled(
    days: list[datetime.date], step: int, at: Callable[[datetime.date], float]
) -> list[Tick]:
    if step >= 12:
        return [Tick(day, at(day), str(day.year)) for day in days]
    # The year stands over the first tick and over every January.
    return [
        Tick(day, at(day), MONTHS[day.month - 1], str(day.year) if i == 0 or day.month == 1 else "")
        for i, day in enumerate(days)
    ]


def _fits(ticks: list[Tick], size: float) -> bool:
    """No label reaches the next one in its row, with half a letter's height between them."""
    for row, bold in (("label", False), ("year", True)):
        right = -float("inf")
        for tick in ticks:
            text = getattr(tick, row)
            if text:
                left = tick.x + LABEL_OFFSET
                if left < right + size / 2:
                    return False
                right = left + text_width(text, size, bold=bold)
    return True


def axis_ticks(
    start: datetime.date, end: datetime.date, width: float, *, size: float = 13
) -> list[Tick]:
    """The ticks of a time axis `width` units long: the finest step whose labels fit, each
    label range with its year, and lighter gridlines between the labels where there is room."""
    span = max((end - start).days, 1)

    def at(day: datetime.date) -> float:
        return width * (day - start).days / span

    month_width = width * 30.44 / span
    for step in AXIS_STEPS:
        days = _boundaries(start, end, step)
        # A lone December's year would crowd January's: then the labels start at January
        # and December keeps only its gridline.
        tries = [days, days[1:]] if step < 12 else [days]
        fitting = [t for t in (_labelled(d, step, at) for d in tries) if t and _fits(t, size)]
        if fitting:
            labelled = fitting[0]
            break
    else:
        # No step's labels fit: the first month, or the start, alone says when it is.
        first = (_boundaries(start, end, 1) or [start])[0]
        return [Tick(first, at(first), MONTHS[first.month - 1], str(first.year))]
    # One level of gridlines between the labels: the next step down, unless too dense.
    below = [s for s in AXIS_STEPS if s < step and step % s == 0]
    grid = below[-1] if below and below[-1] * month_width >= MIN_GRID_GAP else step
    taken = {tick.day for tick in labelled}
    between = [Tick(d, at(d)) for d in _boundaries(start, end, grid) if d not in taken]
    return sorted(labelled + between, key=lambda tick: tick.day)


def timeline_svg(
    milestones: Iterable[Milestone],
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date,
    marker_label: str = "I dag",
    highlight: tuple[datetime.date, datetime.date] | None = None,
    highlight_label: str = "",
    title: str = "Tidslinje over milepæle",
) -> SafeString:
    """One row per milestone from start to end: its due window, its shape and its status.

    `today` is the day the statuses are read at (overdue is counted from it) and is drawn
    as a dashed line labelled `marker_label`; `highlight` shades a span of days, such as
    the period since the previous meeting.
    """
    milestones = list(milestones)
    # 1000 units are the width of an A4 page's text, so 15 units print at about 7.5 pt.
    prefix, width, row, size = "timeline", 1000, 26, 15
    x0, x1, status_x = 390, 860, 872  # labels left of x0, status words right of x1
    top = 62
    span = max((end - start).days, 1)

    def x_at(day: datetime.date) -> float:
        day = min(max(day, start), end)
        return x0 + (x1 - x0) * (day - start).days / span

    rows_h = max(len(milestones), 1) * row
    bottom = top + rows_h
    body = [_defs(prefix)]
    if highlight:
        hx0, hx1 = x_at(highlight[0]), x_at(highlight[1])
        body.append(
            f'<rect x="{hx0:.1f}" y="{top - 4}" width="{max(hx1 - hx0, 1):.1f}" '
            f'height="{rows_h + 4}" fill="#e4e4e4"/>'
        )
    axis = ['<g class="axis">']
    for tick in axis_ticks(start, end, x1 - x0, size=size - 2):
        x = x0 + tick.x
        colour = "#aaa" if tick.label else "#d4d4d4"
        axis.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{colour}" stroke-width="0.7"/>'
        )
        if tick.label:
            axis.append(_text(x + LABEL_OFFSET, top - 10, tick.label, size - 2, fill="#333"))
        if tick.year:
            axis.append(_text(x + LABEL_OFFSET, top - 27, tick.year, size - 2, font_weight="bold"))
    axis.append("</g>")
    body.extend(axis)
    for i, milestone in enumerate(milestones):
        y = top + i * row
        mid = y + row / 2
        light = traffic_light(milestone.status, milestone.due_end, today)
        parts: list[str] = []
        colour = LIGHT_COLOURS[light]
        if i % 2:
            parts.append(
                f'<rect x="0" y="{y}" width="{width}" height="{row}" fill="#000" '
                'fill-opacity="0.04"/>'
            )
        parts.append(_text(0, mid + 5, Truncator(milestone.action).chars(44), size))
        # A start with no deadline ("tidligst fra 2026") runs to the axis' end, unmarked.
        end_day = milestone.due_end or (end if milestone.due_start else None)
        start_day = milestone.due_start or end_day
        if end_day and start_day <= end and end_day >= start:
            bx0, bx1 = x_at(start_day), x_at(end_day)
            if bx1 - bx0 >= 2:
                parts.append(
                    f'<rect x="{bx0:.1f}" y="{mid - 6:.1f}" width="{bx1 - bx0:.1f}" '
                    f'height="12" fill="{_fill(light, prefix)}" stroke="{colour}" '
                    'stroke-width="1"/>'
                )
            if milestone.due_end and start <= end_day <= end:
                parts.append(_marker(light, bx1, mid, 7))
        word = (
            "Overskredet"
            if is_overdue(milestone.status, milestone.due_end, today)
            else SHORT_STATUS.get(milestone.status, milestone.status)
        )
        parts.append(_text(status_x, mid + 5, word, size - 1))
        url = getattr(milestone, "url", "")
        if url:
            # A link around the row: hovering shows the obligation, a click opens it.
            body.append(
                f'<a href="{escape(url)}"><title>{escape(milestone.action)} – {escape(word)}'
                f"</title>{''.join(parts)}</a>"
            )
        else:
            body.extend(parts)
    if not milestones:
        body.append(_text(x0, top + 18, "Ingen milepæle i perioden.", size, fill="#333"))
    if start <= today <= end:
        x = x_at(today)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 44}" x2="{x:.1f}" y2="{bottom}" '
            'stroke="#000" stroke-width="2" stroke-dasharray="6 3"/>'
        )
        near_right = x > x1 - 150
        body.append(
            _text(
                x - 5 if near_right else x + 5,
                top - 46,
                marker_label,
                size,
                font_weight="bold",
                text_anchor="end" if near_right else "start",
            )
        )
    legend_y = bottom + 30
    body.extend(_legend(legend_y, prefix, size - 2))
    second = legend_y + 26
    body.append(
        f'<line x1="13" y1="{second - 13}" x2="13" y2="{second + 3}" stroke="#000" '
        'stroke-width="2" stroke-dasharray="6 3"/>'
    )
    body.append(_text(50, second, marker_label, size - 2))
    if highlight and highlight_label:
        hx = 80 + text_width(marker_label, size - 2)
        body.append(
            f'<rect x="{hx:.1f}" y="{second - 11}" width="26" height="12" fill="#e4e4e4" '
            'stroke="#999"/>'
        )
        body.append(_text(hx + 36, second, highlight_label, size - 2))
    # With links in it, the chart is a group of controls, not a single image.
    linked = any(getattr(m, "url", "") for m in milestones)
    return _svg(width, second + 10, title, body, role="group" if linked else "img")
