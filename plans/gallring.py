"""Commitments, action plans and published follow-ups are registered records (REQ-ARCH-01).

A follow-up that was never published is a draft, not yet an allmän handling (REQ-OFF-02): it
may be deleted. Everything else here leaves the register only by `motions.gallring.record_gallra`.
"""

from django.utils.translation import gettext as _

from motions.gallring import Gallrable, protect_records, register_gallrable

from . import services
from .models import Action, ActionPlan, Commitment, FollowUp


def _refresh_commitment(commitment_id):
    if not commitment_id:
        return None
    return lambda: services.commitment_refresh_status(
        commitment=Commitment.objects.get(pk=commitment_id)
    )


def _plan_blockers(plan) -> list[str]:
    commitments = Commitment.objects.filter(action_plan=plan)
    if commitments.exists():
        # Deleting the plan would quietly unlink them (SET_NULL): refuse instead.
        return [
            _(
                "Commitments still refer to this action plan (%(commitments)s): change or gallra them first."
            )
            % {"commitments": ", ".join(str(commitment) for commitment in commitments[:5])}
        ]
    return []


def register_plan_records():
    """Called from `PlansConfig.ready()`."""
    protect_records(Commitment, ActionPlan)
    protect_records(FollowUp, when=lambda followup: followup.first_published_at is not None)
    register_gallrable(
        Commitment,
        Gallrable(
            parts=lambda commitment: (FollowUp.objects.filter(commitment=commitment),),
            case_number=lambda commitment: commitment.decision.case_number,
        ),
    )
    register_gallrable(
        ActionPlan,
        Gallrable(
            parts=lambda plan: (
                FollowUp.objects.filter(action__plan=plan),
                Action.objects.filter(plan=plan),
            ),
            blockers=_plan_blockers,
            case_number=lambda plan: plan.decision.case_number,
        ),
    )
    register_gallrable(
        FollowUp,
        Gallrable(
            afterwards=lambda followup: _refresh_commitment(followup.commitment_id),
            case_number=lambda followup: (
                followup.commitment.decision.case_number if followup.commitment_id else ""
            ),
        ),
    )
