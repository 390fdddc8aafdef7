"""Who may submit what, and when it can be raised: the municipality's own rules (`Body`), shared
by the services and the admin's motion form so every path that registers a motion obeys them.
The rules and dates in the messages come from the Body's settings (DOMAIN.md REQ-LAW-04)."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from .models import (
    Body,
    Meeting,
    Membership,
    MembershipRole,
    MotionKind,
    MotionRight,
    OrganKind,
    Term,
)


def term_for(*, body: Body, term: Term | None, submitted_on: date | None) -> Term | None:
    """The motion's term, or the municipality's term that covers the day it was submitted."""
    if term is not None or submitted_on is None:
        return term
    return Term.objects.filter(
        body=body, starts_on__lte=submitted_on, ends_on__gte=submitted_on
    ).first()


def _council_roles(person_ids, *, body: Body, term: Term) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for person_id, role in Membership.objects.filter(
        person_id__in=person_ids, term=term, organ__body=body, organ__kind=OrganKind.COUNCIL
    ).values_list("person_id", "role"):
        roles.setdefault(person_id, set()).add(role)
    return roles


def _serving_error(name: str, meeting: Meeting | None, *, body: Body, submitted_on) -> str | None:
    if meeting is None:
        return _(
            "%(name)s is a substitute in the council, and under %(body)s's rules a substitute "
            "may lodge a motion only while serving in place of a member: give the meeting "
            "where they served."
        ) % {"name": name, "body": body.name}
    if meeting.organ.body_id != body.pk or meeting.organ.kind != OrganKind.COUNCIL:
        return _("%(name)s served at a meeting that is not %(body)s's council.") % {
            "name": name,
            "body": body.name,
        }
    if submitted_on and meeting.date != submitted_on:
        return _(
            "%(name)s served in place of a member on %(meeting)s, but the motion is dated "
            "%(date)s: a substitute lodges a motion at the meeting where they serve."
        ) % {"name": name, "meeting": meeting.date.isoformat(), "date": submitted_on.isoformat()}
    return None


def submission_errors(
    *, body: Body, kind: str, term: Term | None, submitted_on: date | None, submitters: list[dict]
) -> list[str]:
    """Why this record may not be registered under `body`'s rules, or []. `submitters` are dicts
    of Submitter fields (`person`, `serving_at` ...), as the service and the admin form hold them."""
    if kind == MotionKind.CITIZEN_PROPOSAL and not body.citizen_proposals_allowed:
        return [_("%(body)s does not take citizen proposals.") % {"body": body.name}]
    if kind != MotionKind.MOTION or body.motion_right == MotionRight.NOT_CHECKED:
        return []
    people = [row for row in submitters if row.get("person") is not None]
    if not people:
        return []
    term = term_for(body=body, term=term, submitted_on=submitted_on)
    if term is None:
        return [
            _(
                "No term of %(body)s covers the submitted date, so the submitters' council "
                "memberships cannot be checked. Choose the term."
            )
            % {"body": body.name}
        ]
    roles = _council_roles([row["person"].pk for row in people], body=body, term=term)
    errors = []
    for row in people:
        person = row["person"]
        held = roles.get(person.pk, set())
        if held & {MembershipRole.MEMBER, MembershipRole.CHAIR}:
            continue
        if MembershipRole.SUBSTITUTE not in held:
            errors.append(
                _("%(name)s is not a member of %(body)s's council in the term %(term)s.")
                % {"name": person.name, "body": body.name, "term": term}
            )
        elif body.motion_right == MotionRight.MEMBERS:
            errors.append(
                _(
                    "%(name)s is a substitute, and under %(body)s's rules only members lodge motions."
                )
                % {"name": person.name, "body": body.name}
            )
        elif body.motion_right == MotionRight.SERVING_SUBSTITUTES and (
            error := _serving_error(
                person.name, row.get("serving_at"), body=body, submitted_on=submitted_on
            )
        ):
            errors.append(error)
    return errors


def cutoff_error(*, body: Body, submitted_on: date, meeting: Meeting) -> str | None:
    """A record submitted fewer than the Body's cut-off days before a council meeting is raised
    at a later one; the message names the cut-off and the next meeting it can be raised at."""
    earliest = submitted_on + timedelta(days=body.motion_cutoff_days)
    if meeting.date >= earliest:
        return None
    message = _(
        "%(body)s's rules say a matter must be in %(days)d days before the council meeting: "
        "submitted on %(submitted)s, it can be raised at a meeting on %(earliest)s or later."
    ) % {
        "body": body.name,
        "days": body.motion_cutoff_days,
        "submitted": submitted_on.isoformat(),
        "earliest": earliest.isoformat(),
    }
    following = (
        Meeting.objects.filter(organ_id=meeting.organ_id, date__gte=earliest)
        .order_by("date")
        .first()
    )
    if following is not None:
        message += " " + _("The next such meeting is on %(date)s.") % {
            "date": following.date.isoformat()
        }
    return message


def e_proposal_rules(*, body: Body, threshold: int | None, window_days: int | None):
    """The threshold and window a new e-proposal is stored with: the Body's current rule unless
    given (an e-proposal registered afterwards keeps the rule it was submitted under).
    Returns (threshold, window_days, error)."""
    threshold = threshold if threshold is not None else body.e_proposal_threshold
    window_days = window_days if window_days is not None else body.e_proposal_window_days
    if threshold is None or not window_days:
        return (
            threshold,
            window_days,
            _(
                "%(body)s has no e-proposal rule: set the signature threshold and window in the "
                "municipality's settings."
            )
            % {"body": body.name},
        )
    return threshold, window_days, None
