import django.db.models.deletion
import motions.richtext
from django.db import migrations, models

HELP = "Shown on the English pages. Left empty, they show the Swedish title."


class Migration(migrations.Migration):
    dependencies = [("cms", "0007_sites")]

    operations = [
        migrations.AddField(
            model_name="portalpage",
            name="title_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=255, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="homepage",
            name="title_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=255, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="motionindexpage",
            name="title_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=255, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="contentpage",
            name="title_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=255, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="accessibilitystatementpage",
            name="title_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=255, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="followupindexpage",
            name="title_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=255, verbose_name="title in English"),
        ),
        migrations.AddField(
            model_name="portalpage",
            name="intro_en",
            field=motions.richtext.SanitisedRichTextField(blank=True, verbose_name="introduction in English"),
        ),
        migrations.AddField(
            model_name="homepage",
            name="intro_en",
            field=motions.richtext.SanitisedRichTextField(blank=True, verbose_name="introduction in English"),
        ),
        migrations.AddField(
            model_name="motionindexpage",
            name="intro_en",
            field=motions.richtext.SanitisedRichTextField(blank=True, verbose_name="introduction in English"),
        ),
        migrations.AddField(
            model_name="followupindexpage",
            name="intro_en",
            field=motions.richtext.SanitisedRichTextField(blank=True, verbose_name="introduction in English"),
        ),
        migrations.AlterField(
            model_name="followupindexpage",
            name="body",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="motions.body", verbose_name="municipality"),
        ),
        migrations.AlterField(
            model_name="homepage",
            name="body",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="motions.body", verbose_name="municipality"),
        ),
        migrations.AlterField(
            model_name="motionindexpage",
            name="body",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="motions.body", verbose_name="municipality"),
        ),
    ]
