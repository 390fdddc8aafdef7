"""schemathesis against the open data API's own OpenAPI document, on the demo data: every
operation, valid and invalid parameters, no response >= 500 and every response as documented
(status code, content type, the error body's schema), and invalid parameters refused.

The app is called in-process through Django's WSGI handler, so it reads the demo the module
loaded inside its test transaction; no server to start. A fixed seed and budget give the same
cases on every run, about 3,000 requests in under two minutes on SQLite or PostgreSQL."""

from io import StringIO

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from motions.models import Area, Body, Organ, Party, Person, Topic
from plans.models import ActionPlan

SEED = 20240613
EXAMPLES = 60  # per operation and generation mode (CI keeps under 15 minutes)


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (a load takes seconds) and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--seeds-only", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def api(_demo, db):
    """The demo, served by the WSGI handler without the per-request connection clean-up a real
    server needs: it would close the connection that holds the test transaction (Django's
    test client skips it the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Read from the app itself when the module is collected: building the document needs no data.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
schema.config.seed = SEED
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
)

# The slug parameters and the models whose slugs they take.
SLUGS = {
    "body": Body,
    "party": Party,
    "organ": Organ,
    "area": Area,
    "topic": Topic,
    "submitter": Person,
    "plan": ActionPlan,
}


@schema.hook
def flatmap_query(context, query):
    """As often as not, the slugs are the demo's own municipalities, parties, organs... or left
    out, and so is the cursor, so that the case gets past the lookups into the filtering and
    paging: a random slug or cursor only ever meets a 400. Otherwise it is sent as generated."""
    names = {parameter.name for parameter in context.operation.query} & {*SLUGS, "cursor"}
    if not names:
        return st.just(query)
    slugs = {
        name: sorted(SLUGS[name].objects.values_list("slug", flat=True))
        for name in names - {"cursor"}
    }
    known = st.fixed_dictionaries(
        {}, optional={name: st.sampled_from(values) for name, values in slugs.items() if values}
    )
    rest = {name: value for name, value in (query or {}).items() if name not in names}
    return st.one_of(st.just(query), known.map(lambda chosen: rest | chosen))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """As often as not, the ids are small, as the demo's are: a record is read, not a 404."""
    if not path_parameters:
        return st.just(path_parameters)
    small = {name: n % 20 + 1 if type(n) is int else n for name, n in path_parameters.items()}
    return st.sampled_from([path_parameters, small])


@schema.parametrize()
@settings(
    deadline=None,
    database=None,  # nothing kept between runs: the seed alone decides the cases
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_gives_no_server_error_and_answers_as_documented(api, case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ]
    )
