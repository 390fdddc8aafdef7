"""Registered records are never hard-deleted; gallring is the one explicit way to remove one.

REQ-ARCH-01: motions, decisions, proposals, commitments, action plans, published follow-ups and
the records of their history stay in the register. `protect_records` declares such a model: its
rows then refuse `delete()` (an instance, a queryset or a cascade: Django sends `pre_delete` for
each of them once anyone listens) and Wagtail offers no delete to anyone, superusers included.
`record_gallra` is the exception: it removes one record and what belongs to it under a named
gallringsbeslut, logs it, and keeps a `GallringRecord`.

Each app declares its own models (`register_motion_records` here, `plans.gallring` for plans)
from its `AppConfig.ready()`, before Wagtail's snippet viewsets look up their permission policy.
"""

import contextvars
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from . import access, services
from .models import (
    Appeal,
    CommitteeProposal,
    Decision,
    GallringRecord,
    Motion,
    MotionEvent,
    Referral,
    UndecidedReport,
    UndecidedReportRow,
)
from .scoping import ScopedPermissionPolicy

GALLRA_PERMISSION = "motions.gallra"
LOG_ACTION = "motions.gallra"

# True only inside `record_gallra`; a context variable, so another thread or request never sees it.
_gallring = contextvars.ContextVar("gallring", default=False)


class RecordDeletionRefused(PermissionDenied):
    """A registered record was about to be deleted outside gallring."""


class GallringRefused(Exception):
    """Gallring cannot go ahead; the message says why and what to do first."""


def _always(obj) -> bool:
    return True


# model -> "is this row a registered record?"
_protected: dict[type[models.Model], Callable[[models.Model], bool]] = {}


def is_registered(obj) -> bool:
    """Whether `obj` is a registered record that only gallring may remove."""
    rule = _protected.get(type(obj))
    return bool(rule and rule(obj))


class RecordPermissionPolicy(ScopedPermissionPolicy):
    """Nobody may delete a registered record, superusers included. The model-wide "delete"
    permission stays as Django has it, so a forged delete request reaches the
    `before_delete_snippet` hook and gets its reason rather than a bare 403."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and is_registered(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


def refusal_message(obj) -> str:
    return _(
        "%(record)s is a registered record and is never deleted: withdraw, unpublish or "
        "supersede it instead, or remove it by gallring under a gallringsbeslut."
    ) % {"record": f"{capfirst(obj._meta.verbose_name)} “{obj}”"}


def _refuse_delete(sender, instance, **kwargs):
    if not _gallring.get() and is_registered(instance):
        raise RecordDeletionRefused(refusal_message(instance))


def protect_records(*record_models, when: Callable[[models.Model], bool] = _always):
    """Declare models whose rows (those for which `when(row)` holds) are registered records."""
    for model in record_models:
        _protected[model] = when
        pre_delete.connect(
            _refuse_delete, sender=model, dispatch_uid=f"gallring-protect-{model._meta.label}"
        )
        register_permission_policy(model, RecordPermissionPolicy(model))


@dataclass(frozen=True)
class Gallrable:
    """How one kind of record is removed by gallring.

    parts: querysets of what belongs to the record, deleted before it, in order;
    blockers: reasons to refuse (records that must be gallrad first, or would be changed);
    afterwards: called before deleting, returns what to run once the record is gone
    (e.g. refresh the derived status of the motion it belonged to);
    case_number: the case (diarienummer) the GallringRecord names."""

    parts: Callable[[models.Model], Iterable[models.QuerySet]] = lambda obj: ()
    blockers: Callable[[models.Model], list[str]] = lambda obj: []
    afterwards: Callable[[models.Model], Callable[[], object] | None] = lambda obj: None
    case_number: Callable[[models.Model], str] = field(
        default=lambda obj: getattr(obj, "case_number", "") or ""
    )


_gallrable: dict[type[models.Model], Gallrable] = {}


def register_gallrable(model: type[models.Model], spec: Gallrable) -> None:
    _gallrable[model] = spec


def gallrable_models() -> list[type[models.Model]]:
    return list(_gallrable)


def can_gallra(user) -> bool:
    return bool(user and user.is_active and user.has_perm(GALLRA_PERMISSION))


def gallring_preview(obj) -> tuple[list[str], list[tuple[str, int]]]:
    """What gallring `obj` would refuse over, and what would go with it (for the confirm page)."""
    spec = _gallrable[type(obj)]
    parts = []
    for queryset in spec.parts(obj):
        if count := queryset.count():
            parts.append((capfirst(queryset.model._meta.verbose_name_plural), count))
    return spec.blockers(obj), parts


def _describe(objects) -> str:
    by_model = Counter(type(obj) for obj in objects)
    return ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in by_model.items()
    )


@transaction.atomic
def record_gallra(
    *, instance, decision_reference: str, decided_on: date, reason: str, user
) -> GallringRecord:
    """Remove `instance` and what belongs to it under the named gallringsbeslut.

    Refuses (GallringRefused, nothing changed) without a reference, a reason or a date not in
    the future, and while other records still refer to it (e.g. a motion's decisions, a
    decision's commitments: gallra those first). Raises PermissionDenied unless `user` holds
    `motions.gallra`. Logs `motions.gallra` on the record before removing it and keeps a
    GallringRecord; all in one transaction with the record's row locked."""
    if not can_gallra(user) or not access.reaches(user, instance, GALLRA_PERMISSION):
        raise PermissionDenied(_("You may not remove records by gallring."))
    model = type(instance)
    spec = _gallrable.get(model)
    if spec is None:
        raise GallringRefused(
            _("%(type)s records are not removed by gallring.")
            % {"type": capfirst(model._meta.verbose_name_plural)}
        )
    decision_reference = (decision_reference or "").strip()
    reason = (reason or "").strip()
    if not decision_reference:
        raise GallringRefused(
            _("Name the gallringsbeslut or the entry in the records management plan.")
        )
    if not reason:
        raise GallringRefused(_("Give the reason for the gallring."))
    if decided_on is None or decided_on > timezone.localdate():
        raise GallringRefused(_("The gallringsbeslut must have a date that is not in the future."))

    obj = model._default_manager.select_for_update().get(pk=instance.pk)
    if blockers := spec.blockers(obj):
        raise GallringRefused(" ".join(blockers))

    label, object_id, object_repr = model._meta.label, str(obj.pk), str(obj)[:255]
    body_id = access.body_id_of(obj)
    case_number = spec.case_number(obj)[:60]
    afterwards = spec.afterwards(obj)
    log(
        instance=obj,
        action=LOG_ACTION,
        user=user,
        deleted=True,
        data={
            "decision_reference": decision_reference,
            "decided_on": decided_on.isoformat(),
            "reason": reason,
            "case_number": case_number,
        },
    )

    removed: Counter = Counter()
    token = _gallring.set(True)
    try:
        for queryset in spec.parts(obj):
            removed.update(queryset.delete()[1])
        removed.update(obj.delete()[1])
    except (models.ProtectedError, models.RestrictedError) as error:
        # Something outside what belongs to the record still points at it: say what, undo all.
        blocking = getattr(error, "protected_objects", None) or error.restricted_objects
        raise GallringRefused(
            _("%(record)s is still referred to by %(what)s: gallra or change those first.")
            % {"record": object_repr, "what": _describe(blocking)}
        ) from error
    finally:
        _gallring.reset(token)

    removed.pop(label, None)
    record = GallringRecord.objects.create(
        body_id=body_id,
        model_label=label,
        object_id=object_id,
        object_repr=object_repr,
        case_number=case_number,
        decision_reference=decision_reference,
        decided_on=decided_on,
        reason=reason,
        removed={key: count for key, count in removed.items() if count},
        user=user,
        user_name=user.get_full_name() or user.get_username(),
    )
    if afterwards:
        afterwards()
    return record


# The council record's models.


def _motion_blockers(motion) -> list[str]:
    blockers = []
    decisions = Decision.objects.filter(motion=motion)
    if decisions.exists():
        blockers.append(
            _("The motion still has decisions (%(decisions)s): gallra them first.")
            % {"decisions": ", ".join(str(decision) for decision in decisions[:5])}
        )
    reports = UndecidedReport.objects.filter(
        rows__motion=motion, issued_at__isnull=False
    ).distinct()
    if reports.exists():
        blockers.append(
            _("The motion is listed in an issued report of undecided motions (%(reports)s).")
            % {"reports": ", ".join(str(report) for report in reports[:5])}
        )
    return blockers


def _motion_parts(motion):
    return (
        MotionEvent.objects.filter(motion=motion),
        UndecidedReportRow.objects.filter(motion=motion, report__issued_at__isnull=True),
        Referral.objects.filter(motion=motion),
        CommitteeProposal.objects.filter(motion=motion),
    )


def _refresh_motion(motion_id):
    if not motion_id:
        return None

    def refresh():
        services.motion_refresh_status(motion=Motion.objects.get(pk=motion_id))

    return refresh


def register_motion_records():
    """Called from `MotionsConfig.ready()`."""
    protect_records(Motion, CommitteeProposal, Decision, Referral, MotionEvent, Appeal)
    protect_records(GallringRecord)
    protect_records(UndecidedReport, when=lambda report: report.issued_at is not None)
    protect_records(
        UndecidedReportRow,
        when=lambda row: UndecidedReport.objects.filter(
            pk=row.report_id, issued_at__isnull=False
        ).exists(),
    )
    register_gallrable(Motion, Gallrable(parts=_motion_parts, blockers=_motion_blockers))
    register_gallrable(
        CommitteeProposal,
        Gallrable(
            parts=lambda proposal: (MotionEvent.objects.filter(proposal=proposal),),
            afterwards=lambda proposal: _refresh_motion(proposal.motion_id),
            case_number=lambda proposal: proposal.motion.case_number,
        ),
    )
    register_gallrable(
        Decision,
        Gallrable(
            # The motion's "decided" and write-off events record this decision; its appeals
            # were lodged against it.
            parts=lambda decision: (
                MotionEvent.objects.filter(decision=decision),
                Appeal.objects.filter(decision=decision),
            ),
            afterwards=lambda decision: _refresh_motion(decision.motion_id),
        ),
    )
