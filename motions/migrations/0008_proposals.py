"""Municipality rules for motions, citizen proposals and e-proposals; the substitute's meeting
on a submitter; the e-proposal statuses and events."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("motions", "0007_law")]

    operations = [
        migrations.AddField(
            model_name="body",
            name="citizen_proposals_allowed",
            field=models.BooleanField(
                default=True,
                help_text="Whether the council has decided that residents may submit citizen proposals (medborgarförslag).",
                verbose_name="citizen proposals allowed",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="e_proposal_threshold",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Signatures a new e-proposal needs, e.g. 150 in Borås. Empty: the municipality has no e-proposals. Each e-proposal keeps the rule it was submitted under.",
                null=True,
                verbose_name="e-proposal signature threshold",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="e_proposal_window_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Days a new e-proposal collects signatures from its submission, e.g. 90.",
                null=True,
                verbose_name="e-proposal signature window (days)",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="motion_cutoff_days",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="A motion or citizen proposal must be submitted at least this many days before a council meeting to be raised there, e.g. 14. 0: up to the day of the meeting.",
                verbose_name="cut-off before a council meeting (days)",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="motion_right",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "not checked (memberships are not kept here)"),
                    ("members", "members only"),
                    (
                        "serving_substitutes",
                        "members, and substitutes only while serving in place of a member",
                    ),
                    ("substitutes", "members and substitutes alike"),
                ],
                default="",
                help_text="From the council's rules of procedure (arbetsordning). Checked against the council memberships of the motion's term when a motion is registered.",
                max_length=24,
                verbose_name="who may lodge a motion",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="one_year_rule_citizen_proposals",
            field=models.BooleanField(
                default=True,
                help_text="Give citizen proposals a decision deadline one year on, with the deadline flags and the undecided report, as motions have under KL 5 kap. 35 §.",
                verbose_name="one-year rule applies to citizen proposals",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="one_year_rule_e_proposals",
            field=models.BooleanField(
                default=False,
                help_text="E-proposals are not in the Local Government Act; tick this only if the municipality's own rules give them the one-year deadline.",
                verbose_name="one-year rule applies to e-proposals",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="proposal_organ",
            field=models.ForeignKey(
                blank=True,
                help_text="The organ the municipality's rules name, e.g. the executive committee or a committee: an e-proposal that reaches its threshold is handed to it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="motions.organ",
                verbose_name="organ for citizen proposals and e-proposals",
            ),
        ),
        migrations.AddField(
            model_name="submitter",
            name="serving_at",
            field=models.ForeignKey(
                blank=True,
                help_text="For a substitute (ersättare): the council meeting where they served in place of a member when they lodged the motion.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="motions.meeting",
                verbose_name="serving in place of a member at",
            ),
        ),
        migrations.AlterField(
            model_name="motion",
            name="status",
            field=models.CharField(
                choices=[
                    ("submitted", "submitted"),
                    ("raised", "raised in the council"),
                    ("in_preparation", "in preparation"),
                    ("proposal_ready", "proposal ready"),
                    ("scheduled", "scheduled"),
                    ("tabled", "tabled"),
                    ("sent_back", "sent back"),
                    ("decided", "decided"),
                    ("written_off", "written off"),
                    ("withdrawn", "withdrawn"),
                    ("closed", "closed"),
                    ("collecting", "collecting signatures"),
                    ("lapsed", "lapsed (too few signatures)"),
                ],
                default="submitted",
                editable=False,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="motionevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("raised", "raised in the council"),
                    ("referred", "referred"),
                    ("response_registered", "referral response registered"),
                    ("proposal_registered", "proposal registered"),
                    ("scheduled", "scheduled"),
                    ("tabled", "tabled"),
                    ("sent_back", "sent back"),
                    ("handed_to_committee", "handed to a committee to decide"),
                    ("decided", "decided"),
                    ("reported_undecided", "reported undecided (KL 5:35)"),
                    ("written_off", "written off"),
                    ("withdrawn", "withdrawn"),
                    ("closed", "closed"),
                    ("threshold_reached", "signature threshold reached"),
                    ("lapsed", "lapsed with too few signatures"),
                ],
                max_length=24,
                verbose_name="event",
            ),
        ),
    ]
