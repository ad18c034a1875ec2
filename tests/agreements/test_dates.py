"""Every convention of the project's dates.md, and the phrases of the five agreements."""

import datetime

import pytest

from agreements.dates import (
    DEFAULT_RELATIVE_SPAN,
    Relative,
    Unreadable,
    Window,
    annual_occurrences,
    find_time_phrases,
    read_phrase,
)
from tests.paths import FIXTURES

D = datetime.date
AGREEMENTS = FIXTURES / "agreements"

CONVENTIONS = [
    ("2017", D(2017, 1, 1), D(2017, 12, 31)),
    ("i 2017", D(2017, 1, 1), D(2017, 12, 31)),
    ("i løbet af 2017", D(2017, 1, 1), D(2017, 12, 31)),
    ("primo 2017", D(2017, 1, 1), D(2017, 4, 30)),
    ("medio 2017", D(2017, 5, 1), D(2017, 8, 31)),
    ("ultimo 2017", D(2017, 9, 1), D(2017, 12, 31)),
    ("november 2023", D(2023, 11, 1), D(2023, 11, 30)),
    ("i januar 2017", D(2017, 1, 1), D(2017, 1, 31)),
    ("primo november 2023", D(2023, 11, 1), D(2023, 11, 10)),
    ("medio november 2023", D(2023, 11, 11), D(2023, 11, 20)),
    ("ultimo november 2023", D(2023, 11, 21), D(2023, 11, 30)),
    ("1. halvår 2017", D(2017, 1, 1), D(2017, 6, 30)),
    ("1. halvår af 2017", D(2017, 1, 1), D(2017, 6, 30)),
    ("2. halvår 2015", D(2015, 7, 1), D(2015, 12, 31)),
    ("1. kvartal 2015", D(2015, 1, 1), D(2015, 3, 31)),
    ("2. kvartal 2015", D(2015, 4, 1), D(2015, 6, 30)),
    ("3. kvartal 2015", D(2015, 7, 1), D(2015, 9, 30)),
    ("4. kvartal 2015", D(2015, 10, 1), D(2015, 12, 31)),
    ("foråret 2017", D(2017, 3, 1), D(2017, 5, 31)),
    ("forår 2017", D(2017, 3, 1), D(2017, 5, 31)),
    ("sommeren 2023", D(2023, 6, 1), D(2023, 8, 31)),
    ("sommer 2023", D(2023, 6, 1), D(2023, 8, 31)),
    ("efter sommer 2023", D(2023, 9, 1), D(2023, 12, 31)),
    ("efter sommeren 2023", D(2023, 9, 1), D(2023, 12, 31)),
    ("efteråret 2017", D(2017, 9, 1), D(2017, 11, 30)),
    ("vinteren 2017", D(2017, 12, 1), D(2018, 2, 28)),
    ("årsskiftet 2016/2017", D(2016, 12, 1), D(2017, 1, 31)),
    ("marts/april 2017", D(2017, 3, 1), D(2017, 4, 30)),
    ("1. oktober 2017", D(2017, 10, 1), D(2017, 10, 1)),
    ("pr. 1. oktober 2017", D(2017, 10, 1), D(2017, 10, 1)),
    ("den 1. oktober 2017", D(2017, 10, 1), D(2017, 10, 1)),
    ("senest august 2017", D(2017, 8, 1), D(2017, 8, 31)),
    ("inden udgangen af 2017", D(2017, 1, 1), D(2017, 12, 31)),
    ("ved udgangen af 2017", D(2017, 1, 1), D(2017, 12, 31)),
    ("færdig i 2027", D(2027, 1, 1), D(2027, 12, 31)),
    ("fra september 2015", D(2015, 9, 1), D(2015, 9, 30)),
    ("med opstart fra september 2015", D(2015, 9, 1), D(2015, 9, 30)),
    ("fra 2018", D(2018, 1, 1), D(2018, 12, 31)),
    ("2017-2020", D(2017, 1, 1), D(2020, 12, 31)),
    ("i perioden 2017-2020", D(2017, 1, 1), D(2020, 12, 31)),
    ("fra 2018 til 2020", D(2018, 1, 1), D(2020, 12, 31)),
    ("fra medio 2017 til og med 2020", D(2017, 5, 1), D(2020, 12, 31)),
    ("frem mod 2028", None, D(2028, 12, 31)),
]


@pytest.mark.parametrize(("phrase", "start", "end"), CONVENTIONS)
def test_the_conventions_of_dates_md(phrase, start, end):
    assert read_phrase(phrase) == Window(start, end)


AGREEMENT_PHRASES = [
    ("ved årsskiftet 2016/2017", D(2016, 12, 1), D(2017, 1, 31)),
    ("Primo 2017", D(2017, 1, 1), D(2017, 4, 30)),
    ("i ultimo 2018", D(2018, 9, 1), D(2018, 12, 31)),
    ("i hele perioden 2017-2020", D(2017, 1, 1), D(2020, 12, 31)),
    ("i foråret 2017", D(2017, 3, 1), D(2017, 5, 31)),
    ("i efteråret 2017", D(2017, 9, 1), D(2017, 11, 30)),
    ("i marts/april 2017", D(2017, 3, 1), D(2017, 4, 30)),
    ("i 1. halvår af 2017", D(2017, 1, 1), D(2017, 6, 30)),
    ("fra 3. kvartal 2015", D(2015, 7, 1), D(2015, 9, 30)),
    ("i andet halvår af 2024", D(2024, 7, 1), D(2024, 12, 31)),
    ("med virkning fra efteråret 2015", D(2015, 9, 1), D(2015, 11, 30)),
    ("fra 2027 og frem", D(2027, 1, 1), D(2027, 12, 31)),
    ("fra 2025-2028", D(2025, 1, 1), D(2028, 12, 31)),
    ("midtvejs (ultimo 2018)", D(2018, 9, 1), D(2018, 12, 31)),
    ("årligt fra medio 2017 til og med 2020", D(2017, 5, 1), D(2020, 8, 31)),
    # The OCR scan of Kræftplan V.
    ("1 2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("12025", D(2025, 1, 1), D(2025, 12, 31)),
    ("1 2025-2026", D(2025, 1, 1), D(2026, 12, 31)),
    ("1 efteraret 2025", D(2025, 9, 1), D(2025, 11, 30)),
]


@pytest.mark.parametrize(("phrase", "start", "end"), AGREEMENT_PHRASES)
def test_the_phrases_of_the_agreements(phrase, start, end):
    assert read_phrase(phrase) == Window(start, end)


@pytest.mark.parametrize(
    ("phrase", "to", "span", "before"),
    [
        ("hurtigst muligt efter oplæggets godkendelse", "oplæggets godkendelse", 30, False),
        ("Inden da", "Inden da", 30, True),
        ("efter to år", "", 730, False),
        ("efter to ar", "", 730, False),
        (
            "i god tid inden forhandlingerne om økonomiaftalen for 2018",
            "forhandlingerne om økonomiaftalen for 2018",
            30,
            True,
        ),
        ("i økonomiaftalen for 2018", "økonomiaftalen for 2018", 30, False),
        (
            "senest fire uger efter, at henvisningen er modtaget",
            "henvisningen er modtaget",
            28,
            False,
        ),
        (
            "med udmentningsaftale om Krzftplan V for 2026 og frem",
            "udmentningsaftale om Krzftplan V for 2026 og frem",
            30,
            False,
        ),
        ("På baggrund af oplægget", "oplægget", 30, False),
    ],
)
def test_relative_phrases_say_what_they_count_from(phrase, to, span, before):
    reading = read_phrase(phrase)
    assert reading == Relative(to, datetime.timedelta(days=span), before)


def test_a_relative_window_runs_from_the_day_the_anchor_was_done():
    reading = read_phrase("hurtigst muligt efter oplæggets godkendelse")
    assert reading.window_after(D(2023, 12, 1)) == Window(D(2023, 12, 1), D(2023, 12, 31))
    assert DEFAULT_RELATIVE_SPAN == datetime.timedelta(days=30)


def test_a_phrase_without_a_year_takes_the_context_year_and_says_so():
    assert read_phrase("medio november", year=2023) == Window(
        D(2023, 11, 11), D(2023, 11, 20), year_from_context=True
    )
    assert read_phrase("medio 2017", year=2023).year_from_context is False


def test_a_phrase_without_a_year_and_no_context_is_an_error_not_a_guess():
    reading = read_phrase("medio november")
    assert isinstance(reading, Unreadable)
    assert "årstal" in reading.error


@pytest.mark.parametrize(
    ("phrase", "part"),
    [
        ("medio blåmandag 2017", "blåmandag"),
        ("ultimo smarch 2018", "smarch"),
        ("31. februar 2017", "31."),
        ("2020-2017", "slutter før den begynder"),
        ("årsskiftet 2016/2018", "to år i træk"),
        ("primo 2150", "2150"),
        ("", "tomt"),
    ],
)
def test_an_unreadable_phrase_says_which_part_was_not_understood(phrase, part):
    reading = read_phrase(phrase)
    assert isinstance(reading, Unreadable)
    assert part in reading.error


@pytest.mark.parametrize(
    "variant",
    [
        "Efteråret 2017",
        "  efteråret\n2017. ",
        "EFTERÅRET 2017",
        "efteraaret 2017",
        "efteraret 2017",
    ],
)
def test_case_spaces_line_breaks_and_spelling_do_not_matter(variant):
    assert read_phrase(variant) == Window(D(2017, 9, 1), D(2017, 11, 30))


def test_leap_years():
    assert read_phrase("vinteren 2019").end == D(2020, 2, 29)
    assert read_phrase("ultimo februar 2024") == Window(D(2024, 2, 21), D(2024, 2, 29))


def test_an_annual_obligation_is_one_window_per_year_in_the_same_part_of_each_year():
    windows = annual_occurrences("årligt fra medio 2017 til og med 2020")
    assert windows == [Window(D(y, 5, 1), D(y, 8, 31)) for y in (2017, 2018, 2019, 2020)]
    assert len(annual_occurrences("arligt fra primo 2025 til 2026")) == 2


def test_phrases_are_found_in_running_text_as_written():
    text = (
        "Oplægget fremsendes til Indenrigs- og Sundhedsministeriets godkendelse medio november"
        "\n\n2023. Inden \nda drøftes udkast. Modellen implementeres hurtigst muligt efter "
        "oplæggets godkendelse. Der er afsat 111 mio. kr. 1 2025 til kapacitet."
    )
    found = find_time_phrases(text)
    assert [f.phrase for f in found] == [
        "medio november\n\n2023",
        "Inden \nda",
        "hurtigst muligt efter oplæggets godkendelse",
        "1 2025",
    ]
    assert all(text[f.start : f.end] == f.phrase for f in found)
    assert found[0].reading == Window(D(2023, 11, 11), D(2023, 11, 20))
    assert isinstance(found[1].reading, Relative)
    assert found[3].reading == Window(D(2025, 1, 1), D(2025, 12, 31))


def test_amounts_and_paragraphs_are_not_time_phrases():
    text = "37.000 danskere, 1,1 mia. kr., § 166 i sundhedsloven og 15-20 pct. flere scanninger."
    assert find_time_phrases(text) == []


@pytest.mark.parametrize("path", sorted(AGREEMENTS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_phrase_found_in_an_agreement_is_read_without_error(path):
    text = path.read_text(encoding="utf-8")
    found = find_time_phrases(text, year=2017)
    assert found
    errors = [(f.phrase, f.reading.error) for f in found if isinstance(f.reading, Unreadable)]
    assert errors == []
