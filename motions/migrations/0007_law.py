from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("motions", "0006_roles")]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="final_on",
            field=models.DateField(
                blank=True,
                help_text="The day the court's judgment could no longer be appealed. The decision has legal force from then, not from the day of the judgment.",
                null=True,
                verbose_name="judgment final (laga kraft)",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="gives_assignment",
            field=models.BooleanField(
                default=False,
                help_text="Tick when the decision tells an organ to do something, whatever the outcome of the motion's clauses; commitments may then come from it.",
                verbose_name="the decision gives an assignment (uppdrag)",
            ),
        ),
    ]
