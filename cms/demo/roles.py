"""Demo roles and their users (README "Roles"). Called by `load_demo` with its records:

    cms.demo.roles.load(records: dict) -> list[tuple[str, str, str]]

Every demo municipality gets its role groups, a political group per party included. Only with
`load_demo --admin` (records["user"] set) does it also make one user per role in Borås and
Västerås, each with a fresh random password on every run, printed by the command and never
stored in plain text. Returns (username, password, description) per user; none without --admin.
"""

import secrets

from django.contrib.auth import get_user_model

from cms.roles import role_set_up, roles_set_up
from motions.models import Role, RoleKind
from plans.models import Commitment

# Municipality slug -> the key of the motion whose submitters' party gets a political group user.
DEMO_USERS = {"boras": "boras_utsatta_omraden", "vasteras": "vasteras_est"}


def load(records: dict) -> list[tuple[str, str, str]]:
    created = records.setdefault("created", [])
    for body in records["bodies"].values():
        before = set(Role.objects.filter(body=body).values_list("pk", flat=True))
        for role in roles_set_up(body=body, party_groups=True):
            if role.pk not in before:
                created.append(f"roll: {role.group.name}")
    if records.get("user") is None:
        return []
    logins = []
    for slug, motion_key in DEMO_USERS.items():
        body = records["bodies"][slug]
        party = records["motions"][motion_key].submitters.first().party
        # The organ responsible for the municipality's commitments reports their follow-up.
        commitment = Commitment.objects.filter(body=body).order_by("pk").first()
        organ = commitment.responsible_organ if commitment else records["organs"][slug]["ks"]
        roles = {
            "sekretariat": role_set_up(body=body, kind=RoleKind.SECRETARIAT),
            "handlaggare": role_set_up(body=body, kind=RoleKind.OFFICER, organ=organ),
            "granskare": role_set_up(body=body, kind=RoleKind.AUDITOR),
            party.abbreviation.lower(): role_set_up(
                body=body, kind=RoleKind.PARTY_GROUP, party=party
            ),
        }
        for suffix, role in roles.items():
            username = f"{slug}-{suffix}"
            logins.append((username, _demo_user(username, slug, role), role.group.name))
    return logins


def _demo_user(username: str, slug: str, role: Role) -> str:
    """The user in the role's group, with a new random password; returns the password. Like
    the admin, users are logins printed on each run, not demo data counted as new."""
    user, _new = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@{slug}.example"}
    )
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.add(role.group)
    return password
