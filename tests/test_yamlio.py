"""The bounded YAML reader turns every malformed value into a DataError naming file and line."""

import pytest

from evaluation.errors import DataError
from evaluation.yamlio import load_yaml_text


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: 2020-13-01\n", 1),  # PyYAML raised a bare ValueError: month must be in 1..12
        ("a: 1\nb: 2021-02-30\n", 2),
        ("a: 2020-01-01 25:00:00\n", 1),
    ],
)
def test_impossible_dates_are_data_errors_with_the_line(text, line):
    with pytest.raises(DataError) as err:
        load_yaml_text(text, "study.yaml")
    assert f"study.yaml:{line}:" in str(err.value)


def test_possible_dates_still_read():
    import datetime as dt

    assert load_yaml_text("a: 2020-12-01\n", "x.yaml") == {"a": dt.date(2020, 12, 1)}
