"""The secretariat's admin for commitments, plans, indicators and follow-ups."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from motions.forms import PersonalIdsCheckedPanel
from motions.viewsets import ScopedSnippetViewSet

from .filters import CommitmentAdminFilter, FollowUpAdminFilter
from .forms import ActionPlanForm, CommitmentForm, FollowUpForm, IndicatorForm
from .models import ActionPlan, Commitment, FollowUp, Indicator


class CommitmentViewSet(ScopedSnippetViewSet):
    model = Commitment
    icon = "tasks"
    menu_label = _("Commitments")
    list_display = [
        "title",
        "responsible_organ",
        "target_year",
        "current_status",
        "last_followup_on",
        "live",
    ]
    filterset_class = CommitmentAdminFilter
    search_fields = ["title"]
    list_per_page = 50
    ordering = ["target_year", "title", "id"]
    edit_handler = ObjectList(
        [
            PersonalIdsCheckedPanel(),
            FieldPanel("body"),
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("decision"), FieldPanel("clause_number")]),
            FieldRowPanel([FieldPanel("responsible_organ"), FieldPanel("target_year")]),
            FieldPanel("co_responsible"),
            FieldPanel("action_plan"),
            FieldPanel("areas"),
            FieldPanel("indicators"),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("reported_back_paragraph"), FieldPanel("reported_back_on")]
                    )
                ],
                heading=_("Reported back to the council"),
            ),
        ],
        base_form_class=CommitmentForm,
    )

    def get_queryset(self, request):
        return Commitment.objects.select_related("responsible_organ", "body")


class ActionPlanViewSet(ScopedSnippetViewSet):
    model = ActionPlan
    icon = "list-ul"
    menu_label = _("Action plans")
    list_display = ["title", "responsible_organ", "target_year", "live"]
    list_filter = ["body", "target_year", "live"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            PersonalIdsCheckedPanel(),
            FieldPanel("body"),
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("decision"), FieldPanel("responsible_organ")]),
            FieldRowPanel(
                [FieldPanel("period_start"), FieldPanel("period_end"), FieldPanel("target_year")]
            ),
            FieldPanel("areas"),
            InlinePanel("goals", heading=_("Goals"), label=_("goal")),
            InlinePanel("actions", heading=_("Actions (insatser)"), label=_("action")),
        ],
        base_form_class=ActionPlanForm,
    )

    def get_queryset(self, request):
        return ActionPlan.objects.select_related("responsible_organ")


class IndicatorViewSet(ScopedSnippetViewSet):
    model = Indicator
    icon = "order"
    menu_label = _("Indicators")
    list_display = ["title", "unit", "baseline_year", "target_year", "body"]
    list_filter = ["body", "direction"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            PersonalIdsCheckedPanel(),
            FieldPanel("body"),
            FieldRowPanel([FieldPanel("title"), FieldPanel("unit"), FieldPanel("direction")]),
            FieldRowPanel([FieldPanel("baseline_year"), FieldPanel("baseline_value")]),
            FieldRowPanel([FieldPanel("target_year"), FieldPanel("target_value")]),
            FieldRowPanel([FieldPanel("source"), FieldPanel("kpi_id")]),
            InlinePanel("measurements", heading=_("Measurements"), label=_("measurement")),
        ],
        base_form_class=IndicatorForm,
    )

    def get_queryset(self, request):
        return Indicator.objects.select_related("body")


class FollowUpViewSet(ScopedSnippetViewSet):
    model = FollowUp
    icon = "history"
    menu_label = _("Follow-ups")
    inspect_view_enabled = True  # published follow-ups are read here: editing them is refused
    list_display = ["__str__", "status", "progress", "period_end", "live"]
    filterset_class = FollowUpAdminFilter
    search_fields = ["narrative"]
    list_per_page = 50
    ordering = ["-period_end", "-id"]
    edit_handler = ObjectList(
        [
            PersonalIdsCheckedPanel(),
            FieldRowPanel([FieldPanel("commitment"), FieldPanel("action")]),
            FieldRowPanel([FieldPanel("period_kind"), FieldPanel("period_end")]),
            FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]),
            FieldPanel("narrative"),
            MultiFieldPanel(
                [
                    FieldPanel("reason"),
                    FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
                    FieldPanel("superseded_by"),
                    FieldPanel("verified_on"),
                ],
                heading=_("Reason, source and verification"),
            ),
            InlinePanel("evidence_links", heading=_("Evidence"), label=_("link")),
            InlinePanel(
                "indicator_values",
                heading=_("Indicator values"),
                label=_("indicator value"),
                help_text=_(
                    "Values of the commitment's indicators, in each indicator's unit. They are "
                    "added to the indicator when the follow-up is approved and published."
                ),
            ),
        ],
        base_form_class=FollowUpForm,
    )

    def get_queryset(self, request):
        return FollowUp.objects.select_related("commitment", "action")


class FollowUpGroup(SnippetViewSetGroup):
    menu_label = _("Follow-up")
    menu_icon = "tasks"
    menu_order = 220
    items = (CommitmentViewSet, ActionPlanViewSet, FollowUpViewSet, IndicatorViewSet)
