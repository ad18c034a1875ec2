"""The newer rows of dates.md: the "i starten af / midt i / sidst i" family, lists of
quarters and halves, ranges across years and kinds, two years with a slash, school years
and "tidligst" (a start with no deadline), read alone and found in running text."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements.dates import (
    Relative,
    Unreadable,
    Window,
    annual_occurrences,
    find_time_phrases,
    read_phrase,
    window_text,
)
from tests.agreements.test_dates_properties import MONTHS, months, single_phrases, years

D = datetime.date

PRIMO_2017 = (D(2017, 1, 1), D(2017, 4, 30))
MEDIO_2017 = (D(2017, 5, 1), D(2017, 8, 31))
ULTIMO_2017 = (D(2017, 9, 1), D(2017, 12, 31))
PRIMO_MARCH = (D(2017, 3, 1), D(2017, 3, 10))
MEDIO_MARCH = (D(2017, 3, 11), D(2017, 3, 20))
ULTIMO_MARCH = (D(2017, 3, 21), D(2017, 3, 31))

PARTS_OF_A_YEAR_OR_MONTH = [
    ("i starten af 2017", PRIMO_2017),
    ("starten af 2017", PRIMO_2017),
    ("i begyndelsen af 2017", PRIMO_2017),
    ("først i 2017", PRIMO_2017),
    ("midt i 2017", MEDIO_2017),
    ("i midten af 2017", MEDIO_2017),
    ("i slutningen af 2017", ULTIMO_2017),
    ("sidst i 2017", ULTIMO_2017),
    ("i starten af marts 2017", PRIMO_MARCH),
    ("i begyndelsen af marts 2017", PRIMO_MARCH),
    ("først i marts 2017", PRIMO_MARCH),
    ("midt i marts 2017", MEDIO_MARCH),
    ("i midten af marts 2017", MEDIO_MARCH),
    ("i slutningen af marts 2017", ULTIMO_MARCH),
    ("sidst i marts 2017", ULTIMO_MARCH),
    ("senest sidst i marts 2017", ULTIMO_MARCH),
    ("sidst i februar 2024", (D(2024, 2, 21), D(2024, 2, 29))),
    ("først på året 2017", PRIMO_2017),
    ("sidst på året 2017", ULTIMO_2017),
    ("i slutningen af året 2017", ULTIMO_2017),
    # A part of a quarter, a half or a season is the same third of its months.
    ("i slutningen af 1. halvår 2017", (D(2017, 5, 1), D(2017, 6, 30))),
    ("primo 2. kvartal 2017", (D(2017, 4, 1), D(2017, 4, 30))),
    ("sidst i efteråret 2017", (D(2017, 11, 1), D(2017, 11, 30))),
]

LISTS_OF_QUARTERS_AND_HALVES = [
    ("1. og 2. kvartal 2024", (D(2024, 1, 1), D(2024, 6, 30))),
    ("3. og 4. kvartal 2024", (D(2024, 7, 1), D(2024, 12, 31))),
    ("1.-3. kvartal 2024", (D(2024, 1, 1), D(2024, 9, 30))),
    ("1.–3. kvartal 2024", (D(2024, 1, 1), D(2024, 9, 30))),
    ("1. - 3. kvartal 2024", (D(2024, 1, 1), D(2024, 9, 30))),
    ("1. – 3. kvartal 2024", (D(2024, 1, 1), D(2024, 9, 30))),
    ("2.-4. kvartal 2024", (D(2024, 4, 1), D(2024, 12, 31))),
    ("1., 2. og 3. kvartal 2024", (D(2024, 1, 1), D(2024, 9, 30))),
    ("i 1. og 2. kvartal 2024", (D(2024, 1, 1), D(2024, 6, 30))),
    ("fra 1. og 2. kvartal 2024", (D(2024, 1, 1), D(2024, 6, 30))),
    ("første og andet kvartal 2024", (D(2024, 1, 1), D(2024, 6, 30))),
    ("1.–2. halvår 2024", (D(2024, 1, 1), D(2024, 12, 31))),
    ("1.-2. halvår 2024", (D(2024, 1, 1), D(2024, 12, 31))),
    ("1. – 2. halvår 2024", (D(2024, 1, 1), D(2024, 12, 31))),
    ("1. og 2. halvår 2024", (D(2024, 1, 1), D(2024, 12, 31))),
    ("1. og 2. halvår af 2024", (D(2024, 1, 1), D(2024, 12, 31))),
    ("første og andet halvår 2024", (D(2024, 1, 1), D(2024, 12, 31))),
    ("4. kvartal 2024 - 1. kvartal 2025", (D(2024, 10, 1), D(2025, 3, 31))),
    ("fra 3. og 4. kvartal 2024 til 1. kvartal 2025", (D(2024, 7, 1), D(2025, 3, 31))),
    ("1.-15. marts 2025", (D(2025, 3, 1), D(2025, 3, 15))),
]

RANGES_ACROSS_YEARS_AND_KINDS = [
    ("november 2012 – januar 2013", (D(2012, 11, 1), D(2013, 1, 31))),
    ("november 2012-januar 2013", (D(2012, 11, 1), D(2013, 1, 31))),
    ("november 2012 til januar 2013", (D(2012, 11, 1), D(2013, 1, 31))),
    ("2011-sommeren 2012", (D(2011, 1, 1), D(2012, 8, 31))),
    ("2011 – sommeren 2012", (D(2011, 1, 1), D(2012, 8, 31))),
    ("fra efteråret 2025 til sommeren 2026", (D(2025, 9, 1), D(2026, 8, 31))),
    ("fra efteråret 2025 til og med sommeren 2026", (D(2025, 9, 1), D(2026, 8, 31))),
    ("marts-april 2025", (D(2025, 3, 1), D(2025, 4, 30))),
    ("marts – april 2025", (D(2025, 3, 1), D(2025, 4, 30))),
    ("2024-2026", (D(2024, 1, 1), D(2026, 12, 31))),
    ("2024 – 2026", (D(2024, 1, 1), D(2026, 12, 31))),
    ("medio 2024 – 1. halvår 2025", (D(2024, 5, 1), D(2025, 6, 30))),
    # A part without a year takes the year that puts it in order with its neighbour.
    ("november-januar 2013", (D(2012, 11, 1), D(2013, 1, 31))),
    ("fra efteråret til sommeren 2026", (D(2025, 9, 1), D(2026, 8, 31))),
    ("fra januar 2017 til marts", (D(2017, 1, 1), D(2017, 3, 31))),
]

TWO_YEARS_AND_SCHOOL_YEARS = [
    ("i 2018/2019", (D(2018, 1, 1), D(2019, 12, 31))),
    ("2018/2019", (D(2018, 1, 1), D(2019, 12, 31))),
    ("2018/19", (D(2018, 1, 1), D(2019, 12, 31))),
    ("i 2018/19", (D(2018, 1, 1), D(2019, 12, 31))),
    ("2018 / 19", (D(2018, 1, 1), D(2019, 12, 31))),
    ("2018-19", (D(2018, 1, 1), D(2019, 12, 31))),
    ("1999/00", (D(1999, 1, 1), D(2000, 12, 31))),
    ("i 2026/2027", (D(2026, 1, 1), D(2027, 12, 31))),
    ("skoleåret 2025/2026", (D(2025, 8, 1), D(2026, 7, 31))),
    ("skoleåret 2025/26", (D(2025, 8, 1), D(2026, 7, 31))),
    ("i skoleåret 2025/26", (D(2025, 8, 1), D(2026, 7, 31))),
    ("skoleåret 2025-2026", (D(2025, 8, 1), D(2026, 7, 31))),
    ("skoleaaret 2025/26", (D(2025, 8, 1), D(2026, 7, 31))),
    ("fra skoleåret 2025/26 til 2027/28", (D(2025, 8, 1), D(2028, 7, 31))),
    ("skoleårene 2025/26 og 2026/27", (D(2025, 8, 1), D(2027, 7, 31))),
    ("årsskiftet 2016/2017", (D(2016, 12, 1), D(2017, 1, 31))),
    ("ved årsskiftet 2016/17", (D(2016, 12, 1), D(2017, 1, 31))),
]

STARTS_WITHOUT_A_DEADLINE = [
    ("tidligst 1. januar 2025", (D(2025, 1, 1), None)),
    ("tidligst fra 2026", (D(2026, 1, 1), None)),
    ("tidligst i 2026", (D(2026, 1, 1), None)),
    ("tidligst 2026", (D(2026, 1, 1), None)),
    ("tidligst pr. 1. juli 2025", (D(2025, 7, 1), None)),
    ("tidligst fra og med 1. juli 2025", (D(2025, 7, 1), None)),
    ("tidligst medio 2026", (D(2026, 5, 1), None)),
    ("tidligst fra efteråret 2025", (D(2025, 9, 1), None)),
    ("tidligst fra 2. halvår 2025", (D(2025, 7, 1), None)),
    ("tidligst fra 2025-2026", (D(2025, 1, 1), None)),
    ("tidligst sidst i 2026", (D(2026, 9, 1), None)),
    ("ikke før 2026", (D(2026, 1, 1), None)),
    # With a deadline as well, it is an ordinary window.
    ("tidligst 2025 og senest 2027", (D(2025, 1, 1), D(2027, 12, 31))),
    ("tidligst 1. januar 2025, senest ultimo 2025", (D(2025, 1, 1), D(2025, 12, 31))),
    ("fra tidligst 2025 til senest 2027", (D(2025, 1, 1), D(2027, 12, 31))),
]

NEW_ROWS = (
    PARTS_OF_A_YEAR_OR_MONTH
    + LISTS_OF_QUARTERS_AND_HALVES
    + RANGES_ACROSS_YEARS_AND_KINDS
    + TWO_YEARS_AND_SCHOOL_YEARS
    + STARTS_WITHOUT_A_DEADLINE
)


@pytest.mark.parametrize(("phrase", "window"), NEW_ROWS)
def test_each_new_row_of_dates_md_reads_as_its_window(phrase, window):
    assert read_phrase(phrase) == Window(*window)


@pytest.mark.parametrize(("phrase", "window"), NEW_ROWS)
def test_case_spaces_line_breaks_a_trailing_period_and_ascii_letters_do_not_matter(phrase, window):
    ascii_ = phrase.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    shouted = "  " + phrase.upper().replace(" ", " \n ", 1) + ". "
    for variant in (ascii_, shouted, phrase.replace(" ", "  ")):
        assert read_phrase(variant) == Window(*window), variant


@pytest.mark.parametrize(
    ("phrase", "year", "window"),
    [
        ("sidst i marts", 2017, ULTIMO_MARCH),
        ("midt i året", 2017, MEDIO_2017),
        ("i slutningen af året", 2017, ULTIMO_2017),
        ("1. og 2. kvartal", 2024, (D(2024, 1, 1), D(2024, 6, 30))),
        ("1.–2. halvår", 2024, (D(2024, 1, 1), D(2024, 12, 31))),
        ("marts-april", 2025, (D(2025, 3, 1), D(2025, 4, 30))),
        ("tidligst 1. januar", 2025, (D(2025, 1, 1), None)),
    ],
)
def test_a_phrase_without_a_year_takes_it_from_the_context_and_says_so(phrase, year, window):
    assert read_phrase(phrase, year=year) == Window(*window, year_from_context=True)
    reading = read_phrase(phrase)
    assert isinstance(reading, Unreadable)
    assert "årstal" in reading.error


def test_a_phrase_with_its_own_years_does_not_say_it_took_the_context_year():
    assert read_phrase("fra efteråret til sommeren 2026", year=2017).year_from_context is False
    assert read_phrase("1. og 2. kvartal 2024", year=2017).year_from_context is False


@pytest.mark.parametrize(
    ("phrase", "part"),
    [
        ("sidst i smarts 2017", "smarts"),
        ("først i blåmandag 2017", "blåmandag"),
        ("3.-1. kvartal 2024", "slutter før den begynder"),
        ("5. kvartal 2024", "fire kvartaler"),
        ("1. og 3. halvår 2024", "to halvår"),
        ("2019/2018", "slutter før den begynder"),
        ("2018/17", "slutter før den begynder"),
        ("skoleåret 2025/2027", "to år i træk"),
        ("skoleåret 2025", "begge år"),
        ("tidligst frem mod 2028", "hverken"),
        ("tidligst 2027 og senest 2025", "slutter før den begynder"),
        ("årsskiftet 2016/2018", "to år i træk"),
    ],
)
def test_an_unreadable_phrase_names_the_part_not_understood(phrase, part):
    reading = read_phrase(phrase)
    assert isinstance(reading, Unreadable), reading
    assert part in reading.error


@pytest.mark.parametrize("phrase", ["24/7", "1/3", "2/3", "1/3 2025", "50/50", "15-20", "1-3"])
def test_fractions_and_numbers_are_not_read_as_dates(phrase):
    assert isinstance(read_phrase(phrase), Unreadable)


def test_an_annual_series_takes_the_same_part_of_each_year():
    windows = annual_occurrences("årligt fra sidst i 2017 til og med 2019")
    assert windows == [Window(D(y, 9, 1), D(y, 12, 31)) for y in (2017, 2018, 2019)]


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (D(2025, 1, 1), None, "fra 01.01.2025"),
        (None, D(2028, 12, 31), "senest 31.12.2028"),
        (D(2025, 1, 1), D(2025, 12, 31), "01.01.2025 – 31.12.2025"),
        (None, None, "uden dato"),
    ],
)
def test_a_window_in_words_says_fra_when_it_has_no_end(start, end, text):
    assert window_text(start, end) == text


# --- in running text ----------------------------------------------------------------------

IN_RUNNING_TEXT = [
    ("Projektet gennemføres 1. og 2. kvartal 2024 i tre regioner.", "1. og 2. kvartal 2024"),
    ("Screeningen udvides 1.–3. kvartal 2024, hvorefter den evalueres.", "1.–3. kvartal 2024"),
    ("Kampagnen kører 1.-2. halvår 2024 på landsplan.", "1.-2. halvår 2024"),
    ("Der afrapporteres i 1., 2. og 3. kvartal 2024.", "i 1., 2. og 3. kvartal 2024"),
    ("Evalueringen foreligger sidst i marts 2017.", "sidst i marts 2017"),
    ("Planen er klar midt i 2017, og den drøftes.", "midt i 2017"),
    ("Der følges op i slutningen af 2017 af parterne.", "i slutningen af 2017"),
    ("Oplægget sendes i begyndelsen af marts 2017 til ministeriet.", "i begyndelsen af marts 2017"),
    (
        "Forsøget kører fra efteråret 2025 til sommeren 2026 i fem kommuner.",
        "fra efteråret 2025 til sommeren 2026",
    ),
    ("Data indsamles november 2012 – januar 2013 og analyseres.", "november 2012 – januar 2013"),
    ("Tallene for 2011-sommeren 2012 viser en stigning.", "2011-sommeren 2012"),
    ("Kurset udbydes marts-april 2025 i alle regioner.", "marts-april 2025"),
    ("Ordningen evalueres i 2018/19 af Sundhedsstyrelsen.", "i 2018/19"),
    ("Ordningen evalueres 2018/2019 af Sundhedsstyrelsen.", "2018/2019"),
    ("Tilbuddet gælder skoleåret 2025/26 på alle skoler.", "skoleåret 2025/26"),
    (
        "Loven træder i kraft tidligst 1. januar 2025, når den er vedtaget.",
        "tidligst 1. januar 2025",
    ),
    ("Midlerne udbetales tidligst fra 2026 til kommunerne.", "tidligst fra 2026"),
    (
        "Ordningen indfases tidligst 2025 og senest 2027 i hele landet.",
        "tidligst 2025 og senest 2027",
    ),
    ("Tilbuddet gælder i skoleårene 2025/26 og 2026/27.", "i skoleårene 2025/26 og 2026/27"),
    (
        "Udbuddet sker i andet og tredje kvartal 2024, og så evalueres det.",
        "i andet og tredje kvartal 2024",
    ),
    ("Indsatsen gennemføres 1.-15. marts 2025 i regionerne.", "1.-15. marts 2025"),
    ("Rapporten kommer i slutningen af 1. halvår 2017.", "i slutningen af 1. halvår 2017"),
    ("1. januar 2025: Loven træder i kraft", "1. januar 2025"),
    ("Sidst i\nmarts 2017 er planen klar.", "Sidst i\nmarts 2017"),
]


@pytest.mark.parametrize(("text", "phrase"), IN_RUNNING_TEXT)
def test_a_new_phrase_is_found_whole_in_running_text(text, phrase):
    found = find_time_phrases(text)
    assert [f.phrase for f in found] == [phrase]
    [hit] = found
    assert text[hit.start : hit.end] == phrase
    assert hit.reading == read_phrase(phrase)
    assert isinstance(hit.reading, Window)


def test_each_leading_date_of_a_time_table_is_its_own_phrase():
    text = (
        "Tidsplan\n"
        "1. januar 2025: Loven træder i kraft\n"
        "1. juli 2025: Første evaluering\n"
        "15. marts 2026: Afrapportering til Folketinget\n"
    )
    found = find_time_phrases(text)
    assert [f.phrase for f in found] == ["1. januar 2025", "1. juli 2025", "15. marts 2026"]
    assert [f.reading.end for f in found] == [D(2025, 1, 1), D(2025, 7, 1), D(2026, 3, 15)]


def test_a_start_without_a_deadline_is_found_with_no_end():
    [found] = find_time_phrases("Midlerne udbetales tidligst fra 2026.")
    assert found.reading == Window(D(2026, 1, 1), None)


def test_fractions_and_round_the_clock_are_not_found_in_running_text():
    text = "Hotline åben 24/7, og 1/3 af midlerne går til 2/3 af regionerne; 50/50 i 2024/25."
    assert [f.phrase for f in find_time_phrases(text)] == ["i 2024/25"]


# --- properties ---------------------------------------------------------------------------

SYNONYMS = {
    "primo": ["i starten af", "starten af", "i begyndelsen af", "først i", "foerst i"],
    "medio": ["midt i", "i midten af"],
    "ultimo": ["sidst i", "i slutningen af"],
}
synonyms = st.sampled_from([(part, s) for part, words in SYNONYMS.items() for s in words])


@given(synonyms, years)
def test_each_synonym_of_a_part_of_a_year_reads_as_the_part(synonym, year):
    part, words = synonym
    assert read_phrase(f"{words} {year}") == read_phrase(f"{part} {year}")


@given(synonyms, months, years)
def test_each_synonym_of_a_part_of_a_month_reads_as_the_part(synonym, month, year):
    part, words = synonym
    name = MONTHS[month - 1]
    assert read_phrase(f"{words} {name} {year}") == read_phrase(f"{part} {name} {year}")


quarter_pairs = st.tuples(st.integers(1, 4), st.integers(1, 4)).map(sorted)
separators = st.sampled_from(["-", "–", " - ", " – ", " og ", " til "])


@given(quarter_pairs, separators, years)
def test_a_list_of_quarters_runs_from_the_first_to_the_last(pair, separator, year):
    first, last = pair
    reading = read_phrase(f"{first}.{separator}{last}. kvartal {year}")
    assert reading == Window(
        read_phrase(f"{first}. kvartal {year}").start, read_phrase(f"{last}. kvartal {year}").end
    )


@given(st.integers(1950, 2098), st.booleans(), st.sampled_from(["/", " / ", "-"]))
def test_two_years_in_a_row_are_both_years(year, short, separator):
    second = f"{(year + 1) % 100:02d}" if short else str(year + 1)
    if separator == "-" and not short:
        separator = "/"
    reading = read_phrase(f"{year}{separator}{second}")
    assert reading == Window(D(year, 1, 1), D(year + 1, 12, 31))
    school = read_phrase(f"skoleåret {year}{separator}{second}")
    assert school == Window(D(year, 8, 1), D(year + 1, 7, 31))


@given(single_phrases)
def test_tidligst_is_the_start_of_the_inner_phrase_with_no_end(phrase):
    inner = read_phrase(phrase)
    assert read_phrase(f"tidligst {phrase}") == Window(inner.start, None)


periods = st.one_of(
    years.map(str),
    st.tuples(st.sampled_from(["primo", "medio", "ultimo", "sidst i", "midt i"]), years).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
    st.tuples(months, years).map(lambda t: f"{MONTHS[t[0] - 1]} {t[1]}"),
    st.tuples(st.integers(1, 2), years).map(lambda t: f"{t[0]}. halvår {t[1]}"),
    st.tuples(st.integers(1, 4), years).map(lambda t: f"{t[0]}. kvartal {t[1]}"),
    st.tuples(st.sampled_from(["foråret", "sommeren", "efteråret", "vinteren"]), years).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
)


@given(periods, periods, st.sampled_from(["{} – {}", "{}-{}", "fra {} til {}", "{} til og med {}"]))
def test_a_range_of_any_two_periods_runs_from_the_first_start_to_the_last_end(a, b, form):
    first, last = read_phrase(a), read_phrase(b)
    if last.start < first.start:
        (a, first), (b, last) = (b, last), (a, first)
    phrase = form.format(a, b)
    assert read_phrase(phrase) == Window(first.start, last.end), phrase
    found = find_time_phrases(f"Det sker {phrase} i regionerne.")
    assert [f.reading for f in found] == [Window(first.start, last.end)], phrase


@pytest.mark.parametrize(
    ("text", "phrase", "reading"),
    [
        (
            "Ordningen videreføres indtil 2028.",
            "indtil 2028",
            Window(None, datetime.date(2028, 12, 31)),
        ),
        (
            "Reformen træder i kraft ved udgangen af det kommende år.",
            "ved udgangen af det kommende år",
            Relative("det kommende år"),
        ),
        (
            "Over det kommende år skal alle have nyt digitalt ID.",
            "Over det kommende år",
            Relative("det kommende år"),
        ),
        (
            "Markeringen finder sted i løbet af foråret.",
            "i løbet af foråret",
            Window(datetime.date(2015, 3, 1), datetime.date(2015, 5, 31), year_from_context=True),
        ),
    ],
)
def test_phrases_met_in_press_releases_are_found_in_running_text(text, phrase, reading):
    [found] = find_time_phrases(text, 2015)
    assert found.phrase == phrase
    assert found.reading == reading


@pytest.mark.parametrize(
    "text",
    [
        "Flere danskere vil få kræft de kommende år.",
        "Midlerne understøtter udviklingen over de næste år.",
        "Om foråret er der travlt.",
    ],
)
def test_vague_time_words_are_not_time_phrases(text):
    assert find_time_phrases(text, 2015) == []
