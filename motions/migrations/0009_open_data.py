"""A municipality's organisation number and the licence of its open data (REQ-OPEN-01)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('motions', '0008_proposals'),
    ]

    operations = [
        migrations.AddField(
            model_name='body',
            name='data_licence',
            field=models.CharField(choices=[('CC0-1.0', 'CC0 1.0'), ('CC-BY-4.0', 'CC BY 4.0')], default='CC0-1.0', help_text="Stated on every export, feed and the API. CC0 is what DIGG recommends for a municipality's own data.", max_length=16, verbose_name='licence of the open data'),
        ),
        migrations.AddField(
            model_name='body',
            name='organisation_number',
            field=models.CharField(blank=True, help_text="Organisationsnummer (a municipality's begins 212000-): names the municipality as publisher in the open-data catalogue and as creator in archive packages.", max_length=11, verbose_name='organisation number'),
        ),
    ]
