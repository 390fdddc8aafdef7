"""`python manage.py setup_roles [--body SLUG ...] [--party-groups] [--organ SLUG ...]`:
make the Wagtail groups of the four roles per municipality (README "Roles").

Safe to run again: a group that exists keeps its name, its members and any permission an
administrator gave it in the admin, and gains only what it lacks (`cms.roles`)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from cms.roles import role_set_up, roles_set_up
from motions.models import Body, Organ, Role, RoleKind


class Command(BaseCommand):
    help = (
        "Create each municipality's role groups (secretariat, auditor, officers, and with "
        "--party-groups one political group per party); safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--body",
            action="append",
            default=[],
            metavar="SLUG",
            help="A municipality's slug; repeat for several. Default: every municipality.",
        )
        parser.add_argument(
            "--party-groups",
            action="store_true",
            help="Also make a political group for every party of the municipality.",
        )
        parser.add_argument(
            "--organ",
            action="append",
            default=[],
            metavar="SLUG",
            help="Also make an officer group for this organ (in each municipality named).",
        )

    def handle(self, *args, body, party_groups, organ, **options):
        bodies = self.bodies(body)
        organs = {b: self.organs(b, organ) for b in bodies}
        before = set(Role.objects.values_list("pk", flat=True))
        with transaction.atomic():
            roles = []
            for b in bodies:
                roles += roles_set_up(body=b, party_groups=party_groups)
                roles += [role_set_up(body=b, kind=RoleKind.OFFICER, organ=o) for o in organs[b]]
        seen = set()
        for role in roles:
            if role.pk in seen:
                continue
            seen.add(role.pk)
            label = _("new") if role.pk not in before else _("existed")
            self.stdout.write(f"{label:8} {role.group.name}")
        created = len(seen - before)
        summary = _("%(groups)d groups, %(new)d new.") % {"groups": len(seen), "new": created}
        self.stdout.write(self.style.SUCCESS(summary) if created else summary)

    def bodies(self, slugs: list[str]) -> list[Body]:
        if not slugs:
            bodies = list(Body.objects.order_by("name"))
            if not bodies:
                raise CommandError(_("There are no municipalities yet."))
            return bodies
        found = {b.slug: b for b in Body.objects.filter(slug__in=slugs)}
        if unknown := [s for s in slugs if s not in found]:
            known = ", ".join(Body.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                _("Unknown municipality: %(unknown)s. Known: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": known or "-"}
            )
        return [found[s] for s in dict.fromkeys(slugs)]

    def organs(self, body: Body, slugs: list[str]) -> list[Organ]:
        found = {o.slug: o for o in Organ.objects.filter(body=body, slug__in=slugs)}
        if unknown := [s for s in slugs if s not in found]:
            known = ", ".join(Organ.objects.filter(body=body).values_list("slug", flat=True))
            raise CommandError(
                _(
                    "Unknown organ in %(body)s: %(unknown)s. Known: %(known)s. "
                    "Name the municipality with --body."
                )
                % {"body": body.name, "unknown": ", ".join(unknown), "known": known or "-"}
            )
        return [found[s] for s in dict.fromkeys(slugs)]
