"""Placeholder: the import work fills this in."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = [("motions", "0010_oparl")]

    operations = []
