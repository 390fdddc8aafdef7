"""The personal identity number detector (REQ-PRIV-02): every written form of a real number is
found, and the numbers a council's records are full of are not."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motions.personal_ids import find_personal_ids


def check_digit(nine_digits: str) -> str:
    """Skatteverket's Luhn check digit over YYMMDDNNN, written out as the test's own oracle."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "8112189876",
        "811218 9876",
        "19811218-9876",
        "198112189876",
        "19811218 9876",
        "121212+1212",  # over 100: born 1912
        "811218–9876",  # an en dash, as word processors write it
        "811218\u00a09876",  # a no-break space
    ],
)
def test_every_written_form_of_a_personnummer_is_found(text):
    assert find_personal_ids(text) == [text]


def test_a_number_is_found_inside_running_text_as_it_was_written():
    text = "Förslagsställare: Anna Andersson (811218-9876), Borås."
    assert find_personal_ids(text) == ["811218-9876"]


def test_a_samordningsnummer_has_its_day_plus_60():
    assert find_personal_ids("701063-2391") == ["701063-2391"]  # born 23 October 1970
    assert find_personal_ids("7010921232") == []  # day 92 - 60 = 32 is no day


def test_each_number_is_reported_once_in_order():
    text = "811218-9876, 701063-2391 och igen 811218-9876"
    assert find_personal_ids(text) == ["811218-9876", "701063-2391"]


@pytest.mark.parametrize(
    "html",
    ["<p>811218&nbsp;9876</p>", "<p><b>811218</b>-9876</p>", "<p>811218&#8209;9876</p>"],
)
def test_rich_text_is_read_as_it_shows_on_the_page(html):
    assert len(find_personal_ids(html)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "811218-9877",  # wrong check digit
        "811218-9870",
        "19811218-9877",
        "8112321230",  # 32 December, though the check digit fits
        "8113001237",  # month 13
        "8112001238",  # day 0
        "21811218-9876",  # no one is born in the 2100s
        "17811218-9876",  # nor in the 1700s
        "48112189876",  # part of a longer run of digits, not a number on its own
        "1811218-98761",
    ],
)
def test_numbers_that_fail_the_date_or_the_check_digit_are_not_found(text):
    assert find_personal_ids(text) == []


def test_29_february_counts_only_in_a_leap_year():
    assert find_personal_ids("000229-1235") == ["000229-1235"]  # 2000 was a leap year
    assert find_personal_ids("20000229-1235") == ["20000229-1235"]
    assert find_personal_ids("19000229-1235") == []  # 1900 was not
    assert find_personal_ids("000229+1235") == []  # over 100: 1900 or 1800, neither leap
    assert find_personal_ids("8102291237") == []  # 1981 and 2081 are not leap years
    assert find_personal_ids("8002291238") == ["8002291238"]


@pytest.mark.parametrize(
    "text",
    [
        "KS 2023/00123",
        "KS 2023-00123",
        "Dnr KF 2024/001234",
        "Kostnaden beräknas till 1 250 000 kronor (1250000 kr).",
        "Budget: 12 345 678,50 kr",
        "Ring 070-123 45 69 eller 08-123 456 78.",
        "Telefon +46 70 123 45 69",
        "Beslutet togs 2023-05-12 och justerades 2023-05-19.",
        "Sammanträdet 2023-05-12 kl. 13.00, § 123",
        "Kommunens organisationsnummer 212000-1561",  # an organisation's "month" is 20 or more
        "Kolada-nyckeltal N00914, värde 10.5 år 2023",
        "Postnummer 501 80 Borås",
        "",
    ],
)
def test_ordinary_numbers_in_council_records_are_not_found(text):
    assert find_personal_ids(text) == []


def test_a_bare_ten_digit_phone_number_can_pass_and_is_left_to_the_reviewer():
    """0701234569 is also the shape of a number of someone born 23 January 2007: a human decides."""
    assert find_personal_ids("0701234569") == ["0701234569"]
    assert find_personal_ids("070-123 45 69") == []


BIRTH_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))


@given(born=BIRTH_DAYS, serial=st.integers(0, 999), coordination=st.booleans())
def test_any_real_number_is_found_in_every_form_and_any_other_check_digit_is_not(
    born, serial, coordination
):
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    right = check_digit(nine)
    century = f"{born.year // 100}"
    forms = [
        f"{nine[:6]}-{nine[6:]}{right}",
        f"{nine}{right}",
        f"{century}{nine[:6]}-{nine[6:]}{right}",
        f"{century}{nine}{right}",
    ]
    for written in forms:
        assert find_personal_ids(written) == [written]
    for wrong in set("0123456789") - {right}:
        assert find_personal_ids(f"{century}{nine}{wrong}") == []


@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)))
def test_iso_dates_and_dated_case_numbers_are_not_found(day):
    assert find_personal_ids(day.isoformat()) == []
    assert find_personal_ids(f"KS {day.year}/{day.toordinal() % 100000:05d}") == []
    assert find_personal_ids(f"{day.isoformat()} – {(day + timedelta(days=30)).isoformat()}") == []
