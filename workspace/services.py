"""Writes: the watchlist. A political group may watch only what anyone may read, and only
in its own municipality; anything else is refused and changes nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motions.models import Motion
from plans.models import Commitment

from .models import Watch
from .selectors import parties_of

WATCHABLE = {"motion": Motion, "commitment": Commitment}


def _watchable(*, user, kind: str, pk=None, case_number: str = "") -> Motion | Commitment:
    """The published record of `kind` and `pk` (or a motion's case number) in one of the
    user's party's municipalities."""
    model = WATCHABLE.get(kind)
    bodies = {p.body_id for p in parties_of(user)}
    if case_number.strip() and kind == "motion":
        key = {"case_number__iexact": case_number.strip()}
    else:
        key = {"pk": pk} if str(pk).isdigit() else None
    record = (
        model.objects.published().filter(body__in=bodies, **key).first()
        if model and bodies and key
        else None
    )
    if record is None:
        raise ValidationError(_("That record cannot be watched."))
    return record


@transaction.atomic
def watch_add(*, user, kind: str, pk=None, case_number: str = "") -> Watch:
    """Watch one published motion or commitment of the user's municipality, by id or (a
    motion) by case number; watching it again changes nothing. Raises ValidationError for
    anything else."""
    record = _watchable(user=user, kind=kind, pk=pk, case_number=case_number)
    watch, _created = Watch.objects.get_or_create(user=user, **{kind: record})
    return watch


@transaction.atomic
def watch_remove(*, user, watch_id) -> None:
    """Stop watching; only the user's own watches can be removed."""
    deleted, _rows = Watch.objects.filter(
        user=user, pk=watch_id if str(watch_id).isdigit() else None
    ).delete()
    if not deleted:
        raise ValidationError(_("That record is not on your watchlist."))
