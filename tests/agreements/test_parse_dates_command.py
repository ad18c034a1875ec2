import json
import subprocess
import sys
from io import StringIO

from django.core.management import call_command


def parse(lines: str, *args: str) -> list[dict]:
    out = StringIO()
    call_command("parse_dates", *args, stdin=StringIO(lines), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_writes_one_json_object_per_phrase():
    rows = parse("medio november 2023\n\nhurtigst muligt efter godkendelsen\nmedio blåmandag\n")
    assert [row["kind"] for row in rows] == ["window", "relative", "error"]
    assert rows[0] == {
        "phrase": "medio november 2023",
        "kind": "window",
        "start": "2023-11-11",
        "end": "2023-11-20",
        "error": None,
    }
    assert rows[1]["start"] is None and rows[1]["end"] is None and rows[1]["error"] is None
    assert "blåmandag" in rows[2]["error"]


def test_the_year_option_gives_phrases_without_a_year_their_year():
    assert parse("ultimo november\n")[0]["kind"] == "error"
    row = parse("ultimo november\n", "--year", "2024")[0]
    assert (row["start"], row["end"]) == ("2024-11-21", "2024-11-30")


def test_an_open_start_is_null():
    row = parse("frem mod 2028\n")[0]
    assert row["start"] is None and row["end"] == "2028-12-31"


def test_it_reads_standard_input_of_a_real_process():
    result = subprocess.run(
        [sys.executable, "manage.py", "parse_dates", "--year", "2017"],
        input="primo 2017\nårsskiftet 2016/2017\n",
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["start"], r["end"]) for r in rows] == [
        ("2017-01-01", "2017-04-30"),
        ("2016-12-01", "2017-01-31"),
    ]
