from .decision import (
    AlternativeProposal,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    DecisionDocument,
    DecisionStatement,
    PartyVote,
    ProposalReservation,
    ProposedOutcome,
    StatementKind,
    VoteMethod,
)
from .motion import Clause, Motion, MotionKind, MotionResult, MotionStatus, Outcome, Referral, Submitter
from .organisation import (
    Area,
    AreaClassification,
    Body,
    Coalition,
    DeadlineAnchor,
    Meeting,
    Membership,
    MembershipRole,
    Organ,
    OrganKind,
    Party,
    Person,
    Term,
    Topic,
)

__all__ = [
    "AlternativeProposal", "Area", "AreaClassification", "Body", "Clause", "Coalition", "CommitteeProposal",
    "DeadlineAnchor", "Decision", "DecisionClauseOutcome", "DecisionDocument", "DecisionStatement", "Meeting",
    "Membership", "MembershipRole", "Motion", "MotionKind", "MotionResult", "MotionStatus", "Organ", "OrganKind",
    "Outcome", "Party", "PartyVote", "Person", "ProposalReservation", "ProposedOutcome", "Referral",
    "StatementKind", "Submitter", "Term", "Topic", "VoteMethod",
]
