"""Reads. Every public channel starts from `published()`; `for_list()`/`for_detail()`
carry their own joins so callers run a fixed number of queries."""

from django.db import models
from django.db.models import Prefetch


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what anonymous visitors may see: live and not expired."""
        return self.filter(live=True, expired=False)

    def for_body(self, body):
        return self.filter(body=body)


class MotionQuerySet(PublishedQuerySet):
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

    def by_area(self, area):
        return self.filter(
            models.Exists(
                self.model.areas.through.objects.filter(motion=models.OuterRef("pk"), area=area)
            )
        )

    def by_party(self, party):
        return self.filter(submitters__party=party).distinct()

    def by_organ(self, organ):
        """Motions an organ prepared: referred to it, proposed by it or decided by it."""
        return self.filter(
            models.Q(referrals__organ=organ)
            | models.Q(proposals__organ=organ, proposals__live=True)
            | models.Q(decisions__meeting__organ=organ, decisions__live=True)
        ).distinct()


class ProposalQuerySet(PublishedQuerySet):
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
    def published(self):
        """A decision answering a draft motion stays private too: its title and text would reveal it."""
        return (
            super()
            .published()
            .filter(
                models.Q(motion__isnull=True) | models.Q(motion__live=True, motion__expired=False)
            )
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
