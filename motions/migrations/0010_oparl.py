"""Placeholder: the OParl work fills this in."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("motions", "0009_open_data")]

    operations = []
