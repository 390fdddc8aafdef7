"""What followers are told about the council's record (placeholder until the leaf API lands)."""

from subscriptions.services import event_record


def referral_answered(referral):
    return event_record(kind="referral_answered", source=referral)
