"""The OParl import: the servers a municipality reads from and the id of each imported object."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="OparlSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("system_url", models.URLField(max_length=500, verbose_name="OParl system")),
                (
                    "body_url",
                    models.URLField(blank=True, max_length=500, verbose_name="OParl body"),
                ),
                (
                    "synced_since",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="last complete import started"
                    ),
                ),
                (
                    "last_run_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last import"),
                ),
                (
                    "body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oparl_sources",
                        to="motions.body",
                        verbose_name="municipality",
                    ),
                ),
            ],
            options={
                "verbose_name": "OParl source",
                "verbose_name_plural": "OParl sources",
            },
        ),
        migrations.CreateModel(
            name="OparlRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("oparl_id", models.URLField(max_length=500, verbose_name="OParl id")),
                ("oparl_type", models.CharField(max_length=20, verbose_name="OParl type")),
                (
                    "modified",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="modified at the source"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("imported_at", models.DateTimeField(auto_now=True, verbose_name="imported")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="records",
                        to="registers.oparlsource",
                    ),
                ),
            ],
            options={
                "verbose_name": "imported OParl object",
                "verbose_name_plural": "imported OParl objects",
            },
        ),
        migrations.AddConstraint(
            model_name="oparlsource",
            constraint=models.UniqueConstraint(
                fields=("body", "system_url"), name="oparl_source_once"
            ),
        ),
        migrations.AddIndex(
            model_name="oparlrecord",
            index=models.Index(fields=["content_type", "object_id"], name="oparl_record_target"),
        ),
        migrations.AddConstraint(
            model_name="oparlrecord",
            constraint=models.UniqueConstraint(
                fields=("source", "oparl_id"), name="oparl_record_once"
            ),
        ),
    ]
