"""What an attacker sent the API, each a JSON 400 naming the parameter, never a 500: a NUL byte,
digits that are not 0-9, numbers past the database's range, a parameter given twice, a cursor
we never issued. The schema shows the bounds the API checks."""

import base64
import json

import pytest

from tests.factories import DecisionFactory, MotionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/decisions?year=%C2%B2", "year"),  # "²" passes str.isdigit(), fails int()
        ("/api/v1/decisions?year=%D9%A2%D9%A0%D9%A2%D9%A4", "year"),  # Arabic-Indic 2024
        ("/api/v1/decisions?year=2147483648", "year"),  # past PostgreSQL's integer
        ("/api/v1/motions?year=2147483648", "year"),
        ("/api/v1/commitments?target_year=99999999999999999999", "target_year"),
        ("/api/v1/motions?limit=-1", "limit"),
        ("/api/v1/motions?limit=5&limit=50", "limit"),
        ("/api/v1/motions?status=decided&status=withdrawn", "status"),
        ("/api/v1/motions?q=park%00", "q"),
        ("/api/v1/motions?party=m%00", "party"),
        ("/api/v1/people?body=boras%00", "body"),
        ("/api/v1/motions?q=" + "x" * 201, "q"),
    ],
)
def test_hostile_parameters_are_a_json_400_naming_the_parameter(
    client, public_site, url, parameter
):
    MotionFactory(body=public_site.body)
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert parameter in response.json()["detail"]


def cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "forged",
    [
        cursor("2024-01-01", 2**70),  # an id past the database's range
        cursor("2024-01-01", -(2**70)),
        cursor("10000-01-01", 1),
        cursor("2024-01-01", 1e400),  # JSON's 1e400 is infinity
        "_w",  # base64 of a byte that is not UTF-8
        "€",
    ],
)
def test_a_forged_cursor_is_a_400(client, public_site, forged):
    DecisionFactory(motion=MotionFactory(body=public_site.body))
    for resource in ("motions", "decisions"):
        response = client.get(f"/api/v1/{resource}", {"cursor": forged})
        assert response.status_code == 400
        assert "cursor" in response.json()["detail"]


def test_the_schema_shows_the_bounds_the_api_checks(client, public_site):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/decisions"]["get"]
    params = {p["name"]: p["schema"]["anyOf"][0] for p in operation["parameters"]}
    assert (params["year"]["minimum"], params["year"]["maximum"]) == (1900, 2100)
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 100)
    assert params["body"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert set(operation["responses"]) == {"200", "400", "404"}
