"""Test data, one section per app. Records that have a service are created through it,
so tests see drafts, revisions and derived status exactly as the admin and the loader make them."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from motions import services
from motions.models import (
    Area,
    Body,
    CommitteeProposal,
    Decision,
    Meeting,
    Motion,
    Organ,
    OrganKind,
    Outcome,
    Party,
    Person,
    Term,
    Topic,
)

# --- motions: organisation -------------------------------------------------------------


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    slug = factory.Sequence(lambda n: f"testkommun-{n}")


class OrganFactory(DjangoModelFactory):
    """The council (kommunfullmäktige) by default; `executive=True` gives a kommunstyrelse."""

    class Meta:
        model = Organ

    class Params:
        executive = factory.Trait(
            kind=OrganKind.EXECUTIVE,
            name=factory.Sequence(lambda n: f"Kommunstyrelsen {n}"),
            abbreviation="KS",
            seats=15,
        )

    body = factory.SubFactory(BodyFactory)
    kind = OrganKind.COUNCIL
    name = factory.Sequence(lambda n: f"Kommunfullmäktige {n}")
    abbreviation = "KF"
    slug = factory.Sequence(lambda n: f"organ-{n}")
    seats = 61


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Partiet {n}")
    abbreviation = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"parti-{n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    body = factory.SubFactory(BodyFactory)
    name = factory.Faker("name", locale="sv_SE")
    slug = factory.Sequence(lambda n: f"ledamot-{n}")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    body = factory.SubFactory(BodyFactory)
    starts_on = date(2022, 10, 15)
    ends_on = date(2026, 10, 14)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    organ = factory.SubFactory(OrganFactory)
    date = factory.Sequence(lambda n: date(2024, 6, 1) + timedelta(days=n))
    title = ""


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Ämne {n}")
    slug = factory.Sequence(lambda n: f"amne-{n}")


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Stadsdel {n}")
    slug = factory.Sequence(lambda n: f"stadsdel-{n}")


# --- motions: the record, created through motions.services ------------------------------


def all_clauses(motion, outcome=Outcome.APPROVED) -> dict[int, str]:
    """The same outcome for every clause of `motion`, addressed by clause number."""
    return dict.fromkeys(range(1, motion.clauses.count() + 1), outcome)


class MotionFactory(DjangoModelFactory):
    """A published motion by one member of one party, with two clauses (via `motion_create`).

    Pass `publish=False` for a draft, `clauses=[...]` or `submitters=[...]` to override."""

    class Meta:
        model = Motion

    class Params:
        party = factory.SubFactory(PartyFactory, body=factory.SelfAttribute("..body"))
        person = factory.SubFactory(PersonFactory, body=factory.SelfAttribute("..body"))

    body = factory.SubFactory(BodyFactory)
    case_number = factory.Sequence(lambda n: f"KS 2024-{n:05d}")
    title = factory.Faker("sentence", nb_words=6, locale="sv_SE")
    submitted_on = date(2024, 2, 1)
    clauses = factory.Sequence(
        lambda n: [f"att kommunen utreder fråga {n}", f"att kommunen återrapporterar fråga {n}"]
    )
    submitters = factory.LazyAttribute(lambda o: [{"person": o.person, "party": o.party}])
    publish = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.motion_create(**kwargs)


class ProposalFactory(DjangoModelFactory):
    """The executive committee's published proposal: every clause approved unless `outcomes` is given."""

    class Meta:
        model = CommitteeProposal

    motion = factory.SubFactory(MotionFactory)
    organ = factory.SubFactory(
        OrganFactory, executive=True, body=factory.SelfAttribute("..motion.body")
    )
    proposed_on = factory.LazyAttribute(lambda o: o.motion.submitted_on + timedelta(days=60))
    outcomes = factory.LazyAttribute(lambda o: all_clauses(o.motion))
    publish = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.proposal_register(**kwargs)


class DecisionFactory(DjangoModelFactory):
    """A published council decision (§) on a motion at a council meeting, by acclamation."""

    class Meta:
        model = Decision

    motion = factory.SubFactory(MotionFactory)
    body = factory.SelfAttribute("motion.body")
    meeting = factory.SubFactory(
        MeetingFactory,
        organ=factory.SubFactory(OrganFactory, body=factory.SelfAttribute("...body")),
        date=factory.LazyAttribute(
            lambda o: o.factory_parent.motion.submitted_on + timedelta(days=120)
        ),
    )
    paragraph = factory.Sequence(lambda n: n + 1)
    decided_on = factory.SelfAttribute("meeting.date")
    title = factory.LazyAttribute(lambda o: f"Svar på motion: {o.motion.title}")
    outcomes = factory.LazyAttribute(lambda o: all_clauses(o.motion))
    publish = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.decision_record(**kwargs)


# --- plans: commitments, plans, indicators and follow-ups, created through plans.services --------


class CommitmentFactory(DjangoModelFactory):
    """A published commitment from a published council decision, owned by the executive committee."""

    class Meta:
        model = "plans.Commitment"

    decision = factory.SubFactory(DecisionFactory)
    body = factory.SelfAttribute("decision.body")
    responsible_organ = factory.SubFactory(
        OrganFactory, executive=True, body=factory.SelfAttribute("..body")
    )
    title = factory.Sequence(lambda n: f"Åtagande {n}")
    slug = factory.Sequence(lambda n: f"atagande-{n}")
    description = "Ta fram en handlingsplan och genomföra den."
    target_year = 2030
    publish = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from plans import services as plan_services

        return plan_services.commitment_create(**kwargs)


class FollowUpFactory(DjangoModelFactory):
    """A follow-up on a commitment, published by the system unless `publish=False`."""

    class Meta:
        model = "plans.FollowUp"

    commitment = factory.SubFactory(CommitmentFactory)
    period_kind = "annual"
    period_end = date(2025, 12, 31)
    status = "in_progress"
    progress = 40
    verified_on = date(2026, 1, 15)
    reason = "Arbetet pågår enligt plan."
    publish = True

    @classmethod
    def _create(cls, model_class, *args, publish=True, **kwargs):
        from plans import services as plan_services

        followup = plan_services.followup_create(**kwargs)
        if publish:
            plan_services.followup_publish(followup=followup, user=None)
        return followup


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = "plans.Indicator"

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "MSEK"
    direction = "lower"
    baseline_year = 2014
    baseline_value = 100
    target_year = 2030
    target_value = 60

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from plans import services as plan_services

        return plan_services.indicator_create(**kwargs)
