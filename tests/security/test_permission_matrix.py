"""The permission matrix (issue 11): every admin URL of every snippet viewset of the council
record and the follow-up, the lifecycle actions, the 5:35 report, gallring, the bulk delete and
the site settings, for every role, on a record of its own municipality and of another's, by GET
and by POST.

The expectation is a rule, written here and not asked of the code under test: a request is
allowed when the role holds the permission the view needs (`cms.roles.ROLE_PERMISSIONS`) and the
record is in the role's reach (`reaches` below: the secretariat and the auditor reach their own
municipality, an officer its organ's commitments, plans, indicators and follow-ups, a political
group and a user without a role nothing). A GET is allowed when it answers 200; a POST when it
changed the database. Every POST runs in a transaction rolled back afterwards, so one check
never sees another's writes, and POSTs a form a superuser could submit (read from the edit page
itself), so a refusal is the rule's doing and not a malformed form's: the superuser's column
proves each form valid. Every page a user opens is also searched for the other municipality's
marker word, which must not appear to anyone who does not reach it.

The test prints the matrix (`pytest -s`) and fails listing every unexpected allow or deny.
"""

import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.snippets.models import get_snippet_models

from cms.models import HomePage, SiteSettings
from cms.roles import ROLE_PERMISSIONS, role_set_up
from motions import reports
from motions.lifecycle_forms import ACTIONS
from motions.models import GallringRecord, OrganKind, RoleKind
from plans import services as plan_services
from plans.models import FollowUp
from tests.factories import (
    AreaFactory,
    BodyFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    IndicatorFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    ProposalFactory,
)

# Wagtail's delete views read the reference index to refuse deleting what is still referred to.
pytestmark = [pytest.mark.django_db, pytest.mark.reference_index]

MARK = {"own": "EGENMARK", "other": "ANNANMARK"}
ROLES = ["super", "secretariat", "officer", "auditor", "party", "norole", "anon"]
# What each role reaches, by record: the rule the code must follow (motions.access), restated.
OFFICER_REACHES = {
    "commitment",
    "followup_draft",
    "followup_live",
    "followup_review",
    "actionplan",
    "indicator",
}


def reaches(role: str, side: str, kind: str) -> bool:
    if role == "super":
        return True
    if side != "own":
        return False
    if role in ("secretariat", "auditor"):
        return True
    return role == "officer" and kind in OFFICER_REACHES


# --- the two municipalities ---------------------------------------------------------------


def municipality(side: str) -> dict:
    mark = MARK[side]
    body = BodyFactory(name=f"Kommun {mark}", slug=f"kommun-{side}")
    organ = OrganFactory(
        body=body, kind=OrganKind.COMMITTEE, name=f"Nämnden {mark}", slug=f"namnd-{side}"
    )
    party = PartyFactory(body=body, name=f"Partiet {mark}")
    motion = MotionFactory(body=body, title=f"Motion {mark}", party=party)
    proposal = ProposalFactory(motion=motion)
    decision = DecisionFactory(motion=motion, title=f"Beslut {mark}")
    indicator = IndicatorFactory(body=body, title=f"Indikator {mark}")
    commitment = CommitmentFactory(
        decision=decision,
        responsible_organ=organ,
        title=f"Åtagande {mark}",
        indicators=[indicator],
    )
    followup_live = FollowUpFactory(commitment=commitment)
    followup_draft = FollowUpFactory(
        commitment=commitment, publish=False, period_end=date(2026, 6, 30)
    )
    # Submitted by its officer for the secretariat's approval (`people` starts the workflow).
    followup_review = FollowUpFactory(
        commitment=commitment, publish=False, period_end=date(2026, 9, 30)
    )
    actionplan = plan_services.action_plan_create(
        body=body,
        title=f"Handlingsplan {mark}",
        decision=decision,
        responsible_organ=organ,
        period_start=date(2025, 1, 1),
        period_end=date(2027, 12, 31),
        target_year=2027,
        goals=["Tryggare stadsdelar"],
        publish=True,
    )
    area = AreaFactory(body=body, name=f"Stadsdel {mark}")  # nothing refers to it: deletable
    # Still undecided: the lifecycle actions' POSTs act on it.
    open_motion = MotionFactory(body=body, title=f"Öppen motion {mark}", party=party)
    report = reports.report_prepare(body=body, as_of=date(2025, 3, 1))
    GallringRecord.objects.create(
        body=body,
        model_label="motions.motion",
        object_id="1",
        object_repr=f"Gallrad {mark}",
        decision_reference="KS 2026-1",
        decided_on=date(2026, 1, 1),
        reason="Enligt plan",
        removed={},
        user_name="x",
    )
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title=f"Start {mark}", slug=f"start-{side}", body=body)
    )
    site = Site.objects.create(hostname=f"{side}.example.org", root_page=home, site_name=mark)
    SiteSettings.for_site(site)
    world = {
        "body": body,
        "organ": organ,
        "party": party,
        "motion": motion,
        "open_motion": open_motion,
        "proposal": proposal,
        "decision": decision,
        "meeting": decision.meeting,
        "indicator": indicator,
        "commitment": commitment,
        "followup_live": followup_live,
        "followup_draft": followup_draft,
        "followup_review": followup_review,
        "actionplan": actionplan,
        "area": area,
        "report": report,
        "site": site,
    }
    for obj in world.values():
        obj.refresh_from_db()  # as the database has it after publishing (live, revisions)
    return world


def users(own) -> dict:
    User = get_user_model()
    made = {"super": User.objects.create_superuser("super", password="x")}
    for name, kind, extra in (
        ("secretariat", RoleKind.SECRETARIAT, {}),
        ("officer", RoleKind.OFFICER, {"organ": own["organ"]}),
        ("auditor", RoleKind.AUDITOR, {}),
        ("party", RoleKind.PARTY_GROUP, {"party": own["party"]}),
    ):
        user = User.objects.create_user(name, password="x")
        user.groups.add(role_set_up(body=own["body"], kind=kind, **extra).group)
        made[name] = user
    # The secretariat's permissions without a role: what a group may do, but nowhere.
    norole = User.objects.create_user("norole", password="x")
    group = Group.objects.create(name="Behörigheter utan roll")
    for label in ROLE_PERMISSIONS[RoleKind.SECRETARIAT]:
        app, codename = label.split(".")
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app, codename=codename)
        )
    norole.groups.add(group)
    made["norole"] = norole
    return made


# --- what changed -------------------------------------------------------------------------


def _tables():
    wanted = {"motions", "plans", "cms", "wagtailcore"}
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in wanted and model._meta.managed and not model._meta.proxy
    )


def fingerprint(obj=None):
    """Row counts of every table of the record, the site and Wagtail's core (revisions, log,
    workflow states) in one query, and the target row's values."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in _tables())
        )
        counts = cursor.fetchone()
    row = None
    if obj is not None:
        row = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    return counts, row


# --- a form as a browser would send it ----------------------------------------------------


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append(
                (attrs["name"], attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select":
            self._select = {
                "name": attrs["name"],
                "multiple": "multiple" in attrs,
                "options": [],
                "chosen": [],
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["options"]:
                chosen = self._select["options"][:1]
            self._form["fields"] += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_data(response) -> dict[str, list[str]]:
    """The fields of the page's largest POST form, as the browser would submit them."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    forms = [form for form in reader.forms if form["method"] == "post"]
    assert forms, f"no form on {response.request['PATH_INFO']}"
    data = defaultdict(list)
    for name, value in max(forms, key=lambda form: len(form["fields"]))["fields"]:
        data[name].append(value)  # the parser has unescaped it
    return dict(data)


# --- the rule -----------------------------------------------------------------------------


def has_perm(user, model, action) -> bool:
    if user is None:
        return False
    if model._meta.label == "motions.Role":
        return user.is_superuser  # which group stands for what: superusers only
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def has_any(user, model, actions) -> bool:
    return any(has_perm(user, model, action) for action in actions)


READ = ("add", "change", "delete", "view")


def _registered(obj) -> bool:
    from motions import gallring

    return gallring.is_registered(obj)


def _locked_record(obj) -> bool:
    """A published follow-up: part of the public record, never edited again."""
    return bool(getattr(obj, "is_locked_record", False))


def _deletable(obj) -> bool:
    """Nothing refers to it, so a delete can go through."""
    try:
        Collector(using="default").collect([obj])
    except (ProtectedError, RestrictedError):
        return False
    return True


# URL name -> what the role's permissions must allow, given the model and the record.
# Reach is asked separately (`reaches`), for every URL that names a record.
SNIPPET_VIEWS = {
    "list": lambda u, m, o: has_any(u, m, READ),
    "list_results": lambda u, m, o: has_any(u, m, READ),
    "add": lambda u, m, o: has_perm(u, m, "add"),
    "edit": lambda u, m, o: has_perm(u, m, "change") and not _locked_record(o),
    "delete": lambda u, m, o: has_perm(u, m, "delete") and not _registered(o),
    "usage": lambda u, m, o: has_any(u, m, READ),
    "history": lambda u, m, o: has_any(u, m, READ),
    "copy": lambda u, m, o: has_perm(u, m, "add"),
    "inspect": lambda u, m, o: has_any(u, m, READ),
    "preview_on_edit": lambda u, m, o: has_perm(u, m, "change"),
    "revisions_view": lambda u, m, o: has_any(u, m, READ),
    "revisions_compare": lambda u, m, o: has_any(u, m, READ),
    "revisions_revert": lambda u, m, o: has_perm(u, m, "change") and not _locked_record(o),
    "unpublish": lambda u, m, o: has_perm(u, m, "publish"),  # GET: the confirm page
    "lock": lambda u, m, o: has_perm(u, m, "lock"),
    "unlock": lambda u, m, o: has_perm(u, m, "unlock") and o.locked,
    "workflow_history": lambda u, m, o: has_any(u, m, READ),
}
# What a POST must achieve besides: a delete goes through only when nothing refers to the
# record; an unpublish needs a live record that is not a published follow-up.
POST_ALSO = {
    "delete": _deletable,
    "unpublish": lambda o: o.live and not _locked_record(o),
}
OBJECT_VIEWS = set(SNIPPET_VIEWS) - {"list", "list_results", "add"}
# (A copy is POSTed as an add: "add [other ...]" below sends another municipality's record.)
POST_VIEWS = {"edit", "delete", "unpublish", "lock", "unlock", "revisions_revert"}
# POST only; or the same view as another GET here (revert is the edit form on a revision).
GET_SKIPPED = {"lock", "unlock", "revisions_revert"}

KINDS_BY_MODEL = {
    "motions.Body": ["body"],
    "motions.Organ": ["organ"],
    "motions.Party": ["party"],
    "motions.Motion": ["motion"],
    "motions.CommitteeProposal": ["proposal"],
    "motions.Decision": ["decision"],
    "motions.Meeting": ["meeting"],
    "plans.Indicator": ["indicator"],
    "plans.Commitment": ["commitment"],
    "plans.ActionPlan": ["actionplan"],
    "plans.FollowUp": ["followup_draft", "followup_live"],
}


# --- the checks ---------------------------------------------------------------------------


@dataclass
class Check:
    method: str
    label: str
    url: str
    expected: dict[str, bool]
    data: dict | None = None
    target: object = None
    may_publish: dict[str, bool] | None = None  # a POST that may publish: who may
    results: dict[str, str] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)


class Matrix:
    def __init__(self, world, people, clients):
        self.world, self.people, self.clients = world, people, clients
        self.checks: list[Check] = []
        self._edit_data = {}

    def expect(self, rule, side=None, kind=None) -> dict[str, bool]:
        return {
            role: role != "anon"
            and bool(rule(self.people.get(role)))
            and (side is None or reaches(role, side, kind))
            for role in ROLES
        }

    def add(self, method, label, url, expected, **kwargs):
        self.checks.append(Check(method, label, url, expected, **kwargs))

    # Snippet viewsets, enumerated from Wagtail's registry and each viewset's URL patterns.

    def snippets(self):
        models = [m for m in get_snippet_models() if m._meta.app_label in ("motions", "plans")]
        for model in sorted(models, key=lambda m: m._meta.label):
            self.snippet_model(model)

    def snippet_model(self, model):
        viewset = model.snippet_viewset
        names = {pattern.name for pattern in viewset.get_urlpatterns()}
        tag = model._meta.label_lower
        rule = partial(has_any, model=model, actions=READ)
        for name in ("list", "list_results"):
            self.add("GET", f"{tag}:{name}", reverse(viewset.get_url_name(name)), self.expect(rule))
        self.add(
            "GET",
            f"{tag}:list?export=csv",
            reverse(viewset.get_url_name("list")) + "?export=csv",
            self.expect(rule),
        )
        add_rule = partial(has_perm, model=model, action="add")
        self.add("GET", f"{tag}:add", reverse(viewset.get_url_name("add")), self.expect(add_rule))
        chooser = viewset.chooser_viewset
        for name in ("choose", "choose_results"):
            # Open to every admin user; what it lists is what the user reaches (the marker test).
            self.add(
                "GET",
                f"{tag}:chooser:{name}",
                reverse(chooser.get_url_name(name)),
                self.expect(lambda user: user.has_perm("wagtailadmin.access_admin")),
            )
        for side in ("own", "other"):
            for kind in KINDS_BY_MODEL.get(model._meta.label, []):
                self.snippet_record(viewset, names, model, side, kind)

    def snippet_record(self, viewset, names, model, side, kind):
        obj = self.world[side][kind]
        tag, where = model._meta.label_lower, f"[{side} {kind}]"
        for name in sorted(OBJECT_VIEWS & names):
            if name.startswith("revisions_") and not obj.latest_revision_id:
                continue
            url = self.url(viewset, name, obj)
            allowed = self.expect(
                lambda user, name=name: SNIPPET_VIEWS[name](user, model, obj), side, kind
            )
            if name not in GET_SKIPPED:
                self.add("GET", f"{tag}:{name} {where}", url, allowed)
            if name in POST_VIEWS and not (name == "unlock" and side == "own"):
                also = POST_ALSO.get(name, lambda o: True)(obj)
                allowed = {role: ok and also for role, ok in allowed.items()}
                self.post(f"{tag}:{name} {where}", url, allowed, viewset, model, side, kind, name)
        # A new record in the other municipality, from its form as the superuser sends it.
        if side == "other":
            self.post(
                f"{tag}:add {where}",
                reverse(viewset.get_url_name("add")),
                self.expect(partial(has_perm, model=model, action="add"), side, kind),
                viewset,
                model,
                side,
                kind,
                "add",
            )
        # Choosing it: reached, and published unless the user may change such records.
        self.add(
            "GET",
            f"{tag}:chooser:chosen {where}",
            reverse(viewset.chooser_viewset.get_url_name("chosen"), args=[obj.pk]),
            self.expect(
                lambda user: getattr(obj, "live", True) or has_perm(user, model, "change"),
                side,
                kind,
            ),
        )

    @staticmethod
    def url(viewset, name, obj):
        if name in ("revisions_view", "revisions_revert"):
            return reverse(viewset.get_url_name(name), args=[obj.pk, obj.latest_revision_id])
        if name == "revisions_compare":
            return reverse(
                viewset.get_url_name(name),
                kwargs={"pk": obj.pk, "revision_id_a": "earliest", "revision_id_b": "latest"},
            )
        return reverse(viewset.get_url_name(name), args=[obj.pk])

    def post(self, label, url, allowed, viewset, model, side, kind, name):
        """A POST of what the superuser's edit form sends (a new title, and publish), or of
        nothing for the actions that need nothing (delete, unpublish, lock, unlock)."""
        obj = self.world[side][kind]
        data, may_publish = {}, None
        if name in ("edit", "revisions_revert", "copy", "add"):
            data = self.edit_data(viewset, obj, new=name in ("copy", "add"))
            if data is None:
                if name in ("copy", "add"):
                    return  # the superuser cannot open its form either: nothing to send
                data = {"action-publish": "action-publish"}
            if hasattr(obj, "live") and name in ("edit", "revisions_revert"):
                may_publish = self.expect(
                    partial(has_perm, model=model, action="publish"), side, kind
                )
        target = None if name in ("copy", "add") else obj
        self.add("POST", label, url, allowed, data=data, target=target, may_publish=may_publish)

    def edit_data(self, viewset, obj, *, new=False):
        """What the superuser's browser sends from the record's edit page, with a new title
        and the publish button; for a new record its unique keys changed too. None when the
        superuser cannot edit it either (a published follow-up)."""
        key = (type(obj), obj.pk)
        if key not in self._edit_data:
            response = self.clients["super"].get(self.url(viewset, "edit", obj))
            self._edit_data[key] = form_data(response) if response.status_code == 200 else None
        if self._edit_data[key] is None:
            return None
        data = {name: list(values) for name, values in self._edit_data[key].items()}
        for name in ("title", "name"):
            if name in data:
                data[name] = [f"{data[name][0]} ÄNDRAD"]
        if new:
            for name in ("slug", "case_number", "abbreviation"):
                if data.get(name):
                    data[name] = [f"{data[name][0]}-ny"[: 15 if name == "abbreviation" else 60]]
            if "paragraph" in data:
                data["paragraph"] = ["999"]
            if type(obj).__name__ == "Meeting":
                data["date"] = ["2030-01-02"]
        data["action-publish"] = ["action-publish"]
        return data

    # The admin's own pages: lifecycle, the 5:35 report, gallring, bulk delete, site settings.

    def workflow(self):
        """The follow-up's approval (`plans.SecretariatApprovalTask`): the secretariat of the
        follow-up's own municipality approves or rejects, nobody else."""
        viewset = FollowUp.snippet_viewset
        names = {pattern.name for pattern in viewset.get_urlpatterns()}
        for side in ("own", "other"):
            obj = self.world[side]["followup_review"]
            state = obj.current_workflow_task_state
            if state is None:
                continue  # no workflow for follow-ups
            where = f"[{side} followup_review]"
            may_approve = self.expect(
                partial(has_perm, model=FollowUp, action="publish"), side, "followup_review"
            )
            name = viewset.get_url_name
            for action in ("approve", "reject"):
                self.add(
                    "GET",
                    f"plans.followup:workflow_action:{action} {where}",
                    reverse(name("workflow_action"), args=[obj.pk, action, state.pk]),
                    may_approve,
                )
                self.add(
                    "POST",
                    f"plans.followup:workflow_action:{action} {where}",
                    reverse(name("workflow_action"), args=[obj.pk, action, state.pk]),
                    may_approve,
                    data={"comment": "Kommentar"},
                    target=obj,
                )
            self.add(
                "GET",
                f"plans.followup:collect_workflow_action_data {where}",
                reverse(name("collect_workflow_action_data"), args=[obj.pk, "reject", state.pk]),
                may_approve,
            )
            if "workflow_preview" in names:  # a previewable record's only
                self.add(
                    "GET",
                    f"plans.followup:workflow_preview {where}",
                    reverse(name("workflow_preview"), args=[obj.pk, state.task_id]),
                    may_approve,
                )
            self.add(
                "GET",
                f"plans.followup:workflow_history_detail {where}",
                reverse(name("workflow_history_detail"), args=[obj.pk, state.workflow_state_id]),
                self.expect(
                    partial(has_any, model=FollowUp, actions=READ), side, "followup_review"
                ),
            )
            self.add(
                "GET",
                f"plans.followup:confirm_workflow_cancellation {where}",
                reverse(name("confirm_workflow_cancellation"), args=[obj.pk]),
                self.expect(lambda user: True, side, "followup_review"),
            )
        own = self.world["own"]["followup_review"]
        other = self.world["other"]["followup_review"].current_workflow_task_state
        if own.current_workflow_task_state and other:
            # The own follow-up's URL with the other's task: Wagtail finds the task by its id.
            self.add(
                "POST",
                "plans.followup:workflow_action:approve [crafted: own followup_review, other task]",
                reverse(
                    viewset.get_url_name("workflow_action"), args=[own.pk, "approve", other.pk]
                ),
                self.expect(lambda user: user.is_superuser),
                target=self.world["other"]["followup_review"],
            )

    def admin_pages(self):
        def perm(label):
            return lambda user: user.has_perm(label)

        change_motion = perm("motions.change_motion")
        for side in ("own", "other"):
            world = self.world[side]
            motion, where = world["open_motion"], f"[{side} motion]"
            for action in ACTIONS:
                self.add(
                    "GET",
                    f"motions_action:{action} {where}",
                    reverse("motions_action", args=[motion.pk, action]),
                    self.expect(change_motion, side, "motion"),
                )
            # What the superuser's form would send: withdraw the motion; refer it to an organ.
            self.add(
                "POST",
                f"motions_action:withdraw {where}",
                reverse("motions_action", args=[motion.pk, "withdraw"]),
                self.expect(change_motion, side, "motion"),
                data={"withdrawn_on": "2024-05-01", "reason": "Återtagen", **_key()},
                target=motion,
            )
            self.add(
                "POST",
                f"motions_action:refer {where}",
                reverse("motions_action", args=[motion.pk, "refer"]),
                self.expect(change_motion, side, "motion"),
                data={"organ": world["organ"].pk, "sent_on": "2024-03-01", **_key()},
                target=motion,
            )
            report, where = world["report"], f"[{side} report]"
            read_report = self.expect(perm("motions.view_motion"), side, "report")
            self.add(
                "GET",
                f"motions_report_detail {where}",
                reverse("motions_report_detail", args=[report.pk]),
                read_report,
            )
            self.add(
                "GET",
                f"motions_report_export:csv {where}",
                reverse("motions_report_export", args=[report.pk, "csv"]),
                read_report,
            )
            self.add(
                "POST",
                f"motions_report_detail:issue {where}",
                reverse("motions_report_detail", args=[report.pk]),
                self.expect(change_motion, side, "report"),
                data={"issue": "1", "council_paragraph": "12"},
                target=report,
            )
            self.add(
                "POST",
                f"motions_report_index:prepare [{side} body]",
                reverse("motions_report_index"),
                self.expect(change_motion, side, "body"),
                data={"body": world["body"].pk, "as_of": "2025-06-01"},
            )
            gallra = reverse(
                "motions_gallra", args=["motions", "committeeproposal", world["proposal"].pk]
            )
            may_gallra = self.expect(perm("motions.gallra"), side, "proposal")
            self.add("GET", f"motions_gallra [{side} proposal]", gallra, may_gallra)
            self.add(
                "POST",
                f"motions_gallra [{side} proposal]",
                gallra,
                may_gallra,
                data={
                    "decision_reference": "KS 2026-00042",
                    "decided_on": "2026-01-15",
                    "reason": "Gallras enligt planen.",
                    "confirm": "on",
                },
                target=world["proposal"],
            )
            for kind in ("area", "motion"):
                obj = world[kind]
                opts = obj._meta
                url = reverse(
                    "wagtail_bulk_action", args=[opts.app_label, opts.model_name, "delete"]
                )
                url += f"?id={obj.pk}"
                may_delete = self.expect(
                    lambda user, obj=obj: (
                        has_perm(user, type(obj), "delete") and not _registered(obj)
                    ),
                    side,
                    kind,
                )
                # The confirm page: its status is Wagtail's; what it names is the marker test's.
                self.add("GET", f"bulk delete [{side} {kind}]", url, None)
                self.add("POST", f"bulk delete [{side} {kind}]", url, may_delete, target=obj)
            site = world["site"]
            url = reverse("wagtailsettings:edit", args=["cms", "sitesettings", site.pk])
            may_edit = self.expect(perm("cms.change_sitesettings"), side, "site")
            self.add("GET", f"wagtailsettings:edit [{side} site]", url, may_edit)
            response = self.clients["super"].get(url)
            data = form_data(response) | {"organisation_name": ["ÄNDRAD"]}
            self.add(
                "POST",
                f"wagtailsettings:edit [{side} site]",
                url,
                may_edit,
                data=data,
                target=SiteSettings.for_site(site),
            )
        # The own motion to the other municipality's organ: refused to everyone.
        self.add(
            "POST",
            "motions_action:refer [crafted: own motion, other organ]",
            reverse("motions_action", args=[self.world["own"]["open_motion"].pk, "refer"]),
            self.expect(lambda user: False),
            data={"organ": self.world["other"]["organ"].pk, "sent_on": "2024-03-01", **_key()},
            target=self.world["own"]["open_motion"],
        )
        self.add(
            "GET",
            "motions_report_index",
            reverse("motions_report_index"),
            self.expect(perm("motions.view_motion")),
        )
        self.add(
            "GET",
            "motions_bulk_write_off",
            reverse("motions_bulk_write_off"),
            self.expect(change_motion),
        )
        self.add(
            "GET",
            "motions_gallring",
            reverse("motions_gallring"),
            self.expect(
                lambda user: (
                    user.has_perm("motions.gallra") or user.has_perm("motions.view_gallringrecord")
                )
            ),
        )
        # Wagtail's own pages that list across the installation: whatever answers them (their
        # page, collection and site permissions), the other municipality's marker must not show.
        for name, query in (
            ("wagtailadmin_pages:search", "?q=Start"),
            ("wagtailadmin_explore_root", ""),
            ("wagtailimages:index", ""),
            ("wagtaildocs:index", ""),
            ("wagtailadmin_reports:site_history", ""),
            ("wagtailadmin_reports:workflow", ""),
            ("wagtailadmin_reports:workflow_tasks", ""),
            ("wagtailadmin_reports:locked_pages", ""),
            ("wagtailadmin_reports:aging_pages", ""),
        ):
            self.add("GET", name, reverse(name) + query, None)
        self.add(
            "GET",
            "wagtailadmin_home",
            reverse("wagtailadmin_home"),
            self.expect(perm("wagtailadmin.access_admin")),
        )


def _key():
    return {"request_key": uuid.uuid4().hex}


# --- running them -------------------------------------------------------------------------


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _published(obj):
    if obj is None or not hasattr(obj, "live"):
        return None
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    return rows.values_list("live", "live_revision_id").first()


def run(check: Check, role: str, client: Client) -> None:
    if check.method == "GET":
        response = client.get(check.url)
        allowed = response.status_code == 200
        check.results[role] = str(response.status_code)
        if not reaches(role, "other", "body") and MARK["other"] in text_of(response):
            check.wrong.append(f"{role} saw {MARK['other']}")
    else:
        with transaction.atomic():
            before, published = fingerprint(check.target), _published(check.target)
            response = client.post(check.url, check.data or {})
            allowed = fingerprint(check.target) != before
            published = _published(check.target) != published
            transaction.set_rollback(True)  # the next check starts from the same data
        check.results[role] = f"{response.status_code}{'*' if allowed else ''}"
        if check.may_publish is not None and published and not check.may_publish[role]:
            check.wrong.append(f"{role} published")
    if check.expected is not None and allowed != check.expected[role]:
        check.wrong.append(f"{role} {'allowed' if allowed else 'denied'}")


def skipped(check: Check, role: str, twins: dict[str, Check]) -> bool:
    """Columns that repeat another, left out to keep the matrix quick (shown as ·):
    anonymous requests on each record (Wagtail refuses them all before any view: the lists
    and pages without a record show it); the superuser on the own municipality's records
    (the other's show it), and on a page the secretariat opens on its own twin (the URL
    works); a role on the other municipality's records when it does not reach the own one's
    either (the same case: out of reach)."""
    found = re.search(r"\[(own|other) (\w+)", check.label)
    if found is None:
        return False
    side, kind = found.groups()
    if role == "anon" or (role == "super" and side == "own"):
        return True
    if side == "other" and role != "super":
        return not reaches(role, "own", kind)
    twin = twins.get((check.method, check.label.replace("[other ", "[own ")))
    return bool(
        role == "super"
        and check.method == "GET"
        and twin
        and (twin.expected or {}).get("secretariat")
    )


def test_the_permission_matrix(world, people):
    started = time.monotonic()
    clients = {role: Client() for role in ROLES}
    for role, client in clients.items():
        if role != "anon":
            client.force_login(people[role])
    matrix = Matrix(world, people, clients)
    matrix.snippets()
    matrix.workflow()
    matrix.admin_pages()
    twins = {(check.method, check.label): check for check in matrix.checks}
    for check in matrix.checks:
        for role in ROLES:
            if skipped(check, role, twins):
                check.results[role] = "·"
                continue
            run(check, role, clients[role])
    lines = [
        f"{check.method:4} {check.label:58} "
        + " ".join(f"{role}={check.results[role]:5}" for role in ROLES)
        + (f"  !! {', '.join(check.wrong)}" if check.wrong else "")
        for check in matrix.checks
    ]
    summary = (
        f"{len(matrix.checks)} URLs × {len(ROLES)} roles in {time.monotonic() - started:.0f} s "
        "(a status: GET; a status with *: the POST changed the database; ·: not asked)"
    )
    print("\n".join([*lines, summary]))  # noqa: T201  (the matrix, with pytest -s)
    wrong = [line for line in lines if "!!" in line]
    assert not wrong, "Unexpected allow or deny:\n" + "\n".join(wrong)


@pytest.fixture
def world(db):
    return {side: municipality(side) for side in ("own", "other")}


@pytest.fixture
def people(world):
    people = users(world["own"])
    for side in ("own", "other"):
        followup = world[side]["followup_review"]
        workflow = followup.get_workflow()
        if workflow is not None:  # the officer submits it
            workflow.start(followup, people["officer"] if side == "own" else people["super"])
            followup.refresh_from_db()
    return people
