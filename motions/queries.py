"""Reads. Every public channel starts from `published()`; `for_list()`/`for_detail()`
carry their own joins so callers run a fixed number of queries."""

from django.db import models
from django.db.models import Prefetch


class PublishedQuerySet(models.QuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """The one rule for what anonymous visitors may see, as a condition on the relation
        path `prefix` (e.g. "decision__"): live and not expired. A model with a parent adds the
        parent's rule on the path to it, so a child's rule joins its parents' rows, which the
        planner follows by key for one record and hashes for a list, instead of scanning the
        parents in a subquery."""
        return models.Q(**{f"{prefix}live": True, f"{prefix}expired": False})

    def published(self):
        return self.filter(self.public_rule())

    def for_body(self, body):
        return self.filter(body=body)


class MotionQuerySet(PublishedQuerySet):
    def undecided(self):
        """The one rule for "not yet decided": still in preparation, whatever the step."""
        from .status import UNDECIDED_STATUSES

        return self.filter(status__in=UNDECIDED_STATUSES)

    def needs_report(self, today):
        """Undecided past the deadline and not reported to the council after it (KL 5 kap.
        35 §): a report given before the year ran out does not count. The same rule for one
        motion is `motions.deadlines.report_clears_flag`."""
        return self.undecided().filter(
            models.Q(reported_undecided_on__isnull=True)
            | models.Q(reported_undecided_on__lte=models.F("deadline_on")),
            deadline_on__lt=today,
        )

    def for_list(self):
        from .models import Submitter

        return self.select_related("body").prefetch_related(
            Prefetch(
                "submitters", queryset=Submitter.objects.select_related("person", "party", "organ")
            )
        )

    def for_detail(self):
        from .models import CommitteeProposal, Decision, Referral, Submitter

        return self.select_related("body", "raised_at__organ", "term", "document").prefetch_related(
            "clauses",
            "topics",
            "areas",
            Prefetch(
                "submitters", queryset=Submitter.objects.select_related("person", "party", "organ")
            ),
            Prefetch(
                "referrals", queryset=Referral.objects.select_related("organ", "response_document")
            ),
            Prefetch("proposals", queryset=CommitteeProposal.objects.published().for_story()),
            Prefetch("decisions", queryset=Decision.objects.published().for_story()),
        )

    # The `by_*` methods take a list of rows: one municipality's area, party or organ on its
    # page, or every municipality's row of one slug in a filter (`motions.filters`).

    def by_area(self, areas):
        """Motions about any of `areas`."""
        through = self.model.areas.through
        return self.filter(
            models.Exists(through.objects.filter(motion=models.OuterRef("pk"), area__in=areas))
        )

    def by_party(self, parties):
        """Motions submitted by a member of any of `parties` (the party they had then)."""
        from .models import Submitter

        return self.filter(
            models.Exists(Submitter.objects.filter(motion=models.OuterRef("pk"), party__in=parties))
        )

    def by_organ(self, organs):
        """Motions any of `organs` prepared: referred to it, or a published proposal or
        decision by it."""
        from .models import CommitteeProposal, Decision, Referral

        motion = models.OuterRef("pk")
        return self.filter(
            models.Exists(Referral.objects.filter(motion=motion, organ__in=organs))
            | models.Exists(
                CommitteeProposal.objects.published().filter(motion=motion, organ__in=organs)
            )
            | models.Exists(
                Decision.objects.published().filter(motion=motion, meeting__organ__in=organs)
            )
        )


class ReferralQuerySet(PublishedQuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """A referral has no draft of its own: it is public with its motion."""
        return MotionQuerySet.public_rule(f"{prefix}motion__")


class ProposalQuerySet(PublishedQuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """A proposal on a draft motion stays private with it."""
        return super().public_rule(prefix) & MotionQuerySet.public_rule(f"{prefix}motion__")

    def for_story(self):
        from .models import AlternativeProposal, ProposalReservation

        return (
            self.select_related("organ")
            .prefetch_related(
                "outcomes",
                Prefetch(
                    "alternatives",
                    queryset=AlternativeProposal.objects.select_related("party", "person"),
                ),
                Prefetch(
                    "reservations",
                    queryset=ProposalReservation.objects.select_related("party", "person"),
                ),
            )
            .order_by("proposed_on", "id")
        )

    def for_body(self, body):
        return self.filter(motion__body=body)


class DecisionQuerySet(PublishedQuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """A decision answering a draft motion stays private too: its title and text would reveal it."""
        return super().public_rule(prefix) & (
            models.Q(**{f"{prefix}motion__isnull": True})
            | MotionQuerySet.public_rule(f"{prefix}motion__")
        )

    def for_story(self):
        from .models import DecisionDocument, DecisionStatement, PartyVote

        return (
            self.select_related("meeting__organ")
            .prefetch_related(
                "clause_outcomes",
                Prefetch("party_votes", queryset=PartyVote.objects.select_related("party")),
                Prefetch(
                    "statements",
                    queryset=DecisionStatement.objects.select_related("party", "person"),
                ),
                Prefetch("documents", queryset=DecisionDocument.objects.select_related("document")),
                "dispatched_to",
            )
            .order_by("decided_on", "paragraph")
        )

    def for_list(self):
        return self.select_related("meeting__organ", "motion")
