"""Properties of the time-phrase grammar, checked over generated phrases."""

import calendar
import datetime
import itertools

from hypothesis import given
from hypothesis import strategies as st

from agreements.dates import Window, find_time_phrases, read_phrase

MONTHS = [
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
    "september", "oktober", "november", "december",
]  # fmt: skip
years = st.integers(min_value=1950, max_value=2099)
months = st.integers(min_value=1, max_value=12)

single_phrases = st.one_of(
    years.map(str),
    st.tuples(st.sampled_from(["primo", "medio", "ultimo"]), years).map(lambda t: f"{t[0]} {t[1]}"),
    st.tuples(st.sampled_from(["primo", "medio", "ultimo"]), months, years).map(
        lambda t: f"{t[0]} {MONTHS[t[1] - 1]} {t[2]}"
    ),
    st.tuples(months, years).map(lambda t: f"{MONTHS[t[0] - 1]} {t[1]}"),
    st.tuples(st.sampled_from(["1.", "2."]), years).map(lambda t: f"{t[0]} halvår {t[1]}"),
    st.tuples(st.integers(1, 4), years).map(lambda t: f"{t[0]}. kvartal {t[1]}"),
    st.tuples(st.sampled_from(["foråret", "sommeren", "efteråret", "vinteren"]), years).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
    st.tuples(st.sampled_from(["i", "senest", "fra", "pr.", "inden udgangen af"]), years).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
)


@given(single_phrases)
def test_start_is_never_after_end(phrase):
    reading = read_phrase(phrase)
    assert isinstance(reading, Window), phrase
    assert reading.start <= reading.end


@given(years)
def test_primo_medio_ultimo_cover_a_year_without_overlap_or_gap(year):
    parts = [read_phrase(f"{part} {year}") for part in ("primo", "medio", "ultimo")]
    assert parts[0].start == datetime.date(year, 1, 1)
    assert parts[-1].end == datetime.date(year, 12, 31)
    for earlier, later in itertools.pairwise(parts):
        assert later.start == earlier.end + datetime.timedelta(days=1)


@given(years, months)
def test_primo_medio_ultimo_cover_a_month_without_overlap_or_gap(year, month):
    name = MONTHS[month - 1]
    whole = read_phrase(f"{name} {year}")
    parts = [read_phrase(f"{part} {name} {year}") for part in ("primo", "medio", "ultimo")]
    assert parts[0].start == whole.start == datetime.date(year, month, 1)
    assert parts[-1].end == whole.end
    assert whole.end.day == calendar.monthrange(year, month)[1]
    for earlier, later in itertools.pairwise(parts):
        assert later.start == earlier.end + datetime.timedelta(days=1)


@given(years, months)
def test_a_month_window_lies_in_its_year(year, month):
    window = read_phrase(f"i {MONTHS[month - 1]} {year}")
    assert window.start.year == window.end.year == year


@given(years, years)
def test_a_range_runs_from_the_first_start_to_the_last_end(first, second):
    first, second = sorted((first, second))
    window = read_phrase(f"fra {first} til {second}")
    assert window == Window(datetime.date(first, 1, 1), datetime.date(second, 12, 31))


whitespace = st.sampled_from([" ", "  ", "\n", " \n\n", "\t"])


@given(single_phrases, st.data())
def test_case_and_white_space_do_not_change_the_reading(phrase, data):
    words = phrase.split(" ")
    spaced = "".join(w + data.draw(whitespace) for w in words[:-1]) + words[-1]
    cased = "".join(c.upper() if data.draw(st.booleans()) else c for c in spaced) + data.draw(
        st.sampled_from(["", ".", " "])
    )
    assert read_phrase(cased) == read_phrase(phrase)


@given(st.text())
def test_no_input_makes_read_phrase_crash(text):
    read_phrase(text)
    read_phrase(text, year=2020)


@given(st.text(alphabet=st.sampled_from("0123456789 -/.iæøåprimoeduladkvtsnfr\n"), max_size=60))
def test_no_date_like_noise_makes_either_function_crash(text):
    read_phrase(text)
    for found in find_time_phrases(text):
        assert text[found.start : found.end] == found.phrase
