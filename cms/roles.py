"""The four roles as Wagtail groups per municipality (README "Roles").

A group's permissions say what its members may do with a kind of record; its `motions.Role`
says where (`motions.access`). `roles_set_up` makes a municipality's groups, and is safe to
run again: it adds what is missing and leaves what an administrator changed in the admin.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from motions.models import Body, Organ, Party, Role, RoleKind
from plans.models import Action

from .models import HomePage

_RECORDS = {
    "motions": ["motion", "committeeproposal", "decision"],
    "plans": ["commitment", "actionplan", "followup"],
}
_LOOKUPS = {
    "motions": [
        "meeting",
        "appeal",
        "organ",
        "party",
        "coalition",
        "person",
        "membership",
        "term",
        "area",
    ],
    "plans": ["indicator"],
}
_EVERYTHING = {
    app: [*_RECORDS.get(app, []), *_LOOKUPS.get(app, [])] for app in ("motions", "plans")
}
_EVERYTHING["motions"] += ["body", "reminderclaim", "gallringrecord", "topic"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    RoleKind.SECRETARIAT: [
        "wagtailadmin.access_admin",
        "motions.gallra",
        "motions.change_body",
        "motions.view_body",
        "motions.view_reminderclaim",
        "motions.view_gallringrecord",
        "cms.change_sitesettings",
        *(
            f"{app}.{action}_{model}"
            for app, models in _RECORDS.items()
            for model in models
            for action in ("add", "change", "view", "publish", "lock", "unlock")
        ),
        *(
            f"{app}.{action}_{model}"
            for app, models in _LOOKUPS.items()
            for model in models
            for action in ("add", "change", "view")
        ),
    ],
    RoleKind.OFFICER: [
        "wagtailadmin.access_admin",
        "plans.add_followup",
        "plans.change_followup",
        "plans.view_followup",
        "plans.view_commitment",
        "plans.view_actionplan",
        "plans.view_indicator",
    ],
    RoleKind.AUDITOR: [
        "wagtailadmin.access_admin",
        *(f"{app}.view_{model}" for app, models in _EVERYTHING.items() for model in models),
    ],
    RoleKind.PARTY_GROUP: ["wagtailadmin.access_admin"],
}

# Pages: the secretariat edits and publishes its municipality's pages, nobody else's.
PAGE_PERMISSIONS = {RoleKind.SECRETARIAT: ["add_page", "change_page", "publish_page", "lock_page"]}
# Documents and images (the municipality's own collection): attachments, evidence, the logo.
COLLECTION_PERMISSIONS = {
    RoleKind.SECRETARIAT: [
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
    RoleKind.OFFICER: ["wagtaildocs.add_document", "wagtaildocs.choose_document"],
}


def group_name(body: Body, kind: str, *, organ: Organ | None = None, party=None) -> str:
    label = {
        RoleKind.SECRETARIAT: _("Secretariat"),
        RoleKind.OFFICER: _("Officer, %(organ)s") % {"organ": organ},
        RoleKind.AUDITOR: _("Auditor"),
        RoleKind.PARTY_GROUP: _("Political group, %(party)s") % {"party": party},
    }[kind]
    return f"{body.name}: {label}"


def _permissions(labels):
    wanted = Q(pk__in=[])
    for label in labels:
        app, codename = label.split(".")
        wanted |= Q(content_type__app_label=app, codename=codename)
    return Permission.objects.filter(wanted)


def municipality_collection(body: Body) -> Collection:
    """The municipality's collection of documents and images, made under the root once."""
    # Wagtail's migrations make the root; a flushed database (a transactional test) has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    found = root.get_children().filter(name=body.name).first()
    return found or root.add_child(name=body.name)


@transaction.atomic
def role_set_up(*, body: Body, kind: str, organ=None, party=None) -> Role:
    """The group of one role, made with its permissions if missing; an existing group keeps
    its name and gains only the permissions it lacks."""
    role = Role.objects.filter(body=body, kind=kind, organ=organ, party=party).first()
    if role is None:
        group, _created = Group.objects.get_or_create(
            name=group_name(body, kind, organ=organ, party=party)
        )
        role = Role(group=group, body=body, kind=kind, organ=organ, party=party)
        role.full_clean(exclude=["group"])
        role.save()
    group = role.group
    group.permissions.add(*_permissions(ROLE_PERMISSIONS[kind]))
    home = HomePage.objects.filter(body=body).first()
    for codename in PAGE_PERMISSIONS.get(kind, []) if home else []:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    if labels := COLLECTION_PERMISSIONS.get(kind):
        collection = municipality_collection(body)
        for permission in _permissions(labels):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return role


def roles_set_up(*, body: Body, party_groups: bool = False) -> list[Role]:
    """A municipality's secretariat, auditors, an officer group for every organ responsible
    for a commitment or a plan's action, and (when asked) a political group per party."""
    roles = [
        role_set_up(body=body, kind=RoleKind.SECRETARIAT),
        role_set_up(body=body, kind=RoleKind.AUDITOR),
    ]
    organs = Organ.objects.filter(body=body).filter(
        Q(commitments__isnull=False) | Q(pk__in=Action.objects.values("owner"))
    )
    roles += [
        role_set_up(body=body, kind=RoleKind.OFFICER, organ=organ) for organ in organs.distinct()
    ]
    if party_groups:
        roles += [
            role_set_up(body=body, kind=RoleKind.PARTY_GROUP, party=party)
            for party in Party.objects.filter(body=body)
        ]
    return roles
