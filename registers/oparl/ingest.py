"""Read an OParl 1.1 System into one municipality's register (`manage.py import_oparl`).

The walk: the System, its bodies (one is chosen), the body's legislative terms,
organizations, persons (with their memberships), meetings (with their agenda items) and
papers (with their consultations), every list followed along `links.next`. An incremental
run asks each list only for what changed since the start of the last complete run
(`modified_since`); `full` asks for everything.

Mapping (OParl → ours): LegislativeTerm → Term; Organization → Organ, or Party when it is a
party or faction (organizationType/classification "Fraktion", "Partei", "Parti"); Person →
Person; Membership → Membership (with the party from `onBehalfOf` or the person's faction);
Meeting → Meeting; AgendaItem with a § → Decision; Paper → Motion when its paperType is a
motion, citizen proposal or e-proposal; Consultation → referral or decision. Our own output's
`bs:` fields (clauses, clause outcomes, submitters, commitments) are read where present.

Consistency: each top-level object (a term, an organization, a person with its memberships,
a meeting with its agenda items, a paper with its consultations and commitments) is written
in a transaction of its own, and the incremental marker moves only when the whole walk
finished. A run that stops half way (timeout, HTTP error, bad JSON) keeps the objects it
finished, each whole, and the next run reads everything since the old marker again; the
id mapping makes that repetition change nothing. Nothing is ever deleted here: an object
deleted at the source is counted and kept (the archive law).

Every write goes through the services the admin uses (`motions.services`, `plans.services`)
or, for the lookup tables that have no service (organs, parties, people, terms,
memberships), a validated save with an admin log entry; every entry names the source URL.
What the source does not give and our rules need (a clause outcome, a § number, a party) is
not made up: the object, or the part of it, is skipped and counted with the reason.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter, log

from motions import services
from motions.models import (
    Body,
    Clause,
    Decision,
    Meeting,
    Membership,
    MembershipRole,
    Motion,
    MotionKind,
    Organ,
    OrganKind,
    Outcome,
    Party,
    Person,
    Referral,
    Submitter,
    Term,
)
from motions.richtext import paragraphs
from motions.status import UNDECIDED_STATUSES
from plans import services as plan_services

from ..models import OparlRecord, OparlSource
from .client import OparlClient, OparlError

LOG_ACTION = "registers.oparl_import"


class OparlImportFormatter(LogFormatter):
    """The history line of an imported record names the server it came from."""

    label = gettext_lazy("Import from OParl")

    def format_message(self, log_entry):
        return _("Imported from the OParl server %(source)s") % {
            "source": (log_entry.data or {}).get("source", "")
        }


# Incremental runs ask from a little before the last run started: clocks differ, and reading
# an object twice changes nothing.
OVERLAP = timedelta(minutes=10)

PARTY_WORDS = {"fraktion", "partei", "parti", "party", "partigrupp", "faction"}
NOT_ORGANS = {"verwaltungsbereich", "externes gremium", "institution", "sonstiges"}
# classification or name words → organ kind, first match wins.
KIND_WORDS = [
    (
        ("parlament", "fullmäktige", "council", "stadtrat", "gemeinderat", "kreistag", "rat"),
        OrganKind.COUNCIL,
    ),
    (
        ("kommunstyrelse", "regionstyrelse", "styrelsen", "hauptausschuss", "executive"),
        OrganKind.EXECUTIVE,
    ),
    (("bolag", "gesellschaft", "eigenbetrieb", "company"), OrganKind.COMPANY),
    (("beredning", "beirat", "kommission", "preparatory"), OrganKind.PREPARATORY),
    (("nämnd", "ausschuss", "utskott", "committee"), OrganKind.COMMITTEE),
]
PAPER_KINDS = {
    "motion": MotionKind.MOTION,
    "antrag": MotionKind.MOTION,
    "medborgarförslag": MotionKind.CITIZEN_PROPOSAL,
    "citizen proposal": MotionKind.CITIZEN_PROPOSAL,
    "einwohnerantrag": MotionKind.CITIZEN_PROPOSAL,
    "bürgerantrag": MotionKind.CITIZEN_PROPOSAL,
    "e-förslag": MotionKind.E_PROPOSAL,
    "e-proposal": MotionKind.E_PROPOSAL,
    "e-petition": MotionKind.E_PROPOSAL,
}
# An agenda item's `result` for the whole paper: it stands for every clause. A partial
# result ("delvis bifall") names no clause, so it is not read.
RESULTS = {
    "bifall": Outcome.APPROVED,
    "bifalls": Outcome.APPROVED,
    "bifalles": Outcome.APPROVED,
    "approved": Outcome.APPROVED,
    "beschlossen": Outcome.APPROVED,
    "angenommen": Outcome.APPROVED,
    "zugestimmt": Outcome.APPROVED,
    "avslag": Outcome.REJECTED,
    "avslås": Outcome.REJECTED,
    "rejected": Outcome.REJECTED,
    "abgelehnt": Outcome.REJECTED,
    "besvarad": Outcome.ANSWERED,
    "anses besvarad": Outcome.ANSWERED,
    "answered": Outcome.ANSWERED,
    "erledigt": Outcome.ANSWERED,
    "avskriven": Outcome.WRITTEN_OFF,
    "avskrivs": Outcome.WRITTEN_OFF,
    "written off": Outcome.WRITTEN_OFF,
    "återtagen": Outcome.WITHDRAWN,
    "withdrawn": Outcome.WITHDRAWN,
    "zurückgezogen": Outcome.WITHDRAWN,
}
ROLE_WORDS = [
    (("ordförande", "vorsitz", "chair"), MembershipRole.CHAIR),
    (("ersättare", "stellvertret", "vertreter", "substitute"), MembershipRole.SUBSTITUTE),
]


class ImportRefused(Exception):
    """The run cannot start (no such body, an ambiguous System): nothing was written."""


@dataclass
class Tally:
    """What a run did, per OParl type, and why it skipped what it skipped."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # (type, reason) → count
    requests: int = 0
    complete: bool = False

    def skip(self, kind: str, reason: str, n: int = 1):
        self.skipped[kind] += n
        self.reasons[(kind, reason)] += n

    @property
    def kinds(self):
        seen = [*self.created, *self.updated, *self.unchanged, *self.skipped]
        return list(dict.fromkeys(seen))


class Skip(Exception):
    """This object (or part) cannot be imported; the message is the reason."""


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _day(value) -> date | None:
    """An OParl date or date-time as our local date."""
    if not isinstance(value, str) or not value:
        return None
    moment = parse_datetime(value)
    if moment is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date()
    try:
        return parse_date(value[:10])
    except ValueError:
        return None


def _moment(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def organization_kind(obj: dict, *, main_organization: str = ""):
    """ "party", an OrganKind, or None (not one of the municipality's organs)."""
    own = _text(obj.get("bs:kind"))
    if own == "party":
        return "party"
    if own in OrganKind.values:
        return OrganKind(own)
    kind_of = _text(obj.get("organizationType")).lower()
    classification = _text(obj.get("classification")).lower()
    if kind_of in PARTY_WORDS or classification in PARTY_WORDS:
        return "party"
    if obj.get("id") and obj.get("id") == main_organization:
        return OrganKind.COUNCIL
    if kind_of in NOT_ORGANS:
        return None
    name = _text(obj.get("name")).lower()
    for text in (classification, name):
        for words, kind in KIND_WORDS:
            if any(text == w or (len(w) > 3 and w in text) for w in words):
                return kind
    return OrganKind.COMMITTEE


def paper_kind(obj: dict):
    own = _text(obj.get("bs:kind"))
    if own in MotionKind.values:
        return MotionKind(own)
    return PAPER_KINDS.get(_text(obj.get("paperType")).lower())


def membership_role(obj: dict) -> str:
    own = _text(obj.get("bs:role"))
    if own in MembershipRole.values:
        return own
    role = _text(obj.get("role")).lower()
    for words, value in ROLE_WORDS:
        if any(w in role for w in words):
            return value
    if obj.get("votingRight") is False:
        return MembershipRole.SUBSTITUTE
    return MembershipRole.MEMBER


def paragraph_number(item: dict) -> int | None:
    own = item.get("bs:paragraph")
    if isinstance(own, int) and own > 0:
        return own
    match = re.fullmatch(r"\s*§?\s*(\d+)\s*", _text(item.get("number")))
    return int(match.group(1)) if match else None


class Importer:
    """One run of `import_oparl`. `run()` returns the Tally; OparlError stops it."""

    def __init__(
        self,
        *,
        body: Body,
        system_url: str,
        client: OparlClient,
        full: bool = False,
        source_body: str = "",
    ):
        self.body = body
        self.source_body = source_body
        self.system_url = system_url
        self.client = client
        self.full = full
        self.tally = Tally()
        self.agenda_items: dict[str, tuple[dict, Meeting]] = {}
        # Mappings written inside the open transactions, innermost last: merged outwards when
        # a transaction commits, dropped when it rolls back.
        self.pending: list[dict[str, OparlRecord]] = []
        self.main_organization = ""
        self._types = {}

    # --- the walk -----------------------------------------------------------------------

    def run(self) -> Tally:
        started = timezone.now()
        system = self.client.get(self.system_url)
        if not _text(system.get("type")).endswith("/System") or not system.get("body"):
            raise OparlError(
                _("%(url)s is not an OParl System (no type System or no body list).")
                % {"url": self.system_url}
            )
        oparl_body = self.choose_body(list(self.client.pages(system["body"])))
        if self.is_itself(oparl_body):
            raise ImportRefused(
                _(
                    "The chosen body of the OParl system is %(name)s itself, served by this "
                    "installation. Choose another with --source-body. Nothing was imported."
                )
                % {"name": self.body.name}
            )
        source, _created = OparlSource.objects.get_or_create(
            body=self.body, system_url=self.system_url
        )
        if source.body_url != oparl_body["id"]:
            # Another body of the system: its changes are not covered by the old marker.
            source.body_url, source.synced_since = oparl_body["id"], None
            source.save(update_fields=["body_url", "synced_since"])
        self.source = source
        self.known = {
            r.oparl_id: r
            for r in OparlRecord.objects.filter(source=source).select_related("content_type")
        }
        since = None
        if not self.full and source.synced_since:
            since = (source.synced_since - OVERLAP).isoformat(timespec="seconds")
        self.main_organization = _text(oparl_body.get("mainOrganization"))

        for obj in self.terms(oparl_body):
            self.step("LegislativeTerm", obj, self.term)
        for obj in self.listing(oparl_body, "organization", since):
            self.step("Organization", obj, self.organization)
        for obj in self.listing(oparl_body, "person", since):
            self.step("Person", obj, self.person)
        for obj in self.listing(oparl_body, "meeting", since):
            self.step("Meeting", obj, self.meeting)
        for obj in self.listing(oparl_body, "paper", since):
            self.step("Paper", obj, self.paper)

        source.synced_since = started
        source.last_run_at = timezone.now()
        source.save(update_fields=["synced_since", "last_run_at"])
        self.tally.complete = True
        self.tally.requests = self.client.requests
        return self.tally

    def is_itself(self, oparl_body: dict) -> bool:
        """Our own OParl output for the municipality we import into (a portal's /oparl/v1.1/
        lists every municipality it hosts, the target too): importing it would copy it onto
        itself."""
        own = reverse("oparl:body", args=[self.body.pk])
        return (
            urlsplit(_text(oparl_body.get("id"))).path.endswith(own)
            and _text(oparl_body.get("name")) == self.body.name
        )

    def choose_body(self, bodies: list[dict]) -> dict:
        if self.source_body:
            wanted = {self.source_body.lower()}
        elif len(bodies) == 1:
            return bodies[0]
        else:
            wanted = {self.body.name.lower(), self.body.slug.lower()}
        matches = [
            b
            for b in bodies
            if {
                _text(b.get("name")).lower(),
                _text(b.get("shortName")).lower(),
                _text(b.get("id")).lower(),
            }
            & wanted
        ]
        if len(matches) == 1:
            return matches[0]
        names = ", ".join(
            f"{_text(b.get('name'))} ({_text(b.get('shortName')) or b.get('id')})" for b in bodies
        )
        raise ImportRefused(
            _(
                "No single body of the OParl system is %(wanted)s; it has %(count)d: %(names)s. "
                "Choose one with --source-body. Nothing was imported."
            )
            % {"wanted": " / ".join(sorted(wanted)), "count": len(bodies), "names": names}
        )

    def terms(self, oparl_body: dict):
        embedded = oparl_body.get("legislativeTerm")
        if isinstance(embedded, list) and embedded:
            yield from (t for t in embedded if isinstance(t, dict))
        elif oparl_body.get("legislativeTermList"):
            yield from self.client.pages(oparl_body["legislativeTermList"])

    def listing(self, oparl_body: dict, name: str, since: str | None):
        url = oparl_body.get(name)
        if not url:
            return iter(())
        return self.client.pages(url, modified_since=since) if since else self.client.pages(url)

    def step(self, kind: str, obj: dict, handler):
        """Import one top-level object in its own transaction: whole, or not at all."""
        if not obj.get("id"):
            self.tally.skip(kind, _("no id"))
            return
        if obj.get("deleted"):
            self.tally.skip(kind, _("deleted at the source; kept here"))
            return
        self._guarded(kind, lambda: handler(obj))

    # --- the id mapping ------------------------------------------------------------------

    def record(self, oparl_id, model=None):
        """Our record for an OParl id (of `model`, when given), or None."""
        if not isinstance(oparl_id, str):
            return None
        entry = next(
            (layer[oparl_id] for layer in reversed(self.pending) if oparl_id in layer),
            self.known.get(oparl_id),
        )
        if entry is None:
            return None
        obj = entry.content_type.get_object_for_this_type(pk=entry.object_id)
        if model is not None and not isinstance(obj, model):
            return None
        return obj

    def is_current(self, obj: dict) -> bool:
        """Imported before, and not modified at the source since."""
        entry = self.known.get(obj["id"])
        if entry is None:
            return False
        modified = _moment(obj.get("modified"))
        return modified is None or (entry.modified is not None and modified <= entry.modified)

    def remember(self, obj: dict, kind: str, record, *, oparl_id: str | None = None):
        oparl_id = oparl_id or obj["id"]
        entry, _created = OparlRecord.objects.update_or_create(
            source=self.source,
            oparl_id=oparl_id,
            defaults={
                "oparl_type": kind,
                "modified": _moment(obj.get("modified")),
                "content_type": self._content_type(record),
                "object_id": record.pk,
            },
        )
        entry.content_type = self._content_type(record)
        self.pending[-1][oparl_id] = entry
        return entry

    def _content_type(self, record):
        model = type(record)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model)
        return self._types[model]

    def log(self, instance, action="wagtail.create", **data):
        log(instance=instance, action=action, data={"source": self.system_url, **data})

    # --- terms, organizations, people ----------------------------------------------------

    def term(self, obj: dict) -> str:
        starts, ends = _day(obj.get("startDate")), _day(obj.get("endDate"))
        if not starts or not ends:
            raise Skip(_("no start or end date"))
        existing = self.record(obj["id"], Term)
        if existing is not None and (existing.starts_on, existing.ends_on) == (starts, ends):
            return "unchanged"
        term = (
            existing or Term.objects.filter(body=self.body, starts_on=starts, ends_on=ends).first()
        )
        created = term is None
        term = term or Term(body=self.body)
        term.starts_on, term.ends_on = starts, ends
        term.full_clean()
        term.save()
        self.log(term, "wagtail.create" if created else "wagtail.edit", oparl_id=obj["id"])
        self.remember(obj, "LegislativeTerm", term)
        return "created" if created else "updated"

    def organization(self, obj: dict) -> str:
        kind = organization_kind(obj, main_organization=self.main_organization)
        if kind is None:
            raise Skip(
                _("organizationType %(type)s is not an organ of the municipality")
                % {"type": _text(obj.get("organizationType"))}
            )
        name = _text(obj.get("name"))
        if not name:
            raise Skip(_("no name"))
        if self.is_current(obj):
            return "unchanged"
        short = _text(obj.get("shortName"))
        if kind == "party":
            return self._party(obj, name, short)
        existing = self.record(obj["id"], Organ)
        organ = existing or Organ.objects.filter(body=self.body, name=name).first()
        created = organ is None
        organ = organ or Organ(body=self.body, kind=kind)
        seats = obj.get("votingMemberCount") or obj.get("memberCount")
        values = {
            "name": name,
            "abbreviation": short[:20],
            "kind": kind if created or existing else organ.kind,
            "seats": seats if isinstance(seats, int) and seats > 0 else organ.seats,
        }
        return self._save_lookup(obj, "Organization", organ, values, created)

    def _party(self, obj, name, short) -> str:
        existing = self.record(obj["id"], Party)
        abbreviation = (short or name)[:12]
        party = (
            existing
            or Party.objects.filter(body=self.body, abbreviation__iexact=abbreviation).first()
            or Party.objects.filter(body=self.body, name__iexact=name).first()
        )
        created = party is None
        party = party or Party(body=self.body)
        values = {"name": name, "abbreviation": abbreviation}
        return self._save_lookup(obj, "Organization", party, values, created)

    def _save_lookup(self, obj, kind, instance, values, created) -> str:
        changed = created or any(getattr(instance, k) != v for k, v in values.items())
        if changed:
            for k, v in values.items():
                setattr(instance, k, v)
            if created and not getattr(instance, "slug", None):
                instance.slug = self._free_slug(
                    type(instance),
                    _text(obj.get("bs:slug")) or (values.get("abbreviation") or values["name"]),
                )
            instance.full_clean()
            instance.save()
            self.log(instance, "wagtail.create" if created else "wagtail.edit", oparl_id=obj["id"])
        self.remember(obj, kind, instance)
        if created:
            return "created"
        return "updated" if changed else "unchanged"

    def _free_slug(self, model, text: str) -> str:
        base = slugify(text)[:40] or "x"
        slug, n = base, 1
        while model.objects.filter(body=self.body, slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def person(self, obj: dict) -> str:
        name = _text(obj.get("name")) or " ".join(
            _text(obj.get(k)) for k in ("givenName", "familyName") if _text(obj.get(k))
        )
        if not name:
            raise Skip(_("no name"))
        memberships = [m for m in obj.get("membership") or [] if isinstance(m, dict)]
        if self.is_current(obj):
            return "unchanged"
        existing = self.record(obj["id"], Person)
        if existing is None:
            namesakes = list(Person.objects.filter(body=self.body, name=name)[:2])
            existing = namesakes[0] if len(namesakes) == 1 else None
        person = existing or Person(body=self.body)
        outcome = self._save_lookup(obj, "Person", person, {"name": name}, existing is None)
        memberships_changed = self.memberships(person, memberships)
        return "updated" if outcome == "unchanged" and memberships_changed else outcome

    def memberships(self, person: Person, memberships: list[dict]) -> bool:
        """The person's seats in organs; a membership of a party or faction gives the party of
        the others (unless they name it in `onBehalfOf`). Returns whether anything changed."""
        parties = []  # (party, starts, ends)
        seats = []
        for m in memberships:
            target = self.record(m.get("organization"))
            if isinstance(target, Party):
                parties.append((target, _day(m.get("startDate")), _day(m.get("endDate"))))
            elif isinstance(target, Organ):
                seats.append((m, target))
            else:
                self.tally.skip("Membership", _("the organization was not imported"))
        changed = False
        for m, organ in seats:
            try:
                with transaction.atomic():
                    changed |= self._membership(person, organ, m, parties)
            except Skip as reason:
                self.tally.skip("Membership", str(reason))
            except ValidationError as error:
                self.tally.skip("Membership", _message(error))
        return changed

    def _membership(self, person, organ, m, parties) -> bool:
        if not m.get("id"):
            raise Skip(_("no id"))
        starts = _day(m.get("startDate"))
        term = self.record(m.get("bs:legislativeTerm"), Term)
        if term is None and starts:
            term = Term.objects.filter(
                body=self.body, starts_on__lte=starts, ends_on__gte=starts
            ).first()
        if term is None:
            raise Skip(_("no term covers its start date"))
        party = self.record(m.get("onBehalfOf"), Party)
        if party is None:
            day = starts or term.starts_on
            covering = [
                p for p, s, e in parties if (s is None or s <= day) and (e is None or day <= e)
            ]
            party = covering[0] if covering else (parties[0][0] if len(parties) == 1 else None)
        if party is None:
            raise Skip(_("no party: neither onBehalfOf nor a faction membership"))
        values = {
            "person": person,
            "organ": organ,
            "party": party,
            "term": term,
            "role": membership_role(m),
        }
        existing = self.record(m["id"], Membership)
        if existing is None:
            existing = Membership.objects.filter(person=person, organ=organ, term=term).first()
        if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
            self.remember(m, "Membership", existing)
            self.tally.unchanged["Membership"] += 1
            return False
        created = existing is None
        membership = existing or Membership()
        for k, v in values.items():
            setattr(membership, k, v)
        membership.full_clean()
        membership.save()
        self.log(membership, "wagtail.create" if created else "wagtail.edit", oparl_id=m["id"])
        self.remember(m, "Membership", membership)
        (self.tally.created if created else self.tally.updated)["Membership"] += 1
        return True

    # --- meetings and decisions that answer no paper ---------------------------------------

    def meeting(self, obj: dict) -> str:
        items = [i for i in obj.get("agendaItem") or [] if isinstance(i, dict)]
        if obj.get("cancelled"):
            raise Skip(_("cancelled"))
        day = _day(obj.get("bs:date")) or _day(obj.get("start"))
        if day is None:
            raise Skip(_("no start date"))
        organs = [self.record(u, Organ) for u in obj.get("organization") or []]
        organ = next((o for o in organs if o is not None), None)
        if organ is None:
            raise Skip(_("its organization was not imported as an organ"))
        title = _text(obj.get("name"))[:200]
        existing = self.record(obj["id"], Meeting)
        current = self.is_current(obj)
        if existing is not None and current:
            outcome = "unchanged"
            meeting = existing
        elif existing is not None:
            meeting = existing
            changed = (meeting.organ_id, meeting.date, meeting.title) != (organ.pk, day, title)
            if changed:
                meeting.organ, meeting.date, meeting.title = organ, day, title
                meeting.full_clean()
                meeting.save()
                self.log(meeting, "wagtail.edit", oparl_id=obj["id"])
            outcome = "updated" if changed else "unchanged"
        else:
            before = Meeting.objects.filter(organ=organ, date=day).first()
            meeting = before or services.meeting_create(organ=organ, day=day, title=title)
            if before is None:
                self.log(meeting, oparl_id=obj["id"])
            outcome = "created" if before is None else "unchanged"
        self.remember(obj, "Meeting", meeting)
        for item in items:
            if item.get("id"):
                self.agenda_items[item["id"]] = (item, meeting)
        # Decisions that answer a paper are written with the paper; the others here.
        for item in items:
            if item.get("id") and not item.get("consultation") and not item.get("bs:paper"):
                self._guarded("AgendaItem", lambda item=item: self.decision(item, meeting, None))
        return outcome

    def _guarded(self, kind, write):
        """An object, or a part of one (a decision, a referral, a commitment), in a
        transaction (or savepoint) of its own: what our rules refuse is skipped with the
        reason and leaves nothing behind; the enclosing object stands."""
        self.pending.append({})
        try:
            with transaction.atomic():
                outcome = write()
        except (Skip, ValidationError) as error:
            self.pending.pop()
            reason = _message(error) if isinstance(error, ValidationError) else str(error)
            self.tally.skip(kind, reason)
            return
        except BaseException:
            self.pending.pop()
            raise
        done = self.pending.pop()
        (self.pending[-1] if self.pending else self.known).update(done)
        if outcome:
            getattr(self.tally, outcome)[kind] += 1

    def decision(self, item: dict, meeting: Meeting, motion: Motion | None) -> str:
        """An agenda item with a § as a decision, with an outcome for every clause of the
        motion it answers. Written once: a decision already imported is not rewritten."""
        if self.record(item["id"], Decision) is not None:
            return "unchanged"
        result = _text(item.get("result"))
        number = paragraph_number(item)
        if number is None:
            if not result and motion is None:
                return ""  # an agenda item that records no decision: nothing to import
            raise Skip(_("no § number (agenda item number %(n)r)") % {"n": item.get("number")})
        existing = Decision.objects.filter(meeting=meeting, paragraph=number).first()
        if existing is not None:
            if motion is not None and existing.motion_id not in (None, motion.pk):
                raise Skip(_("§ %(n)d of that meeting answers another motion") % {"n": number})
            self.remember(item, "AgendaItem", existing)
            return "unchanged"
        outcomes = None
        if motion is not None:
            outcomes = self._outcomes(item, motion, result)
        decision = services.decision_record(
            body=self.body,
            meeting=meeting,
            paragraph=number,
            decided_on=_day(item.get("bs:decidedOn")) or meeting.date,
            title=(_text(item.get("name")) or (motion.title if motion else ""))[:300]
            or _("§ %(n)d") % {"n": number},
            text=self._html(item.get("resolutionText")),
            motion=motion,
            outcomes=outcomes,
            publish=True,
        )
        self.log(decision, LOG_ACTION, oparl_id=item["id"])
        self.remember(item, "AgendaItem", decision)
        return "created"

    def _outcomes(self, item: dict, motion: Motion, result: str) -> dict[int, str]:
        clause_count = motion.clauses.count()
        given = item.get("bs:clauseOutcomes")
        if isinstance(given, list) and given:
            outcomes = {
                row.get("number"): row.get("outcome")
                for row in given
                if isinstance(row, dict) and row.get("outcome") in Outcome.values
            }
            if all(isinstance(n, int) for n in outcomes) and outcomes:
                return outcomes
        outcome = RESULTS.get(result.lower().rstrip("."))
        if outcome is None:
            raise Skip(
                _("the decision gives no outcome per clause (result %(result)r)")
                % {"result": result}
            )
        return dict.fromkeys(range(1, clause_count + 1), outcome)

    @staticmethod
    def _html(value) -> str:
        text = _text(value)
        if not text:
            return ""
        # HTML from the source is sanitised by the field on save; plain text becomes paragraphs.
        return text if text.startswith("<") else paragraphs(text)

    # --- papers ------------------------------------------------------------------------------

    def paper(self, obj: dict) -> str:
        kind = paper_kind(obj)
        if kind is None:
            raise Skip(
                _("paperType %(type)r is not a motion, citizen proposal or e-proposal")
                % {"type": _text(obj.get("paperType"))}
            )
        case_number = _text(obj.get("reference"))[:60]
        submitted_on = _day(obj.get("date"))
        title = _text(obj.get("name"))[:300]
        if not case_number:
            raise Skip(_("no reference (case number)"))
        if not submitted_on:
            raise Skip(_("no date"))
        if not title:
            raise Skip(_("no name"))
        current = self.is_current(obj)
        motion = self.record(obj["id"], Motion)
        if motion is not None and current:
            return "unchanged"
        clauses = self._clauses(obj, title)
        submitters = self._submitters(obj, submitted_on)
        if motion is None:
            matched = Motion.objects.filter(body=self.body, case_number=case_number).first()
            if matched is not None:
                # Registered here before (typed in, or another import): linked, not rewritten.
                self.remember(obj, "Paper", matched)
                return "unchanged"
            motion = services.motion_create(
                body=self.body,
                kind=kind,
                case_number=case_number,
                title=title,
                submitted_on=submitted_on,
                clauses=clauses,
                submitters=submitters,
                text=self._html(obj.get("bs:text")),
                publish=True,
            )
            self.log(motion, LOG_ACTION, oparl_id=obj["id"])
            outcome = "created"
        else:
            outcome = self._update_motion(obj, motion, title, submitted_on, clauses, submitters)
        self.remember(obj, "Paper", motion)
        self._consultations(obj, motion)
        self._commitments(obj, motion)
        return outcome

    def _clauses(self, obj, title) -> list[str]:
        rows = obj.get("bs:clauses")
        if isinstance(rows, list) and rows:
            ordered = sorted(
                (r for r in rows if isinstance(r, dict) and _text(r.get("text"))),
                key=lambda r: r.get("number") or 0,
            )
            if ordered:
                return [_text(r["text"]) for r in ordered]
        # OParl has no clauses: the paper's name stands as its one clause, so a result for
        # the whole paper can be recorded as the outcome of that clause.
        self.tally.reasons[
            ("Paper", _("no clauses at the source: the name is its one clause"))
        ] += 1
        return [title]

    def _submitters(self, obj, submitted_on) -> list[dict]:
        rows = obj.get("bs:submitters")
        if not isinstance(rows, list):
            rows = [{"person": url} for url in obj.get("originatorPerson") or []] + [
                {"organization": url} for url in obj.get("originatorOrganization") or []
            ]
        submitters = []
        for row in rows:
            if not isinstance(row, dict):
                continue
            if row.get("person"):
                person = self.record(row["person"], Person)
                if person is None:
                    self.tally.skip("Submitter", _("the person was not imported"))
                    continue
                party = self.record(row.get("party"), Party) or self._party_of(person, submitted_on)
                if party is None:
                    self.tally.skip("Submitter", _("no party for the member"))
                    continue
                submitters.append({"person": person, "party": party})
            elif row.get("organization"):
                organ = self.record(row["organization"], Organ)
                if organ is None:
                    self.tally.skip("Submitter", _("the organization is not an imported organ"))
                    continue
                submitters.append({"organ": organ})
            elif _text(row.get("name")):
                submitters.append({"resident_name": _text(row["name"])[:160]})
        return submitters

    def _party_of(self, person, day):
        """The member's party on `day`: from their memberships in the term that covers it."""
        rows = list(
            Membership.objects.filter(person=person)
            .select_related("term", "party")
            .order_by("-term__starts_on")
        )
        covering = [m for m in rows if m.term.starts_on <= day <= m.term.ends_on]
        chosen = covering or rows
        parties = {m.party for m in chosen}
        return parties.pop() if len(parties) == 1 else None

    def _update_motion(self, obj, motion, title, submitted_on, clauses, submitters) -> str:
        """A paper modified at the source: the motion document changes as an edit in the admin
        would, through `motion_publish` (a new revision). Clauses change only while the
        motion is undecided: a decision's outcomes are numbered by them."""
        motion = Motion.objects.get(pk=motion.pk)
        text = self._html(obj.get("bs:text")) if "bs:text" in obj else motion.text
        current_clauses = list(motion.clauses.order_by("sort_order").values_list("text", flat=True))
        current_submitters = [
            {k: v for k, v in s.items() if v}
            for s in motion.submitters.order_by("sort_order").values(
                "person", "party", "organ", "resident_name"
            )
        ]
        wanted_submitters = [
            {k: (v.pk if hasattr(v, "pk") else v) for k, v in s.items()} for s in submitters
        ]
        clauses_differ = clauses != current_clauses
        if clauses_differ and motion.status not in UNDECIDED_STATUSES:
            self.tally.reasons[
                ("Paper", _("clauses changed after the decision: kept as decided"))
            ] += 1
            clauses_differ = False
        fields_differ = (motion.title, motion.submitted_on, motion.text) != (
            title,
            submitted_on,
            text,
        )
        if not (fields_differ or clauses_differ or wanted_submitters != current_submitters):
            return "unchanged"
        motion.title, motion.submitted_on, motion.text = title, submitted_on, text
        if clauses_differ:
            motion.clauses = [Clause(text=t, sort_order=i) for i, t in enumerate(clauses)]
        if wanted_submitters != current_submitters:
            rows = [Submitter(sort_order=i, **s) for i, s in enumerate(submitters)]
            for row in rows:
                row.clean()
            motion.submitters = rows
        motion.full_clean(exclude=["slug"])
        # The revision carries the new document; publishing it writes the row and children.
        services.motion_publish(motion=motion)
        self.log(motion, LOG_ACTION, oparl_id=obj["id"], changed=True)
        return "updated"

    def _agenda_item(self, url):
        if url in self.agenda_items:
            return self.agenda_items[url]
        item = self.client.get(url)
        meeting = self.record(item.get("meeting"), Meeting)
        if meeting is None:
            return None
        self.agenda_items[url] = (item, meeting)
        return item, meeting

    def _consultations(self, obj: dict, motion: Motion):
        for consultation in obj.get("consultation") or []:
            if not isinstance(consultation, dict) or not consultation.get("id"):
                continue
            if consultation.get("deleted"):
                continue
            item_url = consultation.get("agendaItem")
            if item_url:
                found = self._agenda_item(item_url)
                if found is None:
                    self.tally.skip("Consultation", _("its meeting was not imported"))
                    continue
                item, meeting = found
                self._guarded("AgendaItem", lambda i=item, m=meeting: self.decision(i, m, motion))
            elif _text(consultation.get("role")).lower() in ("remiss", "referral"):
                self._guarded("Consultation", lambda c=consultation: self.referral(c, motion))
            else:
                self.tally.skip(
                    "Consultation",
                    _("role %(role)r without an agenda item: no decision to import")
                    % {"role": _text(consultation.get("role"))},
                )

    def referral(self, consultation: dict, motion: Motion) -> str:
        answered_on = _day(consultation.get("bs:answeredOn"))
        existing = self.record(consultation["id"], Referral)
        if existing is not None:
            if answered_on is None or existing.answered_on:
                return "unchanged"
            services.referral_register_response(referral=existing, answered_on=answered_on)
            self.log(motion, LOG_ACTION, oparl_id=consultation["id"])
            return "updated"
        organs = [self.record(u, Organ) for u in consultation.get("organization") or []]
        organ = next((o for o in organs if o is not None), None)
        if organ is None:
            raise Skip(_("the referral's organ was not imported"))
        sent_on = _day(consultation.get("bs:sentOn"))
        if sent_on is None:
            raise Skip(_("a referral without the date it was sent"))
        referral = services.motion_refer(
            motion=motion, organ=organ, sent_on=sent_on, due_on=_day(consultation.get("bs:dueOn"))
        )
        if answered_on:
            referral = services.referral_register_response(
                referral=referral, answered_on=answered_on
            )
        self.log(motion, LOG_ACTION, oparl_id=consultation["id"])
        self.remember(consultation, "Consultation", referral)
        return "created"

    def _commitments(self, obj: dict, motion: Motion):
        for row in obj.get("bs:commitments") or []:
            if isinstance(row, dict):
                self._guarded("Commitment", lambda r=row: self.commitment(obj, r))

    def commitment(self, paper: dict, row: dict) -> str:
        from plans.models import Commitment

        key = row.get("web") or f"{paper['id']}#{slugify(_text(row.get('title')))}"
        if self.record(key, Commitment) is not None:
            return "unchanged"
        decision = self.record(row.get("agendaItem"), Decision)
        if decision is None:
            raise Skip(_("its decision was not imported"))
        organ = self.record(row.get("responsibleOrganization"), Organ)
        if organ is None:
            raise Skip(_("its responsible organ was not imported"))
        if not isinstance(row.get("targetYear"), int):
            raise Skip(_("no target year"))
        commitment = plan_services.commitment_create(
            body=self.body,
            title=_text(row.get("title"))[:300],
            description=_text(row.get("description")) or _text(row.get("title")),
            decision=decision,
            responsible_organ=organ,
            target_year=row["targetYear"],
            clause_number=row.get("clause") if isinstance(row.get("clause"), int) else None,
            slug=self._free_commitment_slug(_text(row.get("title"))),
            publish=True,
        )
        self.log(commitment, LOG_ACTION, oparl_id=key)
        self.remember({"id": key, "modified": None}, "Commitment", commitment)
        return "created"

    def _free_commitment_slug(self, title):
        from plans.models import Commitment

        base = slugify(title)[:70] or "atagande"
        slug, n = base, 1
        while Commitment.objects.filter(body=self.body, slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug
