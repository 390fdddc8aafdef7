"""`import_oparl` against a server that fails midway: a 500 on the second page of papers, an
answer slower than the timeout, invalid JSON, a link to another host. The command exits
non-zero naming the URL; each object imported before the failure is kept whole, nothing
half-written, and the incremental marker does not move, so the next run reads it all again."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from motions.models import Clause, Decision, Motion, Submitter
from registers.models import OparlRecord, OparlSource
from tests.factories import BodyFactory

from .oparl_server import FixtureServer, slow

pytestmark = pytest.mark.django_db

PAGE_2 = "/oparl/v1/body/1/papers?page=2"


@pytest.fixture
def server():
    with FixtureServer() as server:
        yield server


@pytest.fixture
def town():
    return BodyFactory(name="Exempelstad", slug="exempelstad")


def run(server, *args):
    with translation.override("en"):
        call_command("import_oparl", server.system_url, "--body", "exempelstad", *args, stdout=None)


def fails(server, *args) -> str:
    with pytest.raises(CommandError) as stopped:
        run(server, *args)
    return str(stopped.value)


def assert_consistent(town):
    """What was kept is whole: every motion has its clauses and submitters, every record
    the import wrote is mapped, and no mapping points at nothing."""
    for motion in Motion.objects.filter(body=town):
        assert Clause.objects.filter(motion=motion).exists()
        assert motion.live
    for entry in OparlRecord.objects.all():
        assert entry.record is not None, entry.oparl_id
    assert Submitter.objects.filter(motion__body=town).count() == 1  # Anna's, on page 1


def test_500_on_page_two_stops_and_keeps_page_one_whole(server, town):
    server.routes[PAGE_2] = 500

    message = fails(server)

    assert f"{server.base}{PAGE_2} answered HTTP 500" in message
    # Page one's papers are kept, each whole (the motion with its decision); page two's not.
    assert set(Motion.objects.values_list("case_number", flat=True)) == {
        "KS 2024-00017",
        "KS 2024-00021",
    }
    assert Decision.objects.get(paragraph=12).motion.case_number == "KS 2024-00017"
    assert_consistent(town)
    # The run was not complete: the marker did not move, so the next run asks for everything.
    assert OparlSource.objects.get(body=town).synced_since is None

    server.routes[PAGE_2] = server.load("papers-2.json")
    run(server)
    assert Motion.objects.filter(body=town).count() == 3
    assert not any("modified_since" in path for path in server.seen)
    assert OparlSource.objects.get(body=town).synced_since is not None


def test_a_server_slower_than_the_timeout_stops_the_import(server, town):
    server.routes[PAGE_2] = slow(2, server.routes[PAGE_2])

    message = fails(server, "--timeout", "0.3")

    assert f"{server.base}{PAGE_2} did not answer within 0.3 seconds" in message
    assert Motion.objects.filter(body=town).count() == 2
    assert_consistent(town)
    assert OparlSource.objects.get(body=town).synced_since is None


def test_invalid_json_midway_stops_the_import(server, town):
    server.routes[PAGE_2] = '{"data": [{"id": "broken"'

    message = fails(server)

    assert f"{server.base}{PAGE_2} did not return valid JSON" in message
    assert Motion.objects.filter(body=town).count() == 2
    assert_consistent(town)


def test_a_link_to_another_host_is_not_followed(server, town):
    server.routes["/oparl/v1/body/1/papers"]["links"]["next"] = (
        "http://169.254.169.254/latest/meta-data/"
    )

    message = fails(server)

    assert "169.254.169.254" in message
    assert "another host" in message
    assert not any("meta-data" in path for path in server.seen)
    assert OparlSource.objects.get(body=town).synced_since is None


def test_an_answer_over_the_size_limit_stops_the_import(server, town):
    server.routes["/oparl/v1/body/1/meetings"] = {"data": [], "padding": "x" * 200_000}

    message = fails(server, "--max-mb", "0.1")

    assert "/oparl/v1/body/1/meetings answered with more than 0.1 MB" in message
    assert not Motion.objects.exists()


def test_a_failed_incremental_run_keeps_the_old_marker(server, town):
    run(server)
    marker = OparlSource.objects.get(body=town).synced_since
    server.routes["/oparl/v1/body/1/persons"] = 500

    fails(server)

    assert OparlSource.objects.get(body=town).synced_since == marker
    assert Motion.objects.filter(body=town).count() == 3


def test_not_an_oparl_system_is_refused(server, town):
    server.routes["/oparl/v1/system"] = {"type": "https://example.org/Something"}
    assert "is not an OParl System" in fails(server)
    assert not OparlSource.objects.exists()


def test_an_unknown_municipality_is_refused(server):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("import_oparl", server.system_url, "--body", "nowhere")
