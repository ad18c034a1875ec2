"""Reading Danish time phrases into due windows.

The agreements rarely give a calendar date: they say "medio november 2023", "primo 2017",
"efteråret 2017", "i 2018-2019" or "hurtigst muligt efter oplæggets godkendelse". This
module turns such a phrase into one of three readings:

- ``Window(start, end)``: both dates inclusive; ``end`` is the deadline. ``start`` is None
  for "frem mod 2028"; ``end`` is None for "tidligst fra 2026", a start with no deadline
  (never overdue, nothing to remind of).
- ``Relative(to, span, before)``: no window of its own; the phrase counts from another
  obligation or event ("oplæggets godkendelse"). When that one is done, the window runs
  from the day it was done for ``span``; with ``before`` ("inden da", "forud herfor") the
  deadline is the anchor's own deadline instead.
- ``Unreadable(error)``: a Danish message that names the part that was not understood.

The conventions are the project's (shared design notes, dates.md): primo/medio/ultimo (and
"i starten af", "midt i", "sidst i" ...) are thirds of a year and days 1-10/11-20/21-end of
a month; halvår, kvartal and lists of them ("1. og 2. kvartal", "1.-3. kvartal"), seasons,
"årsskiftet", two years ("2018/19"), school years (August to July), ranges that may cross
years and mix kinds ("2011-sommeren 2012"), "senest"/"fra"/"inden udgangen af" prefixes
that keep the window of the inner phrase, "frem mod" with no start, "tidligst" with no end.
A phrase without a year takes the context year given by the caller and says so
(``year_from_context``); it is never guessed from today.

Default spans of relative phrases: "hurtigst muligt efter X" runs 30 days from the day X
was done (``DEFAULT_RELATIVE_SPAN``); "efter to år" two years; "senest fire uger efter"
four weeks.

Input may be typed with ae/oe/aa for æ/ø/å, and may be OCR-mangled the way the Kræftplan V
scan is: "1 2025" and "12025" for "i 2025", "efteraret" for "efteråret", "ar" for "år".
"""

import bisect
import calendar
import datetime
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_RELATIVE_SPAN = datetime.timedelta(days=30)
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Window:
    start: datetime.date | None
    end: datetime.date | None
    year_from_context: bool = False


@dataclass(frozen=True)
class Relative:
    to: str
    span: datetime.timedelta = DEFAULT_RELATIVE_SPAN
    before: bool = False

    def window_after(self, anchor_done: datetime.date) -> Window:
        """The window once the anchor was done on the given day."""
        return Window(anchor_done, anchor_done + self.span)

    def window_before(self, anchor_deadline: datetime.date) -> Window:
        """The window of "inden da": done by the anchor's own deadline."""
        return Window(None, anchor_deadline)


@dataclass(frozen=True)
class Unreadable:
    error: str


Reading = Window | Relative | Unreadable


@dataclass(frozen=True)
class FoundPhrase:
    """A time phrase found in running text: the text as written and where it stands."""

    phrase: str
    start: int
    end: int
    reading: Reading


def window_text(start: datetime.date | None, end: datetime.date | None) -> str:
    """A due window in Danish day.month.year, for lists, reports and e-mails."""
    if start is None and end is None:
        return "uden dato"
    if start is None:
        return f"senest {end:%d.%m.%Y}"
    if end is None:
        # "tidligst fra 2026": a start and no deadline.
        return f"fra {start:%d.%m.%Y}"
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


# --- canonical form ---------------------------------------------------------------------
#
# Phrases are read in a canonical form: lower case, æ/ø/å spelt ae/oe/aa, one space between
# words, OCR slips mended. Each canonical character remembers where it came from, so that a
# phrase found in running text is reported exactly as it is written there.


@dataclass
class _Canonical:
    text: str
    origin: list[int]  # origin[i]: index in the original of canonical character i
    source: str

    def original(self, start: int, end: int) -> str:
        """The original text behind canonical[start:end]."""
        if start >= end:
            return ""
        return self.source[self.origin[start] : self.origin[end - 1] + 1]

    def sub(self, pattern: re.Pattern, replacement: str | Callable[[re.Match], str]) -> None:
        # The origins are copied only where a replacement changes the length: elsewhere
        # each character keeps its own (and a step that matches nothing copies nothing).
        pieces, origin, last, kept = [], [], 0, 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            pieces.append(self.text[last:start])
            if callable(replacement):
                new = replacement(match)
            elif "\\" in replacement:
                new = match.expand(replacement)
            else:
                new = replacement  # no group references: expand() would parse it each time
            pieces.append(new)
            last = end
            if len(new) == end - start:
                continue
            origin.extend(self.origin[kept:start])
            span = self.origin[start:end] or [self._at(start)]
            # Each new character maps to the original character at the same place in the
            # match, or the match's last one: what is replaced stays inside the match.
            origin.extend(span[min(i, len(span) - 1)] for i in range(len(new)))
            kept = end
        if not pieces:
            return
        pieces.append(self.text[last:])
        if kept:
            origin.extend(self.origin[kept:])
            self.origin = origin
        self.text = "".join(pieces)

    def _at(self, index: int) -> int:
        if index < len(self.origin):
            return self.origin[index]
        return self.origin[-1] if self.origin else 0


_LETTERS = {"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "–": "-", "—": "-", "’": "'"}
_CANONICAL_STEPS: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    # A word broken at a line end: "ud-\narbejder".
    (re.compile(r"(?<=[a-zæøå])-\n\s*(?=[a-zæøå])"), ""),
    (re.compile(r"[æøåé–—’]"), lambda m: _LETTERS[m.group()]),
    (re.compile(r"\s+"), " "),
    # Spaces around a range's hyphen or slash: "2017- 2018", "2016 / 2017".
    (re.compile(r"(?<=\d) ?([-/]) ?(?=\d)"), r"\1"),
    # OCR: "i" read as "1" before a year or a period ("1 2025", "12025", "1 efteraret
    # 2025"), but not "1. oktober" or "1 mio. kr.".
    (
        re.compile(
            r"(?<![\d.,])\b1 (?=(?:19|20)\d\d\b|primo|medio|ultimo|foraar|forar|sommer|"
            r"efteraar|efterar|vinter|januar|februar|marts|april|maj|juni|juli|august|september|"
            r"oktober|november|december|perioden|aarene|arene)"
        ),
        "i ",
    ),
    (re.compile(r"(?<![\d.,])\b1((?:19|20)\d\d)\b(?![.,]\d)"), r"i \1"),
    # OCR and ascii typing: å read as "a".
    (re.compile(r"\b(efter|for|halv|aars|hel)ar"), r"\1aar"),
    (re.compile(r"\barsskiftet\b"), "aarsskiftet"),
    (re.compile(r"\bar(ligt|ene|et)?\b"), r"aar\1"),
    (re.compile(r"\bpa\b"), "paa"),
    (re.compile(r"\bnar\b"), "naar"),
    (re.compile(r"\bforste\b"), "foerste"),
    (re.compile(r"\blobet\b"), "loebet"),
]


def _canonical(text: str) -> _Canonical:
    canon = _Canonical(text.lower(), list(range(len(text))), text)
    for pattern, replacement in _CANONICAL_STEPS:
        canon.sub(pattern, replacement)
    return canon


# --- the vocabulary ---------------------------------------------------------------------

_MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?:19|20)\d\d"
# A part of a year or a month: primo/medio/ultimo and their Danish phrasings ("i starten
# af", "midt i", "sidst i", "først på året"); "i" before "starten af" is a prefix of its own.
_PART = (
    r"(?:primo|medio|ultimo|(?:starten|begyndelsen|midten|slutningen) af|"
    r"(?:foerst|midt|sidst|tidligt|sent) i|(?:foerst|midt|sidst) paa(?= aaret))"
)
_PART_INDEX = {
    "primo": 0, "starten": 0, "begyndelsen": 0, "foerst": 0, "tidligt": 0,
    "medio": 1, "midten": 1, "midt": 1,
    "ultimo": 2, "slutningen": 2, "sidst": 2, "sent": 2,
}  # fmt: skip
_ORDINALS = {
    "foerste": 1, "andet": 2, "anden": 2, "tredje": 3, "fjerde": 4,
}  # fmt: skip
_ORDINAL = r"(?:\d{1,2}\.?|foerste|andet|anden|tredje|fjerde|sidste)"
_HALF_WORD = r"halv(?:aar(?:et)?|del(?:en)?)(?: af)?"
_QUARTER_WORD = r"(?:kvartal(?:et)?|kvt\.?)(?: af)?"
_HALF = rf"{_ORDINAL} ?{_HALF_WORD}"
_QUARTER = rf"{_ORDINAL} ?{_QUARTER_WORD}"
_SEASON = r"(?:foraar(?:et)?|sommer(?:en)?|efteraar(?:et)?|vinter(?:en)?)"
# Two years: "2018/2019", "2018/19", "2018-19" (a hyphen and four digits is a range).
_PAIR = rf"(?P<year>{_YEAR})(?:/(?P<year2>{_YEAR}|\d\d)|-(?P<short>\d\d))(?!\d)"
_NUMBERS = {
    "en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
    "syv": 7, "otte": 8, "ni": 9, "ti": 10, "tolv": 12,
}  # fmt: skip
_UNITS = {"dag": 1, "dage": 1, "uge": 7, "uger": 7, "maaned": 30, "maaneder": 30, "aar": 365}

# One period, with or without its year. Groups are read by _period().
_SINGLE_FORMS = [
    ("day", rf"(?P<day>\d{{1,2}})\.? ?(?P<month>{_MONTH})(?: (?P<year>{_YEAR}))?"),
    ("part_month", rf"(?P<part>{_PART}) (?P<month>{_MONTH})(?: (?P<year>{_YEAR}))?"),
    (
        "month",
        rf"(?P<month>{_MONTH})(?:(?: ?/ ?| og | til )(?P<month2>{_MONTH}))?(?: (?P<year>{_YEAR}))?",
    ),
    ("part_year", rf"(?P<part>{_PART})(?: aaret)?(?: (?P<year>{_YEAR}))?"),
    ("half", rf"(?P<half>{_HALF})(?: (?P<year>{_YEAR}))?"),
    ("quarter", rf"(?P<quarter>{_QUARTER})(?: (?P<year>{_YEAR}))?"),
    ("after_summer", rf"efter sommer(?:en)?(?: (?P<year>{_YEAR}))?"),
    ("season", rf"(?P<season>{_SEASON})(?: (?P<year>{_YEAR}))?"),
    ("turn", rf"aarsskiftet(?: (?P<year>{_YEAR})[-/](?P<year2>{_YEAR}|\d\d))?"),
    ("school_year", rf"skoleaar(?:et|ene)? (?P<year>{_YEAR})[-/](?P<year2>{_YEAR}|\d\d)"),
    ("school_year_alone", rf"skoleaar(?:et|ene)?(?: (?P<year>{_YEAR}))?"),
    ("years", _PAIR),
    ("year", rf"(?:aaret )?(?P<year>{_YEAR})"),
    ("this_year", r"aaret"),
]
_SINGLE = [(kind, re.compile(pattern)) for kind, pattern in _SINGLE_FORMS]
# A part of another period of whole months ("i slutningen af 1. halvår 2017"): the same
# third of its months.
_PART_OF = re.compile(rf"(?P<part>{_PART}) (?P<inner>.+)")

# Words before a period that keep its window: "i", "senest", "fra", "ved udgangen af" ...
_KEEP_PREFIX = re.compile(
    r"^(?:i loebet af|i hele perioden|i perioden|i aarene|perioden|"
    r"inden udgangen af|ved udgangen af|udgangen af|med opstart fra|med opstart i|"
    r"med virkning fra|med start fra|med start i|opstart fra|opstart i|faerdig i|faerdigt i|"
    r"afsluttes i|senest i|senest|inden|ved|fra og med|fra|pr\.?|per|den|i|paa|med|omkring|"
    r"allerede|fuldt|ogsaa|igen) "
)
_KEEP_SUFFIX = re.compile(r" (?:og frem(?:efter)?|og fremover|og fremad|og videre)$")
_UNTIL = re.compile(r"^(?:frem mod|frem til|indtil|op til|senest inden) (?P<rest>.+)$")
# A start with no deadline: "tidligst 1. januar 2025", "tidligst fra 2026"; with a
# deadline as well ("tidligst 2025 og senest 2027") it is an ordinary window.
_EARLIEST = re.compile(r"^(?:tidligst|ikke foer|ikke tidligere end) (?P<rest>.+)$")
_EARLIEST_LATEST = re.compile(
    r"^(?:tidligst|ikke foer|ikke tidligere end) (?P<first>.+?)"
    r"(?:,? og|,| men| til(?: og med)?| ?-) senest (?P<last>.+)$"
)
# Between the parts of a range; a slash between digits is not one: "2018/19" is one period.
_RANGE_SPLIT = re.compile(
    r" til og med | til | og i | og | frem til | indtil |, |-|/(?!\d)|(?<!\d)/"
)
# A part of a list that is only an ordinal ("1." in "1. og 2. kvartal") takes the rest of
# the next part ("kvartal 2024").
_BARE_ORDINAL = re.compile(r"^(?:\d{1,2}|foerste|andet|anden|tredje|fjerde|sidste)\.?$")
_PAIR_NAMED = re.compile(r"^(?P<name>skoleaar(?:et|ene)?|aarsskiftet) ")
_PAIR_ALONE = re.compile(_PAIR)
_LEADING_ORDINAL = re.compile(
    r"^(?:\d{1,2}\.? ?|(?:foerste|andet|anden|tredje|fjerde|sidste) )(?P<rest>[a-z].*)$"
)

# Relative phrases: they count from another obligation or event.
_FROM_NOW = (
    r"(?:det kommende (?:aar|halvaar)|de kommende (?:\w+ )?(?:aar|maaneder|uger)|naeste aar"
    r"|samme dag)"
)
_RELATIVE_FORMS = [
    # "hurtigst muligt [og senest fire uger] [efter X]"
    re.compile(
        r"^hurtigst muligt(?: og senest (?P<n>\w+) (?P<unit>\w+))?"
        r"(?: efter,?(?: at)?(?: (?P<to>.+))?)?$"
    ),
    # "senest fire uger efter X", "efter to år", "to år efter X"
    re.compile(r"^(?:senest |inden )?(?P<n>\w+) (?P<unit>\w+) efter,?(?: at)?(?: (?P<to>.+))?$"),
    re.compile(r"^efter (?P<n>\w+) (?P<unit>dage?|uger?|maaned(?:er)?|aar)$"),
    # Counted from the text's own date, or the day just named: "over det kommende år",
    # "ved udgangen af det kommende år", "de kommende måneder", "næste år", "samme dag".
    re.compile(
        r"^(?:over |i |inden for |inden udgangen af |ved udgangen af |i loebet af )?"
        rf"(?P<to>{_FROM_NOW})$"
    ),
]
_BEFORE_FORMS = [
    re.compile(r"^(?P<to>inden da|forud herfor|forinden|inden (?:det|dette))$"),
    re.compile(r"^i god tid (?:inden|foer) (?P<to>.+)$"),
]
_AFTER_EVENT = re.compile(
    r"^(?:i forbindelse med|i forlaengelse af|paa baggrund(?: af)?|som opfoelgning paa|"
    r"i takt med|naar|efter|senere end) (?P<to>.+)$"
)
# An event named with a year that is not its deadline: "i økonomiaftalen for 2018",
# "med udmøntningsaftalen for 2026 og frem", "forhandlingerne om finansloven for 2018".
_EVENT_WORDS = re.compile(
    r"aftale|finanslov|forhandling|godkendelse|vedtagelse|analyse|oplaeg|projekt|"
    r"beslutning|heraf|herefter|dette|det"
)
_EVENT_IN = re.compile(r"^(?:i|med|ved|under) (?P<to>\S*(?:aftale|finanslov|forhandling)\S*.*)$")

_KNOWN_WORDS = (
    set(_MONTHS)
    | set(_PART_INDEX)
    | set(_NUMBERS)
    | set(_UNITS)
    | {
        "primo", "medio", "ultimo", "starten", "begyndelsen", "midten", "slutningen", "af",
        "halvaar", "halvaaret", "foerste", "andet", "anden", "sidste", "kvartal", "kvartalet",
        "foraar", "foraaret", "sommer", "sommeren", "efteraar", "efteraaret", "vinter",
        "vinteren", "aarsskiftet", "i", "loebet", "hele", "perioden", "aarene", "inden",
        "udgangen", "ved", "med", "opstart", "virkning", "start", "fra", "faerdig", "faerdigt",
        "afsluttes", "senest", "pr", "per", "den", "paa", "og", "til", "frem", "mod", "efter",
        "hurtigst", "muligt", "god", "tid", "da", "forud", "herfor", "indtil", "op",
        "fremover", "fremefter", "aarligt", "hvert", "omkring", "ogsaa", "allerede",
        "foerst", "midt", "sidst", "tidligt", "sent", "aaret", "tredje", "fjerde",
        "halvdel", "halvdelen", "kvt", "skoleaar", "skoleaaret", "skoleaarene", "tidligst",
        "ikke", "foer", "tidligere", "end",
    }
)  # fmt: skip


# --- building windows -------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_window(year: int, first: int, last: int | None = None) -> tuple:
    last = last or first
    return datetime.date(year, first, 1), datetime.date(year, last, _last_day(year, last))


class _NotUnderstood(Exception):
    def __init__(self, message: str):
        self.message = message


def _need_year(year: int | None) -> int:
    if year is None:
        raise _MissingYear()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _NotUnderstood(f"årstallet {year} ligger uden for {FIRST_YEAR}-{LAST_YEAR}")
    return year


class _MissingYear(Exception):
    pass


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _months(first: int, last: int) -> tuple:
    """From the first day of month index `first` to the last day of month index `last`."""
    year, month = divmod(last, 12)
    start = datetime.date(first // 12, first % 12 + 1, 1)
    return start, datetime.date(year, month + 1, _last_day(year, month + 1))


def _part_of(part: str, start: datetime.date, end: datetime.date, text: str) -> tuple:
    """The third of a period that primo/medio/ultimo (or "sidst i" ...) names: days 1-10,
    11-20 and 21-end of one month; of a period of whole months, a third of its months."""
    third = _PART_INDEX[part.split()[0]]
    first, last = _month_index(start), _month_index(end)
    whole = start.day == 1 and end.day == _last_day(end.year, end.month)
    if whole and first == last:
        days = [(1, 10), (11, 20), (21, end.day)][third]
        return start.replace(day=days[0]), start.replace(day=days[1])
    count = last - first + 1
    if not whole or count % 3 or count > 12:
        raise _NotUnderstood(f"»{text}« kan ikke deles i en start, en midte og en slutning")
    size = count // 3
    return _months(first + third * size, first + (third + 1) * size - 1)


def _numbered(text: str, count: int, name: str) -> int:
    """Which of the year's halves or quarters "2. kvartal", "andet halvår" names."""
    word = re.match(r"\d+|[a-z]+", text).group()
    number = count if word == "sidste" else _ORDINALS.get(word) or int(word)
    if not 1 <= number <= count:
        raise _NotUnderstood(f"der er kun {name} i et år, ikke »{text}«")
    return number


def _second_year(first: int, text: str) -> int:
    """The second year of "2018/2019" or "2018/19"; "1999/00" is 2000."""
    if len(text) == 4:
        return int(text)
    second = first // 100 * 100 + int(text)
    return second + 100 if second < first and second + 100 - first < 50 else second


def _period(kind: str, match: re.Match, year: int | None) -> tuple:
    """The (start, end) of one period."""
    groups = match.groupdict()
    if kind == "school_year_alone":
        raise _NotUnderstood("et skoleår skrives med begge år, fx »skoleåret 2025/2026«")
    y = _need_year(int(groups["year"]) if groups.get("year") else year)
    if kind in ("year", "this_year"):
        return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    if kind == "years":
        second = _need_year(_second_year(y, groups["year2"] or groups["short"]))
        if second <= y:
            raise _NotUnderstood(f"»{match.group()}« slutter før den begynder")
        return datetime.date(y, 1, 1), datetime.date(second, 12, 31)
    if kind == "day":
        month = _MONTHS[groups["month"].rstrip(".")]
        day = int(groups["day"])
        if not 1 <= day <= _last_day(y, month):
            raise _NotUnderstood(f"den {day}. findes ikke i {groups['month'].rstrip('.')} {y}")
        return datetime.date(y, month, day), datetime.date(y, month, day)
    if kind == "part_month":
        start, end = _month_window(y, _MONTHS[groups["month"].rstrip(".")])
        return _part_of(groups["part"], start, end, match.group())
    if kind == "month":
        first = _MONTHS[groups["month"].rstrip(".")]
        last = _MONTHS[groups["month2"].rstrip(".")] if groups.get("month2") else first
        if last < first:
            raise _NotUnderstood(f"»{match.group()}« slutter før den begynder")
        return _month_window(y, first, last)
    if kind == "part_year":
        return _part_of(groups["part"], *_month_window(y, 1, 12), match.group())
    if kind == "half":
        half = _numbered(groups["half"], 2, "to halvår")
        return _month_window(y, 6 * half - 5, 6 * half)
    if kind == "quarter":
        quarter = _numbered(groups["quarter"], 4, "fire kvartaler")
        return _month_window(y, 3 * quarter - 2, 3 * quarter)
    if kind == "after_summer":
        return _month_window(y, 9, 12)
    if kind == "season":
        season = groups["season"]
        if season.startswith("foraar"):
            return _month_window(y, 3, 5)
        if season.startswith("sommer"):
            return _month_window(y, 6, 8)
        if season.startswith("efteraar"):
            return _month_window(y, 9, 11)
        return datetime.date(y, 12, 1), datetime.date(y + 1, 2, _last_day(y + 1, 2))
    if kind in ("turn", "school_year"):
        if groups.get("year2") and _second_year(y, groups["year2"]) != y + 1:
            raise _NotUnderstood(f"»{match.group()}« er ikke to år i træk")
        if kind == "school_year":
            return datetime.date(y, 8, 1), datetime.date(y + 1, 7, 31)
        return datetime.date(y, 12, 1), datetime.date(y + 1, 1, 31)
    raise AssertionError(kind)


def _single(text: str, year: int | None) -> tuple | None:
    """(start, end, used_context_year) of one period, or None if it is not one."""
    for kind, pattern in _SINGLE:
        match = pattern.fullmatch(text)
        if match:
            used_context = not match.groupdict().get("year")
            start, end = _period(kind, match, year)
            return start, end, used_context
    part = _PART_OF.fullmatch(text)
    if part:
        inner = _single(part.group("inner"), year)
        if inner:
            return *_part_of(part.group("part"), inner[0], inner[1], text), inner[2]
    return None


def _strip(text: str) -> str:
    text = text.strip(" .,;:")
    while True:
        stripped = _KEEP_SUFFIX.sub("", _KEEP_PREFIX.sub("", text, count=1))
        if stripped == text:
            return text
        text = stripped


def _window(text: str, year: int | None, *, ranges: bool = True) -> Window | None:
    """The window of a canonical phrase, or None if it is not a date phrase."""
    text = _strip(text)
    both = _EARLIEST_LATEST.match(text)
    if both:
        first, last = _window(both["first"], year), _window(both["last"], year)
        if first and last:
            if first.start is None or last.end is None:
                raise _NotUnderstood(f"»{text}« har ikke både en start og en frist")
            if last.end < first.start:
                raise _NotUnderstood(f"»{text}« slutter før den begynder")
            context = first.year_from_context or last.year_from_context
            return Window(first.start, last.end, context)
    earliest = _EARLIEST.match(text)
    if earliest:
        inner = _window(earliest["rest"], year, ranges=ranges)
        if inner and inner.start is None:
            raise _NotUnderstood(f"»{text}« har hverken en start eller en frist")
        return Window(inner.start, None, inner.year_from_context) if inner else None
    until = _UNTIL.match(text)
    if until:
        inner = _window(until["rest"], year, ranges=ranges)
        if inner and inner.end is None:
            raise _NotUnderstood(f"»{text}« har hverken en start eller en frist")
        return Window(None, inner.end, inner.year_from_context) if inner else None
    found = _single(text, year)
    if found:
        return Window(*found)
    # "(ultimo 2018)" inside other words: "midtvejs (ultimo 2018)".
    bracket = re.search(r"\(([^()]+)\)", text)
    if bracket:
        return _window(bracket.group(1), year)
    return _range(text, year) if ranges else None


_NO_YEAR = Window(None, None)  # a part of a range that has no year of its own (yet)


def _range(text: str, year: int | None) -> Window | None:
    """A range "A-B", "fra A til og med B", "A og B", "A, B og C": first start to last end.

    The parts may be of different kinds and years ("2011-sommeren 2012"). A bare ordinal
    takes the rest of the next part ("1. og 2. kvartal 2024"). A part without a year takes
    the year of its neighbour, or the year next to it where that keeps the parts in order
    ("november-januar 2013", "fra efteråret til sommeren 2026").
    """
    parts = [p for p in (_strip(p) for p in _RANGE_SPLIT.split(text)) if p]
    if len(parts) < 2:
        return None
    for index in reversed(range(len(parts) - 1)):
        following = _LEADING_ORDINAL.match(parts[index + 1])
        if following and _BARE_ORDINAL.match(parts[index]):
            number = parts[index].rstrip(".")
            parts[index] = f"{number}{'.' if number.isdigit() else ''} {following['rest']}"
    # Two years after a school year are a school year too: "skoleårene 2025/26 og 2026/27".
    named = None
    for index, part in enumerate(parts):
        if naming := _PAIR_NAMED.match(part):
            named = naming["name"]
        elif named and _PAIR_ALONE.fullmatch(part):
            parts[index] = f"{named} {part}"
    windows = []
    for part in parts:
        try:
            window = _window(part, None, ranges=False)
        except _MissingYear:
            window = _NO_YEAR
        if window is None:
            return None
        windows.append(window)
    used_context = all(w is _NO_YEAR for w in windows)
    if used_context:
        windows[0] = _window(parts[0], year, ranges=False)

    def near(index: int, neighbour: Window, before: bool) -> Window:
        """The part in the neighbour's year, or the year next to it if that is out of order."""
        anchor = neighbour.start or neighbour.end
        window = _window(parts[index], anchor.year, ranges=False)
        here = window.start or window.end
        if here > anchor if before else here < anchor:
            return _window(parts[index], anchor.year + (-1 if before else 1), ranges=False)
        return window

    for index in reversed(range(len(parts) - 1)):
        if windows[index] is _NO_YEAR and windows[index + 1] is not _NO_YEAR:
            windows[index] = near(index, windows[index + 1], before=True)
    for index in range(1, len(parts)):
        if windows[index] is _NO_YEAR:
            windows[index] = near(index, windows[index - 1], before=False)
    anchors = [w.start or w.end for w in windows]
    if any(later < earlier for earlier, later in itertools.pairwise(anchors)):
        raise _NotUnderstood(f"»{text}« slutter før den begynder")
    return Window(windows[0].start, windows[-1].end, used_context)


def _relative(canon: _Canonical) -> Relative | None:
    text = canon.text.strip(" .,;:")
    offset = canon.text.index(text) if text else 0

    def written(match: re.Match, group: str = "to") -> str:
        if match.groupdict().get(group) is None:
            return ""
        start, end = match.span(group)
        return " ".join(canon.original(offset + start, offset + end).split()).strip(" .,;:")

    for pattern in _RELATIVE_FORMS:
        match = pattern.match(text)
        if match:
            span = DEFAULT_RELATIVE_SPAN
            if match.groupdict().get("n"):
                n, unit = match.group("n"), match.group("unit")
                count = _NUMBERS.get(n) or (int(n) if n.isdigit() else None)
                if count is None or unit not in _UNITS:
                    continue
                span = datetime.timedelta(days=count * _UNITS[unit])
            return Relative(written(match), span)
    for pattern in _BEFORE_FORMS:
        match = pattern.match(text)
        if match:
            return Relative(written(match), DEFAULT_RELATIVE_SPAN, before=True)
    match = _EVENT_IN.match(text)
    if match:
        return Relative(written(match))
    match = _AFTER_EVENT.match(text)
    if match and _EVENT_WORDS.search(match.group("to")):
        return Relative(written(match))
    return None


def _unknown_words(canon: _Canonical) -> list[str]:
    unknown = []
    for match in re.finditer(r"[a-z]+", canon.text):
        if match.group() not in _KNOWN_WORDS:
            unknown.append(canon.original(match.start(), match.end()))
    return unknown


def read_phrase(phrase: str, year: int | None = None) -> Reading:
    """Read one time phrase; ``year`` is the context year for a phrase without one."""
    if not isinstance(phrase, str) or not phrase.strip(" .,;:\n\t"):
        return Unreadable("Tidsudtrykket er tomt.")
    if len(phrase) > 500:
        return Unreadable("Tidsudtrykket er for langt til at være et tidsudtryk (over 500 tegn).")
    canon = _canonical(phrase)
    relative = _relative(canon)
    if relative:
        return relative
    shown = " ".join(phrase.split())
    annual = _ANNUAL.match(canon.text.strip(" .,;:"))
    if annual and annual.group("rest"):
        occurrences = annual_occurrences(phrase, year)
        if isinstance(occurrences, Unreadable):
            return occurrences
        return Window(occurrences[0].start, occurrences[-1].end)
    try:
        window = _window(canon.text, year)
    except _MissingYear:
        return Unreadable(
            f"»{shown}« har intet årstal, og der er ikke angivet et år fra sammenhængen."
        )
    except _NotUnderstood as problem:
        return Unreadable(f"Forstod ikke »{shown}«: {problem.message}.")
    if window:
        return window
    unknown = _unknown_words(canon)
    if unknown:
        words = ", ".join(f"»{word}«" for word in unknown)
        return Unreadable(f"Forstod ikke {words} i »{shown}«.")
    return Unreadable(
        f"Forstod ikke »{shown}« som et tidsudtryk (fx »medio 2017«, »november 2023«, "
        "»1. halvår 2017« eller »hurtigst muligt efter …«)."
    )


_ANNUAL = re.compile(r"^(?:aarligt|hvert aar|aar for aar)(?: (?P<rest>.+))?$")


def annual_occurrences(phrase: str, year: int | None = None) -> list[Window] | Unreadable:
    """One window per year for "årligt fra medio 2017 til og med 2020": medio of each year.

    A phrase without "årligt"/"hvert år" is one occurrence: its own window.
    """
    canon = _canonical(phrase)
    match = _ANNUAL.match(canon.text.strip(" .,;:"))
    if not match or not match.group("rest"):
        reading = read_phrase(phrase, year)
        if isinstance(reading, Window):
            return [reading]
        if isinstance(reading, Relative):
            return Unreadable(f"»{phrase}« er relativt og har ingen årlige forekomster.")
        return reading
    rest = _strip(match.group("rest"))
    parts = [p for p in re.split(r" til og med | til |-", rest) if p.strip()]
    if len(parts) == 1:
        # "årligt fra 2021 og frem": open-ended; the first occurrence is all that is dated.
        reading = read_phrase(rest, year)
        return [reading] if isinstance(reading, Window) else reading
    if len(parts) != 2:
        return Unreadable(
            f"Forstod ikke »{phrase}« som en årlig periode "
            "(fx »årligt fra medio 2017 til og med 2020«)."
        )
    first_text, last_text = _strip(parts[0]), _strip(parts[1])
    try:
        first = _single(first_text, year)
        last = _single(last_text, year)
    except (_MissingYear, _NotUnderstood):
        first = last = None
    if not first or not last:
        return Unreadable(f"Forstod ikke »{phrase}« som en årlig periode.")
    windows = []
    for y in range(first[0].year, last[1].year + 1):
        template = (
            re.sub(_YEAR, str(y), first_text)
            if re.search(_YEAR, first_text)
            else f"{first_text} {y}"
        )
        try:
            start, end, _ = _single(template, y)
        except (_MissingYear, _NotUnderstood):
            return Unreadable(f"Forstod ikke »{phrase}« som en årlig periode.")
        windows.append(Window(start, end))
    if not windows:
        return Unreadable(f"Forstod ikke »{phrase}«: den årlige periode slutter før den begynder.")
    return windows


# --- phrases in running text ------------------------------------------------------------

_PREFIXES_RUNNING = (
    r"(?:(?:i loebet af|i hele perioden|i perioden|i aarene|inden udgangen af|ved udgangen af|"
    r"med opstart fra|med virkning fra|med start fra|faerdig i|senest|fra og med|fra|pr\.|"
    r"den|i|ved|frem mod|frem til|indtil|aarligt fra|aarligt|tidligst) ){0,3}"
)
# Every repetition in the running patterns is bounded, so that a match that fails (on
# "i i i …" or "1., 2., 3., …") gives up within a few words instead of rescanning the rest
# of the text from every position: the search stays linear in the text's length.
# Lists of ordinals sharing their unit: "1. og 2. kvartal", "1.-3. kvartal", "1.-15. marts".
_ORDINAL_RUNNING = r"(?:[1-4]\.?|foerste|andet|anden|tredje|fjerde|sidste)"
_LIST_RUNNING = r"(?: ?- ?|, | og | til )"
_HALVES_RUNNING = rf"{_ORDINAL_RUNNING}(?:{_LIST_RUNNING}{_ORDINAL_RUNNING}){{0,4}} ?{_HALF_WORD}"
_QUARTERS_RUNNING = (
    rf"{_ORDINAL_RUNNING}(?:{_LIST_RUNNING}{_ORDINAL_RUNNING}){{0,4}} ?{_QUARTER_WORD}"
)
_TWO_YEARS_RUNNING = rf"{_YEAR}[-/](?:{_YEAR}|\d\d)(?!\d)"
_DAYS_RUNNING = rf"\d{{1,2}}\.(?:{_LIST_RUNNING}\d{{1,2}}\.){{0,6}} ?{_MONTH}"
_PERIOD_RUNNING = (
    rf"(?:{_DAYS_RUNNING}(?: {_YEAR})?"
    rf"|{_PART} {_MONTH}(?: {_YEAR})?"
    rf"|{_PART} (?:aaret )?{_YEAR}"
    rf"|{_PART} (?:{_HALVES_RUNNING}|{_QUARTERS_RUNNING}|{_SEASON}) {_YEAR}"
    rf"|{_HALVES_RUNNING} {_YEAR}"
    rf"|{_QUARTERS_RUNNING} {_YEAR}"
    rf"|efter sommer(?:en)? {_YEAR}"
    rf"|{_SEASON} {_YEAR}"
    rf"|(?<=i loebet af ){_SEASON}"
    rf"|aarsskiftet {_TWO_YEARS_RUNNING}"
    rf"|skoleaar(?:et|ene)? {_TWO_YEARS_RUNNING}"
    rf"(?:(?:, | og | ?- ?| til ){_TWO_YEARS_RUNNING}){{0,6}}"
    rf"|{_MONTH}(?: ?[-/] ?| og ){_MONTH} {_YEAR}"
    rf"|{_MONTH} {_YEAR}"
    rf"|{_MONTH}(?= ?(?:til|-))"
    rf"|(?:{_PART})(?= til)"
    rf"|{_YEAR}(?:/(?:{_YEAR}|\d\d)|-\d\d)(?!\d)"
    rf"|{_YEAR})"
)
_RANGE_TAIL = (
    rf"(?:(?: ?- ?| til og med | til |,? og senest |, senest )(?:senest )?(?:{_PERIOD_RUNNING}))?"
    r"(?: og frem(?:efter)?)?"
)
_DATE_RUNNING = re.compile(
    rf"(?<![\w.,/§-]){_PREFIXES_RUNNING}(?:{_PERIOD_RUNNING}){_RANGE_TAIL}(?![\w/]|[.,]\d)"
    rf"(?:(?<=\w) \((?:{_PREFIXES_RUNNING}(?:{_PERIOD_RUNNING}))\))?"
)
_WORDS = r"(?:[a-z'0-9]+ ?){1,6}"
_RELATIVE_RUNNING = re.compile(
    r"\b(?:"
    rf"hurtigst muligt(?: og senest \w+ \w+)?(?: efter(?: at)? {_WORDS})?"
    r"|inden da|forud herfor"
    # In running text only the definite ones: "de kommende år" is a mood, not a deadline.
    r"|(?:over |i |inden for |inden udgangen af |ved udgangen af |i loebet af )?"
    r"det kommende (?:aar|halvaar)|samme dag"
    rf"|i god tid (?:inden|foer) {_WORDS}"
    r"|efter (?:to|tre|fire|fem|\d+) (?:aar|maaneder|uger|dage)"
    r"|i (?:forbindelse med )?(?:de )?(?:aarlige )?oekonomiaftale(?:n|rne)?"
    rf"(?: for (?:henholdsvis )?{_YEAR}(?:(?:, | og ){_YEAR}){{0,6}})?"
    rf"|med udm\w*ntningsaftale(?:n)?(?: (?:om|for) \w+(?: \w+)?)? for {_YEAR} og frem"
    r")"
)


def find_time_phrases(text: str, year: int | None = None) -> list[FoundPhrase]:
    """Every time phrase in running text, in order, as written there, with its reading."""
    if not text:
        return []
    canon = _canonical(text)
    found: list[FoundPhrase] = []
    # The spans of the relative phrases, in order and apart (one pattern's matches do not
    # overlap): a date phrase overlaps one only if it overlaps the last that starts before
    # its end, found by bisection, not by a look at every span taken.
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    for pattern in (_RELATIVE_RUNNING, _DATE_RUNNING):
        relative = pattern is _RELATIVE_RUNNING
        for match in pattern.finditer(canon.text):
            start, end = match.span()
            end = start + len(match.group().rstrip(" "))
            if end <= start:
                continue
            before = bisect.bisect_left(taken_starts, end) - 1
            if not relative and before >= 0 and taken_ends[before] > start:
                continue
            original_start = canon.origin[start]
            original_end = canon.origin[end - 1] + 1
            written = text[original_start:original_end]
            found.append(
                FoundPhrase(written, original_start, original_end, read_phrase(written, year))
            )
            if relative:
                taken_starts.append(start)
                taken_ends.append(end)
    return sorted(found, key=lambda f: f.start)
