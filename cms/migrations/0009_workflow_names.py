"""Wagtail's default page workflow and its task are created with English names, which the
Swedish admin then shows as "Lämna in till Moderators approval". They are data, not messages,
so they are renamed here."""

from django.db import migrations

NAMES = {"Moderators approval": "Granskning av redaktör"}


def rename(apps, schema_editor):
    for model in ("Workflow", "Task"):
        for english, swedish in NAMES.items():
            apps.get_model("wagtailcore", model).objects.filter(name=english).update(name=swedish)


def restore(apps, schema_editor):
    for model in ("Workflow", "Task"):
        for english, swedish in NAMES.items():
            apps.get_model("wagtailcore", model).objects.filter(name=swedish).update(name=english)


class Migration(migrations.Migration):
    dependencies = [("cms", "0008_language")]

    operations = [migrations.RunPython(rename, restore)]
