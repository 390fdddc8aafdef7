"""Demo motions that show the one-year rule at work: one approaching its deadline, one overdue
with a late referral response, and one decided after its deadline. Dates are relative to the
day the demo is loaded, so the flags show whenever it runs. Called by `load_demo` after the
seed records; idempotent (each motion is looked up by its case number first).
"""

from datetime import timedelta

from django.utils import timezone

from motions import services
from motions.deadlines import add_years
from motions.models import Meeting, Motion, Outcome, Person

NOTE = "<p>Motionen, datumen och diarienumret är illustrativa: de visar ettårsregeln i demon.</p>"


def load(records: dict) -> None:
    body = records["bodies"]["boras"]
    kf, ks = records["organs"]["boras"]["kf"], records["organs"]["boras"]["ks"]
    user, created = records.get("user"), records["created"]
    today = timezone.localdate()
    person, _ = Person.objects.get_or_create(body=body, name="Johan Ek")
    submitter = [{"person": person, "party": records["parties"]["boras"]["KD"]}]

    def motion(case_number, title, submitted_on, clause):
        existing = Motion.objects.filter(body=body, case_number=case_number).first()
        if existing:
            return existing, False
        new = services.motion_create(
            body=body,
            case_number=case_number,
            title=title,
            submitted_on=submitted_on,
            text=NOTE,
            clauses=[clause],
            submitters=submitter,
            user=user,
            publish=True,
        )
        created.append(f"motion (ettårsregeln): {new}")
        return new, True

    def meeting(organ, day):
        return Meeting.objects.get_or_create(
            organ=organ, date=day, defaults={"title": "Illustrativt datum"}
        )[0]

    # Approaching: submitted just under a year ago, referred, response not yet due.
    submitted = add_years(today, -1) + timedelta(days=30)
    approaching, new = motion(
        "KS 2025-00901",
        "Motion om fler bänkar längs Viskan",
        submitted,
        "att fler parkbänkar ställs ut längs Viskan",
    )
    if new:
        services.motion_raise(
            motion=approaching, meeting=meeting(kf, submitted + timedelta(days=7)), user=user
        )
        services.motion_refer(
            motion=approaching,
            organ=ks,
            sent_on=submitted + timedelta(days=10),
            due_on=today + timedelta(days=10),
            user=user,
        )

    # Overdue: past its deadline, the referral response is late and it needs the 5:35 report.
    submitted = add_years(today, -1) - timedelta(days=45)
    overdue, new = motion(
        "KS 2025-00902",
        "Motion om öppna skolgårdar på helger",
        submitted,
        "att skolgårdarna hålls öppna och belysta på helger",
    )
    if new:
        services.motion_raise(
            motion=overdue, meeting=meeting(kf, submitted + timedelta(days=7)), user=user
        )
        services.motion_refer(
            motion=overdue,
            organ=ks,
            sent_on=submitted + timedelta(days=10),
            due_on=submitted + timedelta(days=120),
            user=user,
        )

    # Decided late: decided fourteen months after submission.
    submitted = add_years(today, -2)
    late, new = motion(
        "KS 2024-00903",
        "Motion om simskola för vuxna",
        submitted,
        "att kommunen erbjuder simskola för vuxna",
    )
    if new:
        services.motion_raise(
            motion=late, meeting=meeting(kf, submitted + timedelta(days=7)), user=user
        )
        services.proposal_register(
            motion=late,
            organ=ks,
            proposed_on=submitted + timedelta(days=380),
            outcomes={1: Outcome.APPROVED},
            paragraph="KS § 212",
            user=user,
        )
        decided_on = submitted + timedelta(days=425)
        council = meeting(kf, decided_on)
        services.motion_schedule(motion=late, meeting=council, user=user)
        services.motion_decide(
            motion=late,
            meeting=council,
            paragraph=901,
            decided_on=decided_on,
            outcomes={1: Outcome.APPROVED},
            minutes_approved_on=decided_on + timedelta(days=7),
            notice_posted_on=decided_on + timedelta(days=8),
            user=user,
        )
