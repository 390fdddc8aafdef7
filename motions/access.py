"""Who reaches which records in the admin: one rule, asked by every admin list, object view,
chooser, form field and bulk action (`scoping.py` hooks it into Wagtail's views).

Django's permissions say what a group may do with a kind of record (add, change, publish);
a group's `Role` says where: the secretariat and auditors reach their municipality's records,
an officer the records of the organ it reports for. A signed-in user without a role reaches
nothing; a superuser reaches everything.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from .models import RoleKind, Scope


@dataclass(frozen=True)
class Reach:
    """The municipalities and organs a user's roles reach."""

    everything: bool = False
    bodies: frozenset[int] = frozenset()  # secretariat and auditor
    organs: frozenset[int] = frozenset()  # officer
    parties: frozenset[int] = frozenset()  # political group
    kinds: frozenset[str] = frozenset()
    all_bodies: frozenset[int] = frozenset()  # any role at all, the party groups' too

    @property
    def is_auditor_only(self) -> bool:
        return self.kinds == {RoleKind.AUDITOR}


NOBODY = Reach()


def reach(user, permission: str | None = None) -> Reach:
    """The user's reach, read once per request (one query) and kept on the user object.

    With `permission` ("motions.change_motion"), only through the roles whose group grants
    it: a secretary in one municipality who audits another may change nothing in the other.
    Permissions given to a user directly, outside a role's group, reach nowhere more."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return Reach(everything=True)
    cache = getattr(user, "_beslutsspar_reach", None)
    if cache is None:
        cache = user._beslutsspar_reach = {}
    if permission in cache:
        return cache[permission]

    bodies, organs, parties, kinds, all_bodies = set(), set(), set(), set(), set()
    for kind, body, organ, party, granted in _roles(user):
        if permission is not None and permission not in granted:
            continue
        kinds.add(kind)
        all_bodies.add(body)
        if kind in (RoleKind.SECRETARIAT, RoleKind.AUDITOR):
            bodies.add(body)
        elif kind == RoleKind.OFFICER:
            organs.add(organ)
        elif kind == RoleKind.PARTY_GROUP:
            parties.add(party)
    result = cache[permission] = Reach(
        bodies=frozenset(bodies),
        organs=frozenset(organs),
        parties=frozenset(parties),
        kinds=frozenset(kinds),
        all_bodies=frozenset(all_bodies),
    )
    return result


def _roles(user) -> list[tuple]:
    """Each of the user's roles with the permissions its group grants, in one query."""
    cached = getattr(user, "_beslutsspar_roles", None)
    if cached is not None:
        return cached
    from .models import Role

    roles: dict[int, tuple] = {}
    rows = Role.objects.filter(group__user=user).values_list(
        "pk",
        "kind",
        "body_id",
        "organ_id",
        "party_id",
        "group__permissions__content_type__app_label",
        "group__permissions__codename",
    )
    for pk, kind, body, organ, party, app, codename in rows:
        role = roles.setdefault(pk, (kind, body, organ, party, set()))
        if codename:
            role[4].add(f"{app}.{codename}")
    user._beslutsspar_roles = list(roles.values())
    return user._beslutsspar_roles


def scope_of(model) -> Scope | None:
    return getattr(model, "access_scope", None)


def visible(user, queryset: QuerySet, permission: str | None = None) -> QuerySet:
    """The rows of `queryset` that `user` may reach in the admin, or with `permission`, reach
    through a role that grants it. A model without a declared scope is for superusers only."""
    you = reach(user, permission)
    if you.everything:
        return queryset
    scope = scope_of(queryset.model)
    if scope is None:
        return queryset.none()
    if scope.shared:
        return queryset if you.all_bodies else queryset.none()
    conditions = [in_bodies(queryset.model, you.bodies)] if you.bodies else []
    conditions += [Q(**{f"{path}__in": you.organs}) for path in scope.organs if you.organs]
    if not conditions:
        return queryset.none()
    scoped = queryset.filter(reduce(or_, conditions))
    return scoped.distinct() if scope.distinct else scoped


def in_bodies(model, body_ids) -> Q:
    """The rows of `model` that belong to one of the municipalities `body_ids`, by the
    lookups its `access_scope` declares (a follow-up: its commitment's or its plan's)."""
    return reduce(
        or_, [Q(**{f"{path}__in": body_ids}) for path in scope_of(model).bodies], Q(pk__in=[])
    )


def reaches(user, instance, permission: str | None = None) -> bool:
    """Whether `user` may reach one saved row (one query, none for a superuser), with
    `permission`: through a role that grants it."""
    if reach(user).everything:
        return True
    if instance is None or instance.pk is None:
        return False
    model = type(instance)
    return visible(user, model._default_manager.filter(pk=instance.pk), permission).exists()


def sees_many_bodies(user) -> bool:
    """Whether the admin should name each record's municipality: it may show more than one."""
    you = reach(user)
    if you.everything:
        from .models import Body

        return Body.objects.count() > 1
    return len(you.all_bodies) > 1


def body_id_of(instance) -> int | None:
    """The municipality a saved row belongs to, by its scope's lookups."""
    scope = scope_of(type(instance))
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    for path in scope.bodies if scope else ():
        if body_id := rows.values_list(path, flat=True).first():
            return body_id
    return None
