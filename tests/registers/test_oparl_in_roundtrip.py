"""The round trip: a municipality's record served by our own OParl endpoint (a live server)
and read by `import_oparl` into a second municipality comes out the same: the motions, their
clauses and submitters, the decisions with their outcome per clause, and the commitments."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.html import strip_tags

from motions.models import Decision, Motion, Referral
from plans.models import Commitment
from registers.models import OparlSource
from tests.factories import BodyFactory

from .oparl_out import build_record


def run(live_server, source, target, *args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(
            "import_oparl",
            live_server.url + "/oparl/v1.1/",
            "--body",
            target.slug,
            "--source-body",
            source.slug,
            *args,
            stdout=out,
        )
    return out.getvalue()


def motions_of(body):
    return [
        {
            "case_number": m.case_number,
            "kind": m.kind,
            "title": m.title,
            "submitted_on": m.submitted_on,
            "clauses": [c.text for c in m.clauses.all()],
            "submitters": [s.display_name for s in m.submitters.all()],
            "status": m.status,
            "result": m.result,
            "decided_on": m.decided_on,
            "live": m.live,
        }
        for m in Motion.objects.filter(body=body).order_by("case_number")
    ]


def decisions_of(body):
    return [
        {
            "motion": d.motion.case_number if d.motion_id else None,
            "paragraph": d.paragraph,
            "decided_on": d.decided_on,
            "meeting": (d.meeting.organ.name, d.meeting.date),
            "outcomes": sorted(d.clause_outcomes.values_list("clause_number", "outcome")),
            # The endpoint publishes the decision text as plain text (no stored link markup):
            # its words come back, its bold and italics do not.
            "text": strip_tags(d.text),
            "live": d.live,
        }
        for d in Decision.objects.filter(body=body).order_by("paragraph")
    ]


def commitments_of(body):
    return sorted(
        (c.title, c.decision.paragraph, c.responsible_organ.name, c.target_year, c.clause_number)
        for c in Commitment.objects.filter(body=body)
    )


@pytest.mark.django_db(transaction=True)
def test_our_own_output_imports_into_a_second_municipality_unchanged(live_server):
    source = BodyFactory(name="Borås Stad", slug="boras")
    build_record(source, 0)
    build_record(source, 1)
    target = BodyFactory(name="Kopian", slug="kopian")

    output = run(live_server, source, target)

    assert motions_of(target) == motions_of(source)
    assert len(motions_of(target)) == 2
    assert decisions_of(target) == decisions_of(source)
    assert commitments_of(target) == commitments_of(source)
    referrals = [
        (r.organ.name, r.sent_on, r.answered_on)
        for r in Referral.objects.filter(motion__body=target).order_by("motion__case_number")
    ]
    assert referrals == [
        (r.organ.name, r.sent_on, r.answered_on)
        for r in Referral.objects.filter(motion__body=source).order_by("motion__case_number")
    ]
    assert "complete" in output
    # The source municipality is untouched, and nothing of the copy points back into it.
    assert not Motion.objects.filter(body=target, decisions__body=source).exists()

    # A second run reads only what changed, and nothing did.
    before = (motions_of(target), decisions_of(target), commitments_of(target))
    output = run(live_server, source, target)
    assert (motions_of(target), decisions_of(target), commitments_of(target)) == before
    assert "Paper: 0 created, 0 updated" in output
    assert OparlSource.objects.get(body=target).synced_since is not None

    # The portal's /oparl/v1.1/ lists the source itself: it is never copied onto itself.
    before = motions_of(source)
    with pytest.raises(CommandError, match="itself"):
        run(live_server, source, source)
    assert motions_of(source) == before
    assert not OparlSource.objects.filter(body=source).exists()
