"""Roles: what a Wagtail group may reach. Permissions say what a group may do with a kind of
record; its role says in which municipality, and for an officer for which organ."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Body, Organ, Party


class RoleKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat (sekretariat)")
    OFFICER = "officer", _("Officer (handläggare)")
    AUDITOR = "auditor", _("Auditor (granskare)")
    PARTY_GROUP = "party_group", _("Political group (politisk grupp)")


class Role(models.Model):
    """A group's place: one municipality, and the organ an officer reports for or the party a
    political group follows. A user's reach is the union of the roles of their groups."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="role", verbose_name=_("group")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="roles", verbose_name=_("municipality")
    )
    kind = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)
    organ = models.ForeignKey(
        Organ,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("organ"),
        help_text=_("The committee or company an officer reports for."),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("party"),
        help_text=_("The party a political group follows."),
    )

    class Meta:
        ordering = ["body", "kind", "group__name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=RoleKind.OFFICER, organ__isnull=False, party__isnull=True)
                    | models.Q(kind=RoleKind.PARTY_GROUP, party__isnull=False, organ__isnull=True)
                    | models.Q(
                        kind__in=[RoleKind.SECRETARIAT, RoleKind.AUDITOR],
                        organ__isnull=True,
                        party__isnull=True,
                    )
                ),
                name="role_organ_or_party_as_its_kind_needs",
            )
        ]

    def __str__(self):
        return f"{self.body}: {self.get_kind_display()} ({self.group})"

    def clean(self):
        errors = {}
        if self.kind == RoleKind.OFFICER and not self.organ_id:
            errors["organ"] = _("An officer reports for an organ; choose one.")
        if self.kind == RoleKind.PARTY_GROUP and not self.party_id:
            errors["party"] = _("A political group follows a party; choose one.")
        if self.organ_id and self.kind != RoleKind.OFFICER:
            errors["organ"] = _("Only an officer's role names an organ.")
        if self.party_id and self.kind != RoleKind.PARTY_GROUP:
            errors["party"] = _("Only a political group's role names a party.")
        for name in ("organ", "party"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and self.body_id and related.body_id != self.body_id:
                errors[name] = _("It belongs to another municipality.")
        if errors:
            raise ValidationError(errors)
