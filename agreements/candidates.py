"""Finding the obligations in a new agreement: clauses that carry a time phrase.

The text is normalised (line breaks and hyphenated line ends joined), split into clauses,
and every clause with a time phrase becomes a candidate, with the parties named as actors, a
guess at the kind and a score. Background told in the past tense and pure funding sentences
are kept but flagged and scored low, so that a coordinator sees them last, not never.

Only generic Danish cues are used: the finder must work on the next agreement, which nobody
has seen yet.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from agreements.dates import Relative, Unreadable, Window, find_time_phrases
from agreements.text import normalize_text

# Words whose period does not end a sentence.
_ABBREVIATIONS = {
    "mio", "mia", "kr", "bl.a", "fx", "f.eks", "jf", "pr", "ca", "mv", "m.v", "evt", "nr",
    "ift", "mhp", "inkl", "dvs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "okt", "nov", "dec", "ifm", "vedr", "hhv", "iht", "bl", "o.l", "st", "stk",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ•\d])|\s*[•]\s*")
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
    r"præsenter\w*|drøft\w*|fastlægge\w*|revider\w*|indgå|målsætning|mål)\b",
    re.IGNORECASE,
)
_KINDS = [
    ("target", r"målsætning|\bmål\b|procent|skal opleve|røgfri"),
    ("report", r"status|opfølgning|følge[rs]? op|evaluer|afrapporter|orienter"),
    ("start", r"igangsæt|igangsat|opstart|påbegynd|udrul|etabler|opslå|starte"),
    ("deliverable", r"udarbejd|færdig|afslut|udvikl|høring|offentliggør|fremsend|revider|udbud"),
    ("decision", r"aftale[rs]?\b|beslut|fastlægge|tage[rs]? stilling|godkend|genbekræft|indgå"),
]


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

    def as_json(self) -> dict:
        return {
            "quote": self.quote,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "relative_to": self.relative_to,
            "actors": self.actors,
            "kind": self.kind,
            "score": round(self.score, 2),
            "flags": self.flags,
        }


def split_clauses(text: str) -> list[Clause]:
    """Sentences of normalised text, with their offsets; abbreviations do not split."""
    clauses, start = [], 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()]
        last_word = re.search(r"([\w.]+)\.?$", before.rstrip(".:!?"))
        if (
            match.group().strip() != "•"
            and before.endswith(".")
            and last_word
            and last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS
        ):
            continue
        if before.strip():
            offset = start + len(before) - len(before.lstrip())
            clauses.append(Clause(before.strip(), offset, offset + len(before.strip())))
        start = match.end()
    rest = text[start:]
    if rest.strip():
        offset = start + len(rest) - len(rest.lstrip())
        clauses.append(Clause(rest.strip(), offset, offset + len(rest.strip())))
    return clauses


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


def actors_in(clause: str, names: dict[str, str]) -> list[str]:
    found = []
    lower = clause.lower()
    for name in sorted(names, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lower) and names[name] not in found:
            found.append(names[name])
    return found


def guess_kind(clause: str) -> str:
    for kind, pattern in _KINDS:
        if re.search(pattern, clause, re.IGNORECASE):
            return kind
    return "event"


def find_candidates(text: str, year: int | None = None, parties=None) -> list[Candidate]:
    normalized = normalize_text(text)
    names = party_names(parties)
    clauses = split_clauses(normalized)
    candidates = []
    for found in find_time_phrases(normalized, year):
        if isinstance(found.reading, Unreadable):
            continue
        clause = next((c for c in clauses if c.start <= found.start < c.end), None)
        if clause is None:
            continue
        flags, score = [], 1.0
        if _PAST.search(clause.text):
            flags.append("fortid")
            score -= 0.6
        if _FUNDING.search(clause.text):
            flags.append("finansiering")
            score -= 0.5
        if not _DUTY.search(clause.text):
            flags.append("ingen handling")
            score -= 0.3
        actors = actors_in(clause.text, names)
        if not actors:
            score -= 0.1
        reading = found.reading
        window = reading if isinstance(reading, Window) else None
        candidates.append(
            Candidate(
                quote=clause.text,
                phrase=found.phrase,
                start=window.start.isoformat() if window and window.start else None,
                end=window.end.isoformat() if window and window.end else None,
                relative_to=reading.to if isinstance(reading, Relative) else None,
                actors=actors,
                kind=guess_kind(clause.text),
                score=max(score, 0.0),
                flags=flags,
                span=(clause.start, clause.end),
            )
        )
    return sorted(candidates, key=lambda c: (-c.score, c.span))


LOW_SCORE = 0.5


def _spans(needle: str, haystack: str) -> list[tuple[int, int]]:
    out, at = [], haystack.find(needle)
    while needle and at != -1:
        out.append((at, at + len(needle)))
        at = haystack.find(needle, at + 1)
    return out


def evaluate(fixture: Path) -> dict:
    """Recall and precision of the finder against an agreement's captured obligations."""
    data = yaml.safe_load(Path(fixture).read_text(encoding="utf-8"))
    source = Path(fixture).parent / data["agreement"]["source_file"]
    text = normalize_text(source.read_text(encoding="utf-8"))
    candidates = find_candidates(text, data["agreement"]["year"])
    quotes = [s for o in data["obligations"] for s in _spans(normalize_text(o["quote"]), text)]

    def overlaps(a, b):
        return a[0] < b[1] and b[0] < a[1]

    found = sum(
        1
        for o in data["obligations"]
        if any(
            overlaps(q, c.span)
            for q in _spans(normalize_text(o["quote"]), text)
            for c in candidates
        )
    )
    ranked = [c for c in candidates if c.score >= LOW_SCORE]
    right = sum(1 for c in ranked if any(overlaps(c.span, q) for q in quotes))
    return {
        "recall": found / len(data["obligations"]) if data["obligations"] else 1.0,
        "precision": right / len(ranked) if ranked else 0.0,
        "candidates": len(candidates),
        "ranked": len(ranked),
    }
