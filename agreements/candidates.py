"""Finding the obligations in a new agreement: clauses that carry a time phrase.

The text is normalised (line breaks and hyphenated line ends joined) and split into clauses:
at sentence ends, at bullets, and where the text's lines say a block begins (a bullet, a
line led by a date, a heading). Every clause with a time phrase becomes a candidate, with
its actors (the known parties, and names that look like actors: ministers, agencies,
abbreviations), a guess at the kind and a score. A line led by a date ("April 2024: …",
"1. januar 2025: …") is one clause with its action; a heading that is a date ("1. og 2.
kvartal 2024") dates the bullets below it that have no date of their own.

Background told in the past tense, pure funding sentences, quotes from ministers and the
page's furniture (menus, cookie text) are kept but flagged and scored low, so that a
coordinator sees them last, not never.

Only generic Danish cues are used: the finder must work on the next agreement, which nobody
has seen yet.
"""

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from agreements.dates import FoundPhrase, Relative, Unreadable, Window, find_time_phrases
from agreements.text import normalize_text
from common.cycles import cyclic_gc_paused

# Words whose period does not end a sentence.
_ABBREVIATIONS = {
    "mio", "mia", "kr", "bl.a", "fx", "f.eks", "jf", "pr", "ca", "mv", "m.v", "evt", "nr",
    "ift", "mhp", "inkl", "dvs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "okt", "nov", "dec", "ifm", "vedr", "hhv", "iht", "bl", "o.l", "st", "stk",
    "d", "kl", "ang", "vha", "jvf", "mht", "ubv", "tlf", "eks", "gl", "ekskl", "mfl", "m.fl",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ•\d])|\s*[•]\s*")
# A line that starts a block of its own: a bullet or a numbered point.
_BULLET_LINE = re.compile(r"^\s*(?:[•▪◦·●■□❖➢➤►✓*o-]|[–—]|\d{1,2}\)|[a-h]\))\s+")
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,2}\.$")
_DATE_WORD = re.compile(
    r"(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|"
    r"december|kvartal|halvår)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(indgik|præsenterede|blev (?:afsat|aftalt|indgået|etableret)|har pågået|har rejst|"
    r"har offentliggjort|har iværksat|iværksatte|vedtog|afsatte|pågik|var)\b",
    re.IGNORECASE,
)
_FUNDING = re.compile(r"\b(mio|mia)\.?\s*kr|\bmio\.|\bbloktilskud|\bsærtilskud", re.IGNORECASE)
_DUTY = re.compile(
    r"\b(skal|udarbejde\w*|igangsæt\w*|igangsatte?s|gennemfør\w*|færdig\w*|afslut\w*|"
    r"fremsend\w*|implementer\w*|evaluer\w*|orienter\w*|aftale[rs]?|beslut\w*|følge[rs]? op|"
    r"opfølgning|status|høring|udbud|offentliggør\w*|etabler\w*|påbegynd\w*|udrul\w*|"
    r"præsenter\w*|drøft\w*|fastlægge\w*|revider\w*|indgå|målsætning|mål|"
    r"fremsætte\w*|vedtage[rs]?|vedtaget|træde[rs]? i kraft|ikrafttræd\w*|lancere\w*|indføre\w*|"
    r"udsende\w*|udmelde\w*|udpege\w*|indkalde\w*|ansøg\w*|åbne[rs]?|starte[rs]?|"
    r"opstart\w*|afrapporter\w*|forelægge\w*|sende[rs]? i|udvikle\w*|nedsætte\w*|"
    r"tilpasse\w*|ændre[rs]?|udvide\w*|indfase\w*|forventes|vil|tage[rs]? [\w-]+ i brug|"
    r"ibrugtag\w*|frist\w*|deadline|indberet\w*|ansøgningsfrist\w*|aflever\w*)\b",
    re.IGNORECASE,
)
# The page around the text: menus, skip links, cookie banners, share buttons.
_FURNITURE = re.compile(
    r"\b(cookie\w*|spring til (?:hoved)?indhold|gå til (?:hoved)?indhold|del på|"
    r"tilmeld (?:dig )?nyhedsbrev|log ind|accepter (?:alle)?|facebook|linkedin|twitter|"
    r"læs også|relaterede nyheder|udskriv siden|til toppen)\b",
    re.IGNORECASE,
)
# A quotation from a person: the words between quotation marks next to "siger" and the like.
_SAYS = r"(?:siger|udtaler|fortæller|understreger|mener|tilføjer|lyder det fra)"
_QUOTATION = re.compile(
    rf"{_SAYS}[^.”“\"«»]{{0,80}}:\s*[”“\"«»](?P<a>[^”“\"«»]{{20,3000}})[”“\"«»]"
    rf"|[”“\"«»](?P<b>[^”“\"«»]{{20,3000}})[”“\"«»],?\s*{_SAYS}",
    re.IGNORECASE,
)
_KINDS = [
    ("target", r"målsætning|\bmål\b|procent|skal opleve|røgfri"),
    ("report", r"status|opfølgning|følge[rs]? op|evaluer|afrapporter|orienter"),
    ("start", r"igangsæt|igangsat|opstart|påbegynd|udrul|etabler|opslå|starte|træde[rs]? i kraft"),
    ("deliverable", r"udarbejd|færdig|afslut|udvikl|høring|offentliggør|fremsend|revider|udbud|"
     r"lovforslag|fremsæt"),
    ("decision", r"aftale[rs]?\b|beslut|fastlægge|tage[rs]? stilling|godkend|genbekræft|indgå|"
     r"vedtag"),
]  # fmt: skip
# Names that act, beyond the known parties: a minister, a ministry, an agency, "Styrelsen
# for …", and capitalised abbreviations (STAR, KOMBIT).
_ACTOR = re.compile(
    r"(?<![\w-])(?:"
    r"[A-ZÆØÅa-zæøå][a-zæøå-]{2,}(?:ministeren|ministeriet|ministerierne|styrelsen|styrelse|"
    r"rådet|nævnet|agenturet|instituttet|direktoratet|tilsynet|centret|centeret)"
    r"|Styrelsen for(?: (?:[A-ZÆØÅ][\wæøå-]+|og|for|af))*[A-ZÆØÅa-zæøå][\wæøå-]+"
    r"|[Mm]inisteren for(?: [\wæøå-]+){1,4}?(?= [a-zæøå]+er\b|[,.])"
    r"|[Rr]egeringen|[Kk]ommunerne|[Rr]egionerne|[Aa]rbejdsmarkedets parter"
    r"|[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7}(?:'erne|’erne|'en|’en)?"
    r")(?![\w-])"
)
# Capitalised abbreviations that are not actors.
_NOT_ACTORS = {
    "PDF", "IT", "CPR", "MR", "CT", "PET", "HPV", "OK", "NB", "SMS", "ID", "DK", "BNP", "CO2",
    "ECTS", "FAQ", "HTML", "URL", "EUR", "DKK", "KR", "MIO", "MIA", "FL", "PS", "TV", "ATP",
    "ADHD", "KOL", "AI", "AMU", "EUD", "EUX", "STU", "FGU", "HF", "HHX", "HTX", "STX", "PPR",
    "SFO", "FAKTA", "NYHED", "LÆS", "SE", "OBS",
}  # fmt: skip
_ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int


@dataclass
class Candidate:
    quote: str
    phrase: str
    start: str | None
    end: str | None
    relative_to: str | None
    actors: list[str]
    kind: str
    score: float
    flags: list[str] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)
    # Actors named in the clause that are not known parties: offered as new parties.
    new_actors: list[str] = field(default_factory=list)
    # The heading the window comes from, when the clause has no date of its own.
    dated_by: str = ""

    def as_json(self) -> dict:
        return {
            "quote": self.quote,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "relative_to": self.relative_to,
            "actors": self.actors,
            "new_actors": self.new_actors,
            "kind": self.kind,
            "score": round(self.score, 2),
            "flags": self.flags,
            "dated_by": self.dated_by,
        }


# How far past the cursor a line may start in the normalised text (a space, a joined hyphen).
_LINE_SLACK = 64
# A clause longer than this is cut at a space: real clauses are a few hundred characters,
# and each clause is read once per time phrase in it, so a text without sentence ends
# ("1. januar 2025 1. januar 2025 …") would make the finder quadratic.
MAX_CLAUSE_CHARS = 2_000
# How much of the text before a possible sentence end is read to see an abbreviation or an
# ordinal there.
_TAIL_CHARS = 64


@dataclass(frozen=True)
class Line:
    """A line of the original text, placed in the normalised text."""

    text: str
    start: int
    end: int
    bullet: bool
    blank_before: bool


def text_lines(text: str, normalized: str) -> list[Line]:
    """The non-blank lines of the original text, each with where it stands in the
    normalised text (a line joined to the one before at a hyphenated word is part of it)."""
    lines, cursor, blank, skipped = [], 0, True, 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        piece = " ".join(raw.split())
        if not piece:
            blank = True
            continue
        # The line stands right after the cursor, less what lines skipped since took up:
        # the search looks no further, so that a line not found does not scan the rest of
        # the text (which made the finder quadratic).
        reach = cursor + skipped + len(piece) + _LINE_SLACK
        at = normalized.find(piece[:24], cursor, reach)
        if at == -1 or (at > 0 and normalized[at - 1].isalnum()):
            skipped += len(piece) + 1
            continue  # not found, or the rest of a word hyphenated at the line's end
        end = min(at + len(piece), len(normalized))
        lines.append(Line(piece, at, end, bool(_BULLET_LINE.match(raw)), blank))
        # On past this line (less its last characters: a hyphen joined at its end is gone),
        # so that the next line's words are not found inside this one.
        cursor, blank, skipped = at + max(len(piece) - 2, 1), False, 0
    return lines


def lines_are_blocks(lines: list[Line]) -> bool:
    """Whether each line is a paragraph of its own (a web page's or a Word file's text),
    not prose wrapped at the page's width (a PDF's): most long lines end a sentence."""
    long = [line for line in lines if len(line.text) > 60]
    ended = sum(1 for line in long if re.search(r"[.!?:;”\"»)]$", line.text))
    return bool(long) and ended >= 0.6 * len(long)


def _is_heading(line: Line, following: Line | None, blocks: bool) -> bool:
    """A short line of its own without an ending stop, followed by a new start. In wrapped
    prose it must stand apart too: a blank line before it, and one after or a bullet."""
    words = line.text.split()
    if (
        line.bullet
        or len(line.text) > 90
        or len(words) > 12
        or not (line.text[0].isupper() or line.text[0].isdigit())
        or re.search(r"[.,;–-]$", line.text)
    ):
        return False
    if following is None:
        return True
    if not (following.bullet or following.text[0].isupper() or following.text[0].isdigit()):
        return False
    return blocks or (line.blank_before and (following.blank_before or following.bullet))


def block_starts(lines: list[Line], phrases: list[FoundPhrase]) -> tuple[set[int], set[int]]:
    """Where the lines say a clause begins, and the starts of the heading lines: a bullet
    line, a line led by a date, the line after a heading, and in text whose lines are
    paragraphs, every line."""
    starts, headings = set(), set()
    blocks = lines_are_blocks(lines)
    phrase_at = {p.start: p for p in phrases}
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        if blocks and not line.text[0].islower():
            starts.add(line.start)
        # A date and a colon or dash: "April 2024: …", "1. januar 2025 – …". A line that
        # merely begins with a date may be a sentence wrapped at a line end.
        led = phrase_at.get(line.start)
        led_by_date = led is not None and re.match(r"\s*[:–-]", line.text[led.end - led.start :])
        if line.bullet or led_by_date:
            starts.add(line.start)
        if _is_heading(line, following, blocks):
            headings.add(line.start)
            starts.add(line.start)
            if following is not None:
                starts.add(following.start)
    return starts, headings


def split_clauses(text: str, starts: set[int] | frozenset = frozenset()) -> list[Clause]:
    """Sentences of normalised text, with their offsets; abbreviations do not split. The
    `starts` (offsets in the text) begin a clause too."""
    cuts = []
    for match in _BOUNDARY.finditer(text):
        cuts.append((match.start(), match.end(), match.group().strip() == "•"))
    cuts.extend((at, at, True) for at in starts if 0 < at < len(text))
    cuts.sort()
    clauses, start = [], 0
    for cut_start, cut_end, forced in cuts:
        if cut_start < start:
            continue
        # Only the end of what comes before is read: the clause may have grown long past
        # many abbreviations.
        before = text[max(start, cut_start - _TAIL_CHARS) : cut_start]
        last_word = re.search(r"([\w.]+)\.?$", before.rstrip(".:!?"))
        if (
            not forced
            and before.endswith(".")
            and last_word
            and last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS
        ):
            continue
        if not forced and _ORDINAL_END.search(before) and _DATE_WORD.match(text, cut_end):
            continue  # "1. Januar 2025", "3. Kvartal": an ordinal date, not a sentence end
        _add_clause(clauses, text, start, cut_start)
        start = cut_end
    _add_clause(clauses, text, start, len(text))
    return clauses


def _add_clause(clauses: list[Clause], text: str, start: int, end: int) -> None:
    while end - start > MAX_CLAUSE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_CLAUSE_CHARS)
        if cut == -1:
            cut = start + MAX_CLAUSE_CHARS
        _add_one_clause(clauses, text, start, cut)
        start = cut
    _add_one_clause(clauses, text, start, end)


def _add_one_clause(clauses: list[Clause], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    # A bullet sign at the start of the line is not part of the clause.
    marker = _BULLET_LINE.match(stripped + " ")
    if marker and marker.end() <= len(stripped):
        stripped = stripped[marker.end() :].strip()
    if stripped:
        offset = start + piece.index(stripped)
        clauses.append(Clause(stripped, offset, offset + len(stripped)))


def join_date_labels(clauses: list[Clause], phrases: list[FoundPhrase], text: str):
    """A clause that is only a date and a colon ("April 2024:", "1. januar 2025:") labels
    the clause after it: the two are one clause."""
    # The phrases are in order and apart: only the last one starting at or before a
    # clause can hold it.
    phrase_starts = [p.start for p in phrases]
    joined, i = [], 0
    while i < len(clauses):
        clause = clauses[i]
        is_label = False
        if clause.text.rstrip().endswith((":", "–", "-")):
            label = clause.text.rstrip().rstrip(" :–-")
            at = bisect.bisect_right(phrase_starts, clause.start) - 1
            is_label = at >= 0 and phrases[at].end >= clause.start + len(label)
        if is_label and i + 1 < len(clauses):
            following = clauses[i + 1]
            clause = Clause(text[clause.start : following.end], clause.start, following.end)
            i += 1
        joined.append(clause)
        i += 1
    return joined


def party_names(parties=None) -> dict[str, str]:
    """Lower-case name or alias → the party's name, from the database or parties.yaml."""
    if parties is None:
        from agreements.models import Party

        parties = [
            {"name": p.name, "aliases": p.aliases.splitlines(), "short_name": p.short_name}
            for p in Party.objects.all()
        ]
        if not parties:
            path = Path(__file__).resolve().parent.parent / "fixtures" / "parties.yaml"
            parties = yaml.safe_load(path.read_text(encoding="utf-8"))["parties"]
    names = {}
    for party in parties:
        for name in [party["name"], party.get("short_name"), *(party.get("aliases") or [])]:
            if name and len(name) > 1:
                names[name.lower()] = party["name"]
    names["parterne"] = "Parterne"
    return names


class _Names:
    """The known names as one pattern, longest first, so a clause is searched once."""

    def __init__(self, names: dict[str, str]):
        self.names = names
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)"
            if ordered
            else r"(?!x)x"
        )


def actors_in(clause: str, names: dict[str, str] | _Names) -> list[str]:
    """The known parties named in the clause, the longest name first (a specific party
    before "Parterne")."""
    known = names if isinstance(names, _Names) else _Names(names)
    matched = sorted(
        dict.fromkeys(m.group() for m in known.pattern.finditer(clause.lower())),
        key=len,
        reverse=True,
    )
    return list(dict.fromkeys(known.names[name] for name in matched))


def new_actors_in(clause: str, known: _Names) -> list[str]:
    """Actor-like names in the clause that no known party has: ministers, ministries,
    agencies, "Styrelsen for …", capitalised abbreviations."""
    found = []
    for match in _ACTOR.finditer(clause):
        name = match.group().strip()
        bare = re.sub(r"['’](?:erne|en)$", "", name)
        if bare.upper() in _NOT_ACTORS or _ROMAN.match(bare):
            continue
        if known.pattern.fullmatch(name.lower()) or known.pattern.fullmatch(bare.lower()):
            continue
        if name[0].islower():
            name = name[0].upper() + name[1:]
        if name not in found:
            found.append(name)
    return found


def guess_kind(clause: str) -> str:
    for kind, pattern in _KINDS:
        if re.search(pattern, clause, re.IGNORECASE):
            return kind
    return "event"


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Where a person is quoted: the words in quotation marks next to "siger" and the like."""
    spans = []
    for match in _QUOTATION.finditer(text):
        group = "a" if match.group("a") is not None else "b"
        spans.append(match.span(group))
    return spans


def _score(clause: Clause, actors: list[str], quoted: bool) -> tuple[float, list[str]]:
    flags, score = [], 1.0
    if _FURNITURE.search(clause.text):
        flags.append("sidetekst")
        score -= 1.0
    if quoted:
        flags.append("citat")
        score -= 0.6
    if _PAST.search(clause.text):
        flags.append("fortid")
        score -= 0.6
    if _FUNDING.search(clause.text):
        flags.append("finansiering")
        score -= 0.55
    if not _DUTY.search(clause.text):
        flags.append("ingen handling")
        score -= 0.45
    if not actors:
        score -= 0.1
    return max(score, 0.0), flags


class _Clauses:
    """The clauses in order, found by an offset in one bisection, each read once (its
    actors, flags, score and kind), however many time phrases it holds."""

    def __init__(self, clauses: list[Clause], known: _Names, quotes: list[tuple[int, int]]):
        self.clauses = clauses
        self.starts = [c.start for c in clauses]
        self.known = known
        self.quotes = quotes
        self.quote_starts = [s for s, _ in quotes]
        self._read: dict[int, tuple] = {}

    def holding(self, offset: int) -> Clause | None:
        """The clause the offset stands in."""
        at = bisect.bisect_right(self.starts, offset) - 1
        if at >= 0 and offset < self.clauses[at].end:
            return self.clauses[at]
        return None

    def first_in(self, start: int, end: int) -> Clause | None:
        """The first clause that starts within [start, end)."""
        at = bisect.bisect_left(self.starts, start)
        if at < len(self.clauses) and self.clauses[at].start < end:
            return self.clauses[at]
        return None

    def quoted(self, clause: Clause) -> bool:
        """Mostly inside a quotation ("Ministeren siger: ”…”" is the minister's words). The
        quotations are in order and apart: only those from the last that starts before the
        clause on can overlap it."""
        at = max(bisect.bisect_right(self.quote_starts, clause.start) - 1, 0)
        half = (clause.end - clause.start) / 2
        for s, e in (self.quotes[i] for i in range(at, len(self.quotes))):
            if s >= clause.end:
                break
            if min(clause.end, e) - max(clause.start, s) > half:
                return True
        return False

    def read(self, clause: Clause) -> tuple:
        if clause.start not in self._read:
            actors = actors_in(clause.text, self.known)
            new = new_actors_in(clause.text, self.known)
            score, flags = _score(clause, actors + new, self.quoted(clause))
            kind = guess_kind(clause.text)
            self._read[clause.start] = (actors, new, score, flags, kind)
        return self._read[clause.start]


def _candidate(
    clause: Clause, found: FoundPhrase, clauses: _Clauses, dated_by: str = ""
) -> Candidate:
    reading = found.reading
    window = reading if isinstance(reading, Window) else None
    actors, new, score, flags, kind = clauses.read(clause)
    flags = list(flags)
    if dated_by:
        flags.append("dateret af overskrift")
    return Candidate(
        quote=clause.text,
        phrase=found.phrase,
        start=window.start.isoformat() if window and window.start else None,
        end=window.end.isoformat() if window and window.end else None,
        relative_to=reading.to if isinstance(reading, Relative) else None,
        actors=actors + new,
        kind=kind,
        score=score,
        flags=flags,
        span=(clause.start, clause.end),
        new_actors=list(new),
        dated_by=dated_by,
    )


def find_candidates(text: str, year: int | None = None, parties=None) -> list[Candidate]:
    with cyclic_gc_paused():
        return _find_candidates(text, year, parties)


def _find_candidates(text: str, year: int | None, parties) -> list[Candidate]:
    normalized = normalize_text(text)
    known = _Names(party_names(parties))
    phrases = [f for f in find_time_phrases(normalized, year) if not _unreadable(f)]
    lines = text_lines(text, normalized)
    starts, headings = block_starts(lines, phrases)
    clauses = _Clauses(
        join_date_labels(split_clauses(normalized, starts), phrases, normalized),
        known,
        quotation_spans(normalized),
    )
    candidates, dated = [], set()
    for found in phrases:
        clause = clauses.holding(found.start)
        if clause is None:
            continue
        dated.add(clause.start)
        if clause.start in headings and _only_a_date(clause, found):
            continue  # a date heading: its bullets are the candidates (below)
        candidates.append(_candidate(clause, found, clauses))
    candidates.extend(_dated_by_headings(lines, clauses, phrases, headings, dated, known))
    return sorted(candidates, key=lambda c: (-c.score, c.span))


def _unreadable(found: FoundPhrase) -> bool:
    return isinstance(found.reading, Unreadable)


def _only_a_date(clause: Clause, found: FoundPhrase) -> bool:
    """The clause is a time phrase and little else ("1. og 2. kvartal 2024", "Forår 2025:")."""
    rest = clause.text[: found.start - clause.start] + clause.text[found.end - clause.start :]
    return len(re.findall(r"\w+", rest)) <= 2


# A date heading dates at most this many blocks below it.
HEADING_REACH = 25


def _dated_by_headings(lines, clauses: _Clauses, phrases, headings, dated, known):
    """The blocks under a heading that is a date, which have no date of their own, as
    candidates with the heading's window; they end at the next heading."""
    line_index = {line.start: i for i, line in enumerate(lines)}
    out = []
    for found in phrases:
        heading = clauses.holding(found.start)
        if heading is None or heading.start not in headings or not _only_a_date(heading, found):
            continue
        i = line_index.get(heading.start)
        if i is None:
            continue
        for n, line in enumerate(lines[i + 1 : i + 1 + HEADING_REACH]):
            if line.start in headings:
                break
            # The line's first clause (a bullet's starts after its sign).
            clause = clauses.first_in(line.start, line.end)
            if clause is None or clause.start in dated:
                continue
            # The first block under a date heading is its milestone; further blocks must
            # look like ones (a bullet, an action, an actor).
            if n and not (
                line.bullet
                or _DUTY.search(clause.text)
                or actors_in(clause.text, known)
                or new_actors_in(clause.text, known)
            ):
                continue
            out.append(_candidate(clause, found, clauses, dated_by=heading.text))
    return out


LOW_SCORE = 0.5
# A labelled obligation is found when a candidate covers at least this part of its quote.
COVER = 0.5


def _spans(needle: str, haystack: str) -> list[tuple[int, int]]:
    out, at = [], haystack.find(needle)
    while needle and at != -1:
        out.append((at, at + len(needle)))
        at = haystack.find(needle, at + 1)
    return out


# … or, within a longer quote of several sentences, holds at least this many words
# besides its time phrase: an action, not a date alone.
ACTION_WORDS = 2


def _covers(candidate: Candidate, quote: tuple[int, int]) -> bool:
    """The candidate holds the labelled obligation: it covers half of the quote, or it
    overlaps the quote with an action of its own (not "April 2024:" alone)."""
    span = candidate.span
    overlap = min(span[1], quote[1]) - max(span[0], quote[0])
    if overlap <= 0:
        return False
    if overlap >= COVER * (quote[1] - quote[0]):
        return True
    words = re.findall(r"\w+", candidate.quote.replace(candidate.phrase, " "))
    return len(words) >= ACTION_WORDS


@dataclass(frozen=True)
class Labelled:
    """An obligation labelled by hand: its quote and, where known, its window."""

    quote: str
    start: str | None = None
    end: str | None = None
    check_window: bool = False


def score_labels(text: str, year: int | None, labels: list[Labelled], parties=None) -> dict:
    """Recall and precision of the finder against hand-labelled obligations in a text.

    Recall: the labelled obligations that some candidate covers (at least half of the
    quote), with the labelled window where one is given. Precision: the candidates ranked
    high (score at least LOW_SCORE) that cover some labelled obligation."""
    normalized = normalize_text(text)
    candidates = find_candidates(text, year, parties)
    spans = [(label, _spans(normalize_text(label.quote), normalized)) for label in labels]

    def holds(candidate: Candidate, label: Labelled, span) -> bool:
        if not _covers(candidate, span):
            return False
        return not label.check_window or (candidate.start, candidate.end) == (
            label.start,
            label.end,
        )

    found = sum(
        1
        for label, quote_spans in spans
        if any(holds(c, label, q) for q in quote_spans for c in candidates)
    )
    ranked = [c for c in candidates if c.score >= LOW_SCORE]
    right = sum(
        1 for c in ranked if any(_covers(c, q) for _, quote_spans in spans for q in quote_spans)
    )
    return {
        "recall": found / len(labels) if labels else 1.0,
        "precision": right / len(ranked) if ranked else 0.0,
        "labelled": len(labels),
        "found": found,
        "candidates": len(candidates),
        "ranked": len(ranked),
        "right": right,
    }


def evaluate(fixture: Path) -> dict:
    """Recall and precision of the finder against an agreement's captured obligations."""
    data = yaml.safe_load(Path(fixture).read_text(encoding="utf-8"))
    source = Path(fixture).parent / data["agreement"]["source_file"]
    labels = [Labelled(o["quote"]) for o in data["obligations"]]
    return score_labels(source.read_text(encoding="utf-8"), data["agreement"]["year"], labels)


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


def evaluate_corpus_text(labels_file: Path, parties=None) -> dict:
    """Recall and precision of the finder on a text of the labelled corpus (tests/corpus/):
    a text file beside its labels, whose windows must match too."""
    from agreements.reading import read_agreement_file

    data = yaml.safe_load(Path(labels_file).read_text(encoding="utf-8"))
    source = next(
        path
        for path in sorted(Path(labels_file).parent.glob(Path(labels_file).stem + ".*"))
        if path.suffix != ".yaml"
    )
    text = read_agreement_file(source.name, source.read_bytes())
    labels = [
        Labelled(o["quote"], _iso(o.get("start")), _iso(o.get("end")), check_window=True)
        for o in data.get("obligations") or []
    ]
    result = score_labels(text, data.get("year"), labels, parties)
    return {**result, "held_out": bool(data.get("held_out"))}
