"""The rotating sign-in code, on a frozen clock: a new code every 30 seconds, the current and
the previous step accepted, older ones expired, another secret's code wrong."""

import datetime

import time_machine

from tandem.teaching import codes

SECRET = "11" * 32
OTHER = "22" * 32
T0 = datetime.datetime(2026, 12, 10, 9, 0, 0, tzinfo=datetime.UTC)  # a step boundary


def test_code_has_six_digits_and_depends_on_secret_and_step():
    code = codes.current_code(SECRET, T0)
    assert len(code) == 6 and code.isdigit()
    assert codes.code_at(SECRET, codes.step_of(T0)) == code
    assert codes.current_code(OTHER, T0) != code


def test_code_is_constant_within_a_step_and_changes_at_the_next():
    with time_machine.travel(T0, tick=False) as traveller:
        first = codes.current_code(SECRET, datetime.datetime.now(datetime.UTC))
        traveller.shift(29)
        assert codes.current_code(SECRET, datetime.datetime.now(datetime.UTC)) == first
        traveller.shift(1)
        assert codes.current_code(SECRET, datetime.datetime.now(datetime.UTC)) != first


def test_previous_step_is_accepted_and_older_ones_expired():
    code = codes.current_code(SECRET, T0)
    assert codes.check(SECRET, code, T0 + datetime.timedelta(seconds=29)) == "accepted"
    assert codes.check(SECRET, code, T0 + datetime.timedelta(seconds=59)) == "accepted"
    assert codes.check(SECRET, code, T0 + datetime.timedelta(seconds=60)) == "expired"
    assert codes.check(SECRET, code, T0 + datetime.timedelta(minutes=5)) == "expired"


def test_a_future_code_is_not_accepted():
    later = codes.current_code(SECRET, T0 + datetime.timedelta(seconds=30))
    assert codes.check(SECRET, later, T0) == "wrong"


def test_code_of_another_secret_is_wrong_and_spaces_are_ignored():
    assert codes.check(SECRET, codes.current_code(OTHER, T0), T0) == "wrong"
    code = codes.current_code(SECRET, T0)
    assert codes.check(SECRET, f"{code[:3]} {code[3:]}", T0) == "accepted"
    assert codes.check(SECRET, "12345", T0) == "wrong"


def test_seconds_left_counts_down_to_the_change():
    assert codes.seconds_left(T0) == 30
    assert codes.seconds_left(T0 + datetime.timedelta(seconds=29)) == 1
