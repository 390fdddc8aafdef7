"""The register import: a municipality's remembered column mapping and the import runs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("motions", "0010_oparl"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mapping', models.JSONField(default=dict, verbose_name='column mapping')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('body', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='import_mapping', to='motions.body', verbose_name='municipality')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'import mapping',
                'verbose_name_plural': 'import mappings',
            },
        ),
        migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(max_length=255, verbose_name='file name')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size (bytes)')),
                ('content', models.BinaryField(blank=True, null=True, verbose_name='file content')),
                ('headings', models.JSONField(default=list, verbose_name='column headings')),
                ('row_count', models.PositiveIntegerField(default=0, verbose_name='rows')),
                ('mapping', models.JSONField(default=dict, verbose_name='column mapping')),
                ('status', models.CharField(choices=[('uploaded', 'Uploaded'), ('checked', 'Checked (dry run)'), ('running', 'Running'), ('done', 'Done'), ('cancelled', 'Cancelled'), ('failed', 'Failed'), ('refused', 'Refused')], default='uploaded', max_length=16, verbose_name='status')),
                ('creates', models.PositiveIntegerField(default=0, verbose_name='to create')),
                ('updates', models.PositiveIntegerField(default=0, verbose_name='to update')),
                ('skips', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                ('errors', models.JSONField(default=list, verbose_name='row errors')),
                ('progress_done', models.PositiveIntegerField(default=0, verbose_name='rows done')),
                ('progress_total', models.PositiveIntegerField(default=0, verbose_name='rows in all')),
                ('cancel_requested', models.BooleanField(default=False, verbose_name='cancel requested')),
                ('label', models.CharField(blank=True, max_length=255, verbose_name='label in the history')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_runs', to='motions.body', verbose_name='municipality')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'register import',
                'verbose_name_plural': 'register imports',
                'ordering': ['-created_at'],
            },
        ),
    ]
