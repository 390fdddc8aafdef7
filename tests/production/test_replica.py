"""A named read replica: anonymous public reads go there, everything else to the primary.

The replica here is a real second database (a second SQLite file, or a second database on the
same PostgreSQL server) holding a copy of the primary in which one municipality's name differs,
so each answer shows which database it was read from."""

import sqlite3

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.test import RequestFactory

from cms import replica
from tests.factories import BodyFactory

PRIMARY_NAME, REPLICA_NAME = "Borås Stad", "Borås Stad (replika)"


def _copy_to_second_database(tmp_path) -> dict:
    """The primary's rows in a second database; returns its connection settings."""
    settings = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "replica.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(settings["NAME"]) as copy:
            connection.connection.backup(copy)
        return settings
    settings["NAME"] = f"{connection.settings_dict['NAME']}_replica"
    params = connection.get_connection_params()
    connection.close()
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        # A template must have no session: end the ones earlier tests' threads left open.
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [params["dbname"]],
        )
        admin.execute(f'CREATE DATABASE "{settings["NAME"]}" TEMPLATE "{params["dbname"]}"')
    return settings


@pytest.fixture
def replica_database(transactional_db, tmp_path, settings):
    body = BodyFactory(name=PRIMARY_NAME, slug="boras")
    replica_settings = _copy_to_second_database(tmp_path)
    connections.settings[replica.REPLICA] = replica_settings
    # Connected here: the test case refuses to open aliases it was not told of when it started.
    other = connections[replica.REPLICA] = connections.create_connection(replica.REPLICA)
    other.connect()
    settings.DATABASE_ROUTERS = ["cms.replica.ReplicaRouter"]
    with other.cursor() as cursor:
        cursor.execute("UPDATE motions_body SET name = %s WHERE id = %s", [REPLICA_NAME, body.pk])
    yield body
    other.close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{replica_settings["NAME"]}"')


def test_anonymous_public_reads_come_from_the_replica(client, replica_database):
    body = client.get(f"/api/v1/bodies/{replica_database.pk}").json()
    assert body["name"] == REPLICA_NAME


def test_signed_in_reads_come_from_the_primary(client, replica_database, admin_user):
    client.force_login(admin_user)
    body = client.get(f"/api/v1/bodies/{replica_database.pk}").json()
    assert body["name"] == PRIMARY_NAME


@pytest.mark.parametrize(
    ("method", "path", "cookies", "public"),
    [
        ("get", "/motioner/", {}, True),
        ("head", "/api/v1/motions", {}, True),
        ("post", "/folj/", {}, False),
        ("get", "/admin/", {}, False),
        ("get", "/motioner/", {"sessionid": "x"}, False),
    ],
)
def test_which_requests_are_public_reads(method, path, cookies, public):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    assert replica.is_public_read(request) is public


def test_writes_and_reads_inside_a_transaction_use_the_primary(transactional_db):
    router = replica.ReplicaRouter()
    token = replica._public_read.set(True)
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        with transaction.atomic():
            assert router.db_for_read(None) == "default"
    finally:
        replica._public_read.reset(token)
    assert router.db_for_read(None) == "default"
