"""The one rule for every spreadsheet the site writes: what a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse
from wagtail.log_actions import log

from motions.spreadsheets import csv_cell
from tests.factories import MotionFactory


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+46 33 35 70 00",  # a phone number is run too
        "-1+1",
        "@SUM(A1)",
        "  =1+1",
        "\t=1",
        "\tText",  # OWASP: a leading tab or CR whatever follows
        "\rText",
        "\n=1",
        "\u00a0=1",  # a no-break space
        "\x01=1",  # a control character
        "\uff1d1+1",  # full-width = and + (NFKC folds them)
        "\uff0b1",
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Rad 2 = 3", "Ok -1", "e-post@example.se", "", " ", "\u22121", -5, 12.5, None],
)
def test_other_values_are_left_as_they_are(value):
    assert csv_cell(value) == ("" if value is None else value)


@pytest.mark.django_db
def test_wagtail_s_own_admin_csv_writes_a_formula_as_text(client, superuser):
    """The site history report lists who changed what; its CSV is a spreadsheet too."""
    superuser.first_name, superuser.last_name = '=HYPERLINK("http://evil.example","Klicka")', ""
    superuser.save()
    log(instance=MotionFactory(), action="wagtail.edit", user=superuser)

    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    names = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert names
    assert all(name.startswith("'=HYPERLINK") for name in names)
