"""The rows the OParl endpoint serves, each with its joins and with `oparl_created` and
`oparl_modified`, the timestamps OParl's `created`/`modified` and its filters read.

Everything public starts from the records' own `published()` (and `public_rule`) methods.
A Paper's `modified` is computed when it is read, as the latest of the motion's own publication
and every public change around it: a lifecycle event (referral sent or answered, raised,
written off...), a published proposal or decision (a new clause outcome is a new decision
revision), a published commitment or follow-up on it. Computed rather than stored, so no writer
can forget to bump it; the price is a scan of the municipality's motions for a
`modified_since` filter (see the README)."""

from datetime import UTC, datetime

from django.db.models import DateTimeField, Exists, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from wagtail.documents import get_document_model

from motions.models import (
    Body,
    CommitteeProposal,
    Decision,
    DecisionDocument,
    Meeting,
    Membership,
    Motion,
    MotionEvent,
    Organ,
    Party,
    Person,
    Referral,
    Submitter,
    Term,
)
from motions.queries import DecisionQuerySet
from plans.models import Commitment, FollowUp

# Rows published before Wagtail kept publication times (none in practice) sort first.
EPOCH = Value(datetime(2000, 1, 1, tzinfo=UTC), output_field=DateTimeField())


def latest(queryset, field: str):
    """The latest `field` among `queryset`'s rows (filtered on an OuterRef), as a subquery."""
    return Subquery(
        queryset.order_by(F(field).desc(nulls_last=True)).values(field)[:1],
        output_field=DateTimeField(),
    )


def earliest(queryset, field: str):
    return Subquery(
        queryset.order_by(F(field).asc(nulls_last=True)).values(field)[:1],
        output_field=DateTimeField(),
    )


def stamped(queryset):
    """A lookup table's own timestamps (`created_at`, `modified_at`)."""
    return queryset.annotate(oparl_created=F("created_at"), oparl_modified=F("modified_at"))


def published_stamps(queryset):
    """A published record's: first and last publication."""
    return queryset.annotate(
        oparl_created=Coalesce(F("first_published_at"), F("last_published_at"), EPOCH),
        oparl_modified=Coalesce(F("last_published_at"), F("first_published_at"), EPOCH),
    )


def bodies():
    return stamped(Body.objects.all()).prefetch_related(
        Prefetch("terms", queryset=stamped(Term.objects.order_by("starts_on", "id")))
    )


def terms():
    return stamped(Term.objects.select_related("body"))


def organs():
    return stamped(Organ.objects.select_related("body")).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.only("id", "organ_id").order_by("id"))
    )


def parties():
    return stamped(Party.objects.select_related("body"))


def memberships():
    return stamped(Membership.objects.select_related("term", "organ__body"))


def people():
    own = F("modified_at")
    changed = latest(Membership.objects.filter(person=OuterRef("pk")), "modified_at")
    return (
        Person.objects.select_related("body")
        .annotate(
            oparl_created=F("created_at"), oparl_modified=Greatest(own, Coalesce(changed, own))
        )
        .prefetch_related(
            Prefetch("memberships", queryset=memberships().order_by("term__starts_on", "id"))
        )
    )


def agenda_items():
    """Published decisions: a § in an organ's minutes, with their supporting documents."""
    return published_stamps(
        Decision.objects.published().select_related("meeting__organ", "body")
    ).prefetch_related(
        "clause_outcomes",
        Prefetch("documents", queryset=DecisionDocument.objects.select_related("document")),
    )


def meetings():
    own = F("modified_at")
    changed = latest(
        Decision.objects.published().filter(meeting=OuterRef("pk")), "last_published_at"
    )
    return (
        Meeting.objects.select_related("organ__body")
        .annotate(
            oparl_created=F("created_at"), oparl_modified=Greatest(own, Coalesce(changed, own))
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=agenda_items().order_by("paragraph", "id"),
                to_attr="public_decisions",
            )
        )
    )


def referrals():
    """Referrals are public with their motion; their times are those of their lifecycle events."""
    events = MotionEvent.objects.filter(referral=OuterRef("pk"))
    sent = Coalesce(
        earliest(events, "created_at"),
        F("motion__first_published_at"),
        F("motion__last_published_at"),
        EPOCH,
    )
    return (
        Referral.objects.published()
        .select_related("motion__body", "response_document")
        .annotate(oparl_created=sent, oparl_modified=Coalesce(latest(events, "created_at"), sent))
    )


def proposals():
    return published_stamps(CommitteeProposal.objects.published()).prefetch_related("outcomes")


def decision_consultations():
    return published_stamps(
        Decision.objects.published().filter(motion__isnull=False)
    ).select_related("meeting", "body")


def papers():
    """Published motions, citizen proposals and e-proposals with everything a Paper shows."""
    motion = OuterRef("pk")
    own = Coalesce(F("last_published_at"), F("first_published_at"), EPOCH)
    changes = [
        latest(MotionEvent.objects.filter(motion=motion), "created_at"),
        latest(Decision.objects.published().filter(motion=motion), "last_published_at"),
        latest(CommitteeProposal.objects.published().filter(motion=motion), "last_published_at"),
        latest(Commitment.objects.published().filter(decision__motion=motion), "last_published_at"),
        latest(
            FollowUp.objects.published().filter(commitment__decision__motion=motion),
            "last_published_at",
        ),
    ]
    decisions = (
        published_stamps(Decision.objects.published())
        .select_related("meeting")
        .prefetch_related(
            "clause_outcomes",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.published().order_by("id"),
                to_attr="public_commitments",
            ),
        )
        .order_by("decided_on", "paragraph", "id")
    )
    return (
        Motion.objects.published()
        .select_related("body", "document")
        .annotate(
            oparl_created=Coalesce(F("first_published_at"), own),
            oparl_modified=Greatest(own, *[Coalesce(change, own) for change in changes]),
        )
        .prefetch_related(
            "clauses",
            "topics",
            Prefetch(
                "submitters", queryset=Submitter.objects.select_related("person", "party", "organ")
            ),
            Prefetch("referrals", queryset=referrals().order_by("sent_on", "id")),
            Prefetch(
                "proposals",
                queryset=proposals().order_by("proposed_on", "id"),
                to_attr="public_proposals",
            ),
            Prefetch("decisions", queryset=decisions, to_attr="public_decisions"),
        )
    )


def files(body_id: int | None = None):
    """Documents attached to a published record (of one municipality, or of any): a motion's
    original, a referral's response, a decision's supporting documents. `oparl_body` names
    a municipality whose record holds it, for the licence."""
    document = OuterRef("pk")
    sources = [
        (Motion.objects.published().filter(document=document), "body_id"),
        (Referral.objects.published().filter(response_document=document), "motion__body_id"),
        (
            DecisionDocument.objects.filter(
                DecisionQuerySet.public_rule("decision__"), document=document
            ),
            "decision__body_id",
        ),
    ]
    if body_id is not None:
        sources = [(qs.filter(**{field: body_id}), field) for qs, field in sources]
    attached = Exists(sources[0][0]) | Exists(sources[1][0]) | Exists(sources[2][0])
    return (
        get_document_model()
        .objects.filter(attached)
        .annotate(
            oparl_created=F("created_at"),
            oparl_modified=F("created_at"),
            oparl_body=Coalesce(*[Subquery(qs.values(field)[:1]) for qs, field in sources]),
        )
    )
