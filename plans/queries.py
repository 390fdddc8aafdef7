"""Reads. Public channels start from `published()`; `for_list()`/`for_detail()` carry their
own joins so a page runs a fixed number of queries whatever the amount of data."""

from django.db import models
from django.db.models import Count, Prefetch

from motions.queries import DecisionQuerySet, PublishedQuerySet


class CommitmentQuerySet(PublishedQuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """A commitment is public only when the decision that created it is."""
        return super().public_rule(prefix) & DecisionQuerySet.public_rule(f"{prefix}decision__")

    def for_list(self):
        return self.select_related("responsible_organ", "decision", "body")

    def with_public_plan(self):
        """`action_plan_public`: whether the commitment's action plan may be shown. A plan is
        not a parent of the commitment, so a published commitment may point to a draft plan."""
        from .models import ActionPlan

        return self.annotate(
            action_plan_public=models.Exists(
                ActionPlan.objects.published().filter(pk=models.OuterRef("action_plan_id"))
            )
        )

    def for_detail(self):
        from motions.models import CommitteeProposal, Submitter

        from .models import FollowUp, Indicator, Measurement

        return (
            self.with_public_plan()
            .select_related(
                "body",
                "responsible_organ",
                "action_plan",
                "decision__meeting__organ",
                "decision__motion",
            )
            .prefetch_related(
                "co_responsible",
                "areas",
                Prefetch(
                    "followups",
                    queryset=FollowUp.objects.published().for_timeline(),
                    to_attr="published_followups",
                ),
                Prefetch(
                    "indicators",
                    queryset=Indicator.objects.prefetch_related(
                        Prefetch(
                            "measurements",
                            queryset=Measurement.objects.order_by(
                                "year", "measured_on", "sort_order"
                            ),
                        )
                    ),
                ),
                Prefetch(
                    "decision__motion__submitters",
                    queryset=Submitter.objects.select_related("person", "party", "organ"),
                ),
                Prefetch(
                    "decision__motion__proposals",
                    queryset=CommitteeProposal.objects.published()
                    .select_related("organ")
                    .order_by("proposed_on", "id"),
                    to_attr="published_proposals",
                ),
            )
        )

    def for_motion(self, motion):
        """Published commitments created by the motion's published decisions."""
        return self.published().filter(decision__motion=motion).for_list()

    def counts(self):
        """Commitments per (status, target year, responsible organ): the tracker's three
        summaries come from these few hundred rows, in one pass over the published rule."""
        return self.values("current_status", "target_year", "responsible_organ__name").annotate(
            n=Count("id")
        )


class ActionPlanQuerySet(PublishedQuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """An action plan adopted by an unpublished decision stays private with it."""
        return super().public_rule(prefix) & DecisionQuerySet.public_rule(f"{prefix}decision__")

    def for_detail(self):
        from .models import Action, Commitment, FollowUp

        return self.select_related(
            "body", "responsible_organ", "decision__meeting__organ"
        ).prefetch_related(
            "goals",
            "areas",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").prefetch_related(
                    Prefetch(
                        "followups",
                        queryset=FollowUp.objects.published().for_timeline(),
                        to_attr="published_followups",
                    )
                ),
            ),
            Prefetch("commitments", queryset=Commitment.objects.published().for_list()),
        )


class FollowUpQuerySet(PublishedQuerySet):
    @classmethod
    def public_rule(cls, prefix: str = "") -> models.Q:
        """A follow-up is public only with its whole chain: its commitment, or the plan its
        action belongs to, and through them the decision and the motion."""
        return super().public_rule(prefix) & (
            CommitmentQuerySet.public_rule(f"{prefix}commitment__")
            | ActionPlanQuerySet.public_rule(f"{prefix}action__plan__")
        )

    def for_timeline(self):
        return self.prefetch_related("evidence_links").order_by("-period_end", "-id")
