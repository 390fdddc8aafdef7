"""`manage.py import_register`: counts, every row error, and a non-zero exit for a bad file."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motions.models import Motion
from tests.registers.import_data import DECIDED, SUBMITTED, csv_bytes, register_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(body):
    return register_body(body)


def call(*args):
    out = io.StringIO()
    call_command("import_register", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_counts_and_writes_nothing_then_the_import_writes(municipality, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([DECIDED, SUBMITTED]))
    output = call(str(path), "--body", "boras", "--dry-run")
    assert "2" in output.splitlines()[-1]
    assert not Motion.objects.exists()
    call(str(path), "--body", "boras")
    assert Motion.objects.count() == 2


def test_a_bad_file_exits_non_zero_with_each_row_error(municipality, tmp_path):
    path = tmp_path / "register.csv"
    bad = {**DECIDED, "Inlämnad av": "Anna Andersson (XYZ)", "Inlämnad": "2999-01-01"}
    path.write_bytes(csv_bytes([SUBMITTED, bad]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_register", str(path), "--body", "boras", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "Inlämnad" in line]
    assert len(lines) == 2
    assert all(line.startswith(("row 3", "rad 3")) for line in lines)
    assert not Motion.objects.exists()


def test_an_unreadable_file_and_an_unknown_municipality_exit_non_zero(municipality, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes("Diarienummer;Rubrik\nKS 1;Borås".encode("cp1252"))
    with pytest.raises(CommandError, match="UTF-8"):
        call(str(path), "--body", "boras")
    with pytest.raises(CommandError):
        call(str(path), "--body", "atlantis")


def test_the_template_is_written(tmp_path):
    path = tmp_path / "mall.xlsx"
    call("--template", str(path))
    sheet = load_workbook(path).worksheets[0]
    assert sheet.cell(1, 1).value.rstrip(" *") in ("Case number", "Diarienummer")
