"""Placeholder: the OParl import work fills this in."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]

    operations = []
