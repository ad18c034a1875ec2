"""The finder on texts unlike the five agreements: timelines where the date leads, headings
that date the bullets below them, actors that are not known parties, a web page's
furniture, quotes from ministers and funding sentences."""

import pytest

from agreements.candidates import LOW_SCORE, find_candidates

PARTIES = [{"name": "KL"}, {"name": "Danske Regioner"}, {"name": "Regeringen"}]

TIMELINE = """Tidsplan for aftalen

• April 2024: Lovforslag om en ny beskæftigelsesindsats fremsættes af beskæftigelsesministeren.
• 1. juli 2024: STAR udsender en vejledning til kommunerne.
1. januar 2025: Loven træder i kraft, og kommunerne overgår til den nye indsats.
"""

HEADINGS = """Implementering

1. og 2. kvartal 2024
• Styrelsen for International Rekruttering og Integration udarbejder en bekendtgørelse
• KL og KOMBIT udvikler det fælles it-system til sagsbehandlingen

2. halvår 2024
• Kommunerne tager systemet i brug
"""

PRESS_RELEASE = "\n".join(
    [
        "Spring til hovedindhold",
        "Forside Nyheder Om ministeriet",
        "Vi bruger cookies til at forbedre siden, og vores cookiepolitik gælder fra "
        "1. marts 2025. Accepter alle",
        "",
        "Ny aftale styrker indsatsen",
        "",
        "Regeringen og Danske Regioner er enige om, at regionerne skal etablere tre nye "
        "klinikker i 2025.",
        "Der afsættes 45 mio. kr. i 2025 og 50 mio. kr. i 2026 til klinikkerne.",
        "Indenrigs- og sundhedsministeren siger: ”Vi har ventet længe på denne aftale, og i "
        "2025 ser patienterne forskellen i hele landet.”",
    ]
)


def by_phrase(candidates):
    return {c.phrase.lower(): c for c in candidates}


def test_a_bullet_led_by_a_date_is_one_candidate_with_its_action():
    found = by_phrase(find_candidates(TIMELINE, 2024, PARTIES))
    bill = found["april 2024"]
    assert bill.quote == (
        "April 2024: Lovforslag om en ny beskæftigelsesindsats fremsættes af "
        "beskæftigelsesministeren."
    )
    assert (bill.start, bill.end, bill.kind) == ("2024-04-01", "2024-04-30", "deliverable")
    guidance = found["1. juli 2024"]
    assert guidance.quote == "1. juli 2024: STAR udsender en vejledning til kommunerne."
    in_force = found["1. januar 2025"]
    assert in_force.quote.startswith("1. januar 2025: Loven træder i kraft")
    assert (in_force.start, in_force.end) == ("2025-01-01", "2025-01-01")
    assert all(c.score >= LOW_SCORE for c in found.values())


def test_actors_outside_the_known_parties_are_offered_as_new_parties():
    found = by_phrase(find_candidates(TIMELINE, 2024, PARTIES))
    assert found["april 2024"].new_actors == ["Beskæftigelsesministeren"]
    assert found["1. juli 2024"].new_actors[0] == "STAR"
    assert "STAR" in found["1. juli 2024"].actors


def test_a_date_heading_dates_the_bullets_below_it():
    candidates = find_candidates(HEADINGS, 2024, PARTIES)
    quotes = {c.quote: c for c in candidates}
    order = quotes[
        "Styrelsen for International Rekruttering og Integration udarbejder en bekendtgørelse"
    ]
    assert (order.start, order.end) == ("2024-01-01", "2024-06-30")
    assert order.dated_by == "1. og 2. kvartal 2024"
    assert order.new_actors == ["Styrelsen for International Rekruttering og Integration"]
    system = quotes["KL og KOMBIT udvikler det fælles it-system til sagsbehandlingen"]
    assert (system.start, system.end) == ("2024-01-01", "2024-06-30")
    assert system.actors == ["KL", "KOMBIT"]
    # The next heading starts its own dating.
    taken = quotes["Kommunerne tager systemet i brug"]
    assert (taken.start, taken.end) == ("2024-07-01", "2024-12-31")
    # The headings themselves are not candidates: their bullets are.
    assert "1. og 2. kvartal 2024" not in quotes and "2. halvår 2024" not in quotes


def test_page_furniture_quotes_and_funding_rank_below_the_obligation():
    candidates = find_candidates(PRESS_RELEASE, 2025, PARTIES)
    ranked = [c.quote for c in candidates if c.score >= LOW_SCORE]
    assert ranked == [
        "Regeringen og Danske Regioner er enige om, at regionerne skal etablere tre nye "
        "klinikker i 2025."
    ]
    flags = {c.quote[:30]: c.flags for c in candidates}
    assert "sidetekst" in flags["Vi bruger cookies til at forbe"]
    assert "finansiering" in flags["Der afsættes 45 mio. kr. i 202"]
    assert "citat" in flags["Indenrigs- og sundhedsminister"]


@pytest.mark.parametrize(
    "line",
    [
        "Arbejdet færdiggøres\n1. oktober 2025.",
        "Sundhedsstyrelsen udarbejder anbefalinger, der sendes i høring\nprimo 2025.",
    ],
)
def test_a_sentence_wrapped_before_its_date_stays_one_clause(line):
    [candidate] = find_candidates(line, 2025, PARTIES)
    assert candidate.quote == " ".join(line.split())
