"""Indexes that let search join index entries to their records row by row.

The backend joins `IndexEntry.object_id` (text) to each model's `id::varchar(50)`
(a GenericRelation across types), which the primary key cannot serve: PostgreSQL hashed
the whole table (100,000 motions, about 40 ms) to find the five best hits. With an index on
the same expression it ranks the matching entries and fetches only the records it shows.
PostgreSQL only, like cms 0004. ANALYZE gives the planner the new expressions' statistics
(and 0004's): without them it kept hashing the whole table until autovacuum analysed it,
which a table that rarely changes may wait long for."""

from django.db import migrations

MODELS = [
    ("motions", "Motion"),
    ("motions", "Decision"),
    ("plans", "Commitment"),
    ("plans", "ActionPlan"),
    ("plans", "FollowUp"),
]


def name(table):
    return f"{table}_search_id"[:63]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name in MODELS:
        model = apps.get_model(app_label, model_name)
        table, pk = model._meta.db_table, model._meta.pk.column
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name(table)} ON {table} ((("{pk}")::varchar(50)))'
        )
        schema_editor.execute(f"ANALYZE {table}")
    entries = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(f"ANALYZE {entries}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name in MODELS:
        table = apps.get_model(app_label, model_name)._meta.db_table
        schema_editor.execute(f"DROP INDEX IF EXISTS {name(table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_search_title_body_index"),
        ("motions", "0002_lifecycle"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
