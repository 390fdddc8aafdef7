"""The secretariat's admin: records as snippets with revisions and drafts; lookup tables beside them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.panels.model_utils import extract_panel_definitions_from_model_class
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.chooser import SnippetChosenMultipleView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .choosers import (
    ReachableChooseResultsView,
    ReachableChooserViewSet,
    ReachableChooseView,
    ReachableChosenView,
    chooser_rows,
)
from .forms import (
    BodyForm,
    DecisionForm,
    MotionForm,
    PersonalIdsCheckedPanel,
    ProposalForm,
    PublicRecordForm,
)
from .lifecycle_panels import LegalEffectPanel, LifecyclePanel
from .models import (
    Appeal,
    Area,
    Body,
    Coalition,
    CommitteeProposal,
    Decision,
    Meeting,
    Membership,
    Motion,
    Organ,
    Party,
    Person,
    ReminderClaim,
    Role,
    Term,
    Topic,
)
from .scoping import (
    ScopedViewSetMixin,
    body_paths,
    labelled,
    municipality_of,
    names_bodies,
    with_municipality,
)
from .yesno import YesNoIndexView


class _NamesMunicipality:
    """A chooser that names each row's municipality when the user sees more than one."""

    def get_object_list(self):
        return with_municipality(super().get_object_list())

    @property
    def columns(self):
        columns = super().columns
        if body_paths(self.model_class) and names_bodies(self.request.user):
            columns.insert(
                1,
                Column(
                    "municipality",
                    label=_("Municipality"),
                    accessor=lambda row: getattr(municipality_of(row), "name", ""),
                ),
            )
        return columns


class _LabelsMunicipality:
    def get_display_title(self, instance):
        if names_bodies(self.request.user):
            return labelled(instance)
        return super().get_display_title(instance)


class NamedChooseView(_NamesMunicipality, ReachableChooseView):
    pass


class NamedChooseResultsView(_NamesMunicipality, ReachableChooseResultsView):
    pass


class NamedChosenView(_LabelsMunicipality, ReachableChosenView):
    pass


class NamedChosenMultipleView(_LabelsMunicipality, SnippetChosenMultipleView):
    """Choosing several rows at once finds only reachable ones, as choosing one does."""

    def get_objects(self, pks):
        return chooser_rows(self.request, self.model_class, super().get_objects(pks))


class NamedChooserViewSet(ReachableChooserViewSet):
    choose_view_class = NamedChooseView
    choose_results_view_class = NamedChooseResultsView
    chosen_view_class = NamedChosenView
    chosen_multiple_view_class = NamedChosenMultipleView


class ScopedSnippetViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Every record's admin: only the rows the user's roles reach (`motions.scoping`)."""

    chooser_viewset_class = NamedChooserViewSet
    index_view_class = YesNoIndexView  # booleans as Ja/Nej
    inspect_view_enabled = True  # read-only, for the auditors (granskare)


class MotionViewSet(ScopedSnippetViewSet):
    model = Motion
    icon = "doc-full"
    menu_label = _("Motions")
    list_display = ["case_number", "title", "submitted_on", "deadline_on", "status", "result"]
    list_filter = ["body", "kind", "status", "result", "live"]
    search_fields = ["title", "case_number"]
    list_per_page = 50
    ordering = ["-submitted_on", "-id"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    PersonalIdsCheckedPanel(),
                    FieldRowPanel([FieldPanel("body"), FieldPanel("kind")]),
                    FieldRowPanel(
                        [FieldPanel("case_number"), FieldPanel("submitted_on"), FieldPanel("term")]
                    ),
                    FieldPanel("title"),
                    FieldPanel("text"),
                    InlinePanel(
                        "clauses", heading=_("Clauses (att-satser)"), label=_("clause"), min_num=1
                    ),
                    InlinePanel(
                        "submitters", heading=_("Submitters"), label=_("submitter"), min_num=1
                    ),
                    FieldPanel("document"),
                ],
                heading=_("Motion"),
            ),
            ObjectList(
                [
                    FieldPanel("topics"),
                    FieldPanel("areas"),
                    MultiFieldPanel(
                        [
                            # The count is registered on the lifecycle tab; the rule is
                            # the municipality's unless an older one is given here.
                            FieldPanel("signature_threshold"),
                            FieldPanel("signature_window_days"),
                        ],
                        heading=_("E-proposal"),
                    ),
                ],
                heading=_("Classification"),
            ),
            ObjectList([LifecyclePanel()], heading=_("Lifecycle and deadline")),
        ],
        base_form_class=MotionForm,
    )

    def get_queryset(self, request):
        return Motion.objects.select_related("body")


class ProposalViewSet(ScopedSnippetViewSet):
    model = CommitteeProposal
    icon = "doc-empty-inverse"
    menu_label = _("Committee proposals")
    list_display = ["motion", "organ", "proposed_on", "live"]
    list_filter = ["organ", "live"]
    search_fields = ["motion__title", "motion__case_number"]
    edit_handler = ObjectList(
        [
            PersonalIdsCheckedPanel(),
            FieldPanel("motion"),
            FieldRowPanel(
                [FieldPanel("organ"), FieldPanel("proposed_on"), FieldPanel("paragraph")]
            ),
            FieldPanel("text"),
            InlinePanel("outcomes", heading=_("Proposed outcome per clause"), label=_("outcome")),
            InlinePanel(
                "alternatives", heading=_("Alternative proposals"), label=_("alternative proposal")
            ),
            InlinePanel("reservations", heading=_("Reservations"), label=_("reservation")),
        ],
        base_form_class=ProposalForm,
    )

    def get_queryset(self, request):
        return CommitteeProposal.objects.select_related("motion", "organ")


class DecisionViewSet(ScopedSnippetViewSet):
    model = Decision
    icon = "tick-inverse"
    menu_label = _("Decisions")
    list_display = ["paragraph", "title", "meeting", "decided_on", "live"]
    list_filter = ["body", "vote_method", "live"]
    search_fields = ["title", "case_number"]
    list_per_page = 50
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    PersonalIdsCheckedPanel(),
                    FieldRowPanel([FieldPanel("body"), FieldPanel("meeting")]),
                    FieldRowPanel(
                        [
                            FieldPanel("paragraph"),
                            FieldPanel("decided_on"),
                            FieldPanel("case_number"),
                        ]
                    ),
                    FieldPanel("title"),
                    FieldPanel("motion"),
                    FieldPanel("text"),
                    FieldPanel("gives_assignment"),
                    InlinePanel(
                        "clause_outcomes", heading=_("Outcome per clause"), label=_("outcome")
                    ),
                ],
                heading=_("Decision"),
            ),
            ObjectList(
                [
                    FieldPanel("vote_method"),
                    FieldRowPanel(
                        [
                            FieldPanel("votes_for"),
                            FieldPanel("votes_against"),
                            FieldPanel("votes_abstaining"),
                            FieldPanel("votes_absent"),
                        ]
                    ),
                    InlinePanel("party_votes", heading=_("Votes per party"), label=_("party")),
                    InlinePanel(
                        "statements", heading=_("Reservations and statements"), label=_("statement")
                    ),
                ],
                heading=_("Votes and reservations"),
            ),
            ObjectList(
                [
                    FieldPanel("dispatched_to"),
                    FieldRowPanel(
                        [FieldPanel("minutes_approved_on"), FieldPanel("notice_posted_on")]
                    ),
                    LegalEffectPanel(),
                    InlinePanel(
                        "documents", heading=_("Supporting documents"), label=_("document")
                    ),
                ],
                heading=_("Minutes and dispatch"),
            ),
        ],
        base_form_class=DecisionForm,
    )

    def get_queryset(self, request):
        return Decision.objects.select_related("meeting__organ")


class LookupViewSet(ScopedSnippetViewSet):
    """The organisation's lookup tables. They have no drafts: a name saved is public at once,
    so every save is checked for personal identity numbers."""

    add_to_admin_menu = False
    list_per_page = 50

    def get_edit_handler(self):
        if self.model is ReminderClaim:  # the reminders' own log, never shown publicly
            return super().get_edit_handler()
        panels = extract_panel_definitions_from_model_class(
            self.model, exclude=self.get_exclude_form_fields()
        )
        return ObjectList(
            [PersonalIdsCheckedPanel(), *panels], base_form_class=PublicRecordForm
        ).bind_to_model(self.model)


def lookup(model_, icon_, fields, filters=()):
    return type(
        f"{model_.__name__}ViewSet",
        (LookupViewSet,),
        {"model": model_, "icon": icon_, "list_display": fields, "list_filter": list(filters)},
    )


class BodyViewSet(LookupViewSet):
    """A municipality with its own rules for motions, citizen proposals and e-proposals."""

    model = Body
    icon = "site"
    list_display = ["name", "deadline_anchor", "motion_right", "citizen_proposals_allowed"]

    def get_edit_handler(self):
        return ObjectList(
            [
                PersonalIdsCheckedPanel(),
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldRowPanel([FieldPanel("secretariat_email"), FieldPanel("organisation_number")]),
                FieldPanel("data_licence"),
                MultiFieldPanel(
                    [
                        FieldPanel("deadline_anchor"),
                        FieldPanel("approaching_window_days"),
                        FieldPanel("one_year_rule_citizen_proposals"),
                        FieldPanel("one_year_rule_e_proposals"),
                    ],
                    heading=_("One-year rule (KL 5 kap. 35 §)"),
                ),
                MultiFieldPanel(
                    [FieldPanel("motion_right"), FieldPanel("motion_cutoff_days")],
                    heading=_("Motions"),
                ),
                MultiFieldPanel(
                    [
                        FieldPanel("citizen_proposals_allowed"),
                        FieldPanel("proposal_organ"),
                        FieldRowPanel(
                            [
                                FieldPanel("e_proposal_threshold"),
                                FieldPanel("e_proposal_window_days"),
                            ]
                        ),
                    ],
                    heading=_("Citizen proposals and e-proposals"),
                ),
            ],
            base_form_class=BodyForm,
        ).bind_to_model(Body)


class AppealViewSet(LookupViewSet):
    model = Appeal
    icon = "warning"
    list_display = [
        "decision",
        "court",
        "case_number",
        "lodged_on",
        "result",
        "result_on",
        "final_on",
    ]
    list_filter = ["result"]


class ReminderClaimViewSet(LookupViewSet):
    """Sent reminders and the ones that failed (e.g. a malformed organ e-mail address)."""

    model = ReminderClaim
    icon = "mail"
    list_display = [
        "kind",
        "subject_line",
        "threshold",
        "recipient",
        "claimed_at",
        "sent_at",
        "error",
    ]
    list_filter = ["kind", "threshold"]
    search_fields = ["recipient", "subject_line", "error"]


class SuperusersOnlyPolicy(ModelPermissionPolicy):
    """Roles say which municipality a group stands for: only a superuser sees or edits them,
    whatever permissions a group was given."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return user.is_active and user.is_superuser

    def user_has_permission_for_instance(self, user, action, instance):
        return user.is_active and user.is_superuser

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return user.is_active and user.is_superuser

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        return manager.all() if user.is_active and user.is_superuser else manager.none()


class RoleViewSet(LookupViewSet):
    """Which municipality, organ or party each group stands for (README "Roles")."""

    model = Role
    icon = "key"
    menu_label = _("Roles")
    list_display = ["group", "body", "kind", "organ", "party"]
    list_filter = ["body", "kind"]
    search_fields = ["group__name"]
    inspect_view_enabled = False

    def register_permissions(self):
        register_permission_policy(self.model, SuperusersOnlyPolicy(self.model))
        super().register_permissions()

    def get_queryset(self, request):
        return Role.objects.select_related("group", "body", "organ", "party")


class RecordGroup(SnippetViewSetGroup):
    menu_label = _("Council record")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        MotionViewSet,
        ProposalViewSet,
        DecisionViewSet,
        lookup(Meeting, "date", ["__str__", "organ", "date"], ["organ"]),
        AppealViewSet,
        ReminderClaimViewSet,
    )


class OrganisationGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 210
    items = (
        BodyViewSet,
        lookup(Organ, "group", ["name", "abbreviation", "kind", "body"], ["body", "kind"]),
        lookup(Party, "group", ["name", "abbreviation", "body"], ["body"]),
        lookup(Coalition, "group", ["name", "body"], ["body"]),
        lookup(Person, "user", ["name", "body"], ["body"]),
        lookup(Membership, "user", ["person", "organ", "party", "term", "role"], ["organ", "term"]),
        lookup(Term, "date", ["__str__", "body"], ["body"]),
        lookup(Topic, "tag", ["name"]),
        lookup(
            Area,
            "site",
            ["name", "police_classification", "body"],
            ["body", "police_classification"],
        ),
        RoleViewSet,
    )
