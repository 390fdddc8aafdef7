"""Import of a municipality's existing register of motions and citizen proposals from XLSX
or CSV: the engine behind the admin's import page and `manage.py import_register`.

One row is one motion or proposal, matched by municipality and case number (diarienummer).
`plan_import` is the dry run: it reads every row, checks each cell and compares the row with
the record already stored, and counts what would be created, updated or skipped, writing
nothing. `run_import` plans first, then writes through the same services as the admin
(`motions.services`, `plans.services`): a new motion is created and published with a
revision, then raised, referred, given its committee proposal and its decision, each a
service call leaving its event and log entry, and every row touched gets a log entry naming
the import. All of it is one transaction: any refused row rolls everything back.

What a row cannot change, on purpose: a published decision (the minutes are the record;
correct them in the admin), an answered referral or an existing commitment. An empty cell
in an optional column changes nothing, so a file with fewer columns never erases what the
admin added. The columns the site's own export adds from the record (status, result,
deadline, address) are left unmapped, so an export imports back with nothing to do."""

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from wagtail.log_actions import log
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    reference_index_auto_update_disabled,
)

from motions import services as motion_services
from motions.models import (
    Clause,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    Meeting,
    Motion,
    MotionKind,
    Organ,
    OrganKind,
    Outcome,
    Party,
    Person,
    ProposedOutcome,
    Referral,
    Submitter,
)
from motions.rules import clause_coverage_errors
from plans import services as plan_services
from plans.models import Commitment
from plans.status import Status
from subscriptions.services import followers_not_told

from . import indexing
from .tabular import MAX_BYTES, ImportFileError, Table, parse_date, read_table

__all__ = [
    "FIELDS",
    "LOG_ACTION",
    "MAX_BYTES",
    "ImportCancelled",
    "ImportField",
    "ImportFileError",
    "ImportPlan",
    "ImportRefused",
    "RowError",
    "Table",
    "check_mapping",
    "plan_import",
    "read_table",
    "run_import",
    "suggest_mapping",
    "template_workbook",
]

BATCH_SIZE = 200
# Registered with the register_log_actions hook (registers.wagtail_hooks).
LOG_ACTION = "registers.import"
LOG_ACTIONS = {
    LOG_ACTION: (gettext_lazy("Import"), gettext_lazy("Imported from a register file")),
}


@dataclass(frozen=True)
class ImportField:
    """One importable field, for the mapping form."""

    key: str
    label: str
    required: bool
    help: str = ""
    example: str = ""


# The headings are the motion export's where a column is in both (cms.exports.motions), so
# the export and the template share their translations and an export maps itself.
FIELDS: list[ImportField] = [
    ImportField(
        "case_number",
        gettext_lazy("Case number"),
        True,
        gettext_lazy("The diarienummer; it identifies the record, e.g. KS 2023-00123."),
        "KS 2023-00123",
    ),
    ImportField(
        "kind",
        gettext_lazy("Kind"),
        False,
        gettext_lazy("motion, medborgarförslag or e-förslag. Empty: motion."),
        "motion",
    ),
    ImportField("title", gettext_lazy("Title"), True, gettext_lazy("The title."), ""),
    ImportField(
        "submitted_on",
        gettext_lazy("Submitted"),
        True,
        gettext_lazy("The date it was submitted, YYYY-MM-DD."),
        "2023-02-01",
    ),
    ImportField(
        "clauses",
        gettext_lazy("Clauses (att-satser)"),
        False,
        gettext_lazy(
            'Numbered in one cell, "1. att … 2. att …", or one clause per line. '
            "Needed for a new record."
        ),
        "",
    ),
    ImportField(
        "submitted_by",
        gettext_lazy("Submitted by"),
        False,
        gettext_lazy(
            'Members with their party\'s abbreviation in brackets, "Anna Andersson (S)", '
            "separated by ; or a comma; a committee by its name; a resident by name."
        ),
        "Anna Andersson (S); Bo Berg (M)",
    ),
    ImportField(
        "party",
        gettext_lazy("Party"),
        False,
        gettext_lazy("The party's abbreviation, for members named without one."),
        "",
    ),
    ImportField(
        "raised_on",
        gettext_lazy("Raised in the council"),
        False,
        gettext_lazy("The date of the council meeting where it was raised (väckt)."),
        "2023-02-20",
    ),
    ImportField(
        "referrals",
        gettext_lazy("Referrals"),
        False,
        gettext_lazy(
            'Organ and date sent, with the date answered if it was: "SN 2023-03-01 '
            'besvarad 2023-05-02; TN 2023-03-01". Separate referrals with ;.'
        ),
        "SN 2023-03-01 besvarad 2023-05-02",
    ),
    ImportField(
        "proposal_organ",
        gettext_lazy("Proposal by"),
        False,
        gettext_lazy("The organ that proposed the decision, e.g. KS."),
        "KS",
    ),
    ImportField(
        "proposed_on",
        gettext_lazy("Proposal date"),
        False,
        gettext_lazy("The date of the organ's proposal."),
        "2023-08-20",
    ),
    ImportField(
        "proposal_paragraph",
        gettext_lazy("Proposal §"),
        False,
        gettext_lazy("The § in the organ's minutes."),
        "112",
    ),
    ImportField(
        "proposed_outcomes",
        gettext_lazy("Proposed outcome per clause"),
        False,
        gettext_lazy(
            '"1: bifalls; 2: avslås", or one outcome for every clause: bifalls, avslås, '
            "anses besvarad, avskrivs, återtagen."
        ),
        "1: bifalls; 2: avslås",
    ),
    ImportField(
        "decision_meeting",
        gettext_lazy("Decision meeting"),
        False,
        gettext_lazy('The organ and date of the meeting that decided, "KF 2023-09-25".'),
        "KF 2023-09-25",
    ),
    ImportField(
        "decision_paragraph",
        gettext_lazy("Decision §"),
        False,
        gettext_lazy("The § in the minutes."),
        "87",
    ),
    ImportField(
        "decided_on",
        gettext_lazy("Decided"),
        False,
        gettext_lazy("The date of the decision. Empty: the meeting's date."),
        "",
    ),
    ImportField(
        "clause_outcomes",
        gettext_lazy("Outcome per clause"),
        False,
        gettext_lazy('The decided outcome: "1: bifalls; 2: avslås", or one for every clause.'),
        "1: bifalls; 2: avslås",
    ),
    ImportField(
        "commitments",
        gettext_lazy("Commitments (status)"),
        False,
        gettext_lazy(
            'What the decision obliges an organ to do, from an approved clause: "Att-sats 1: '
            'Title (organ, target year)". Separate commitments with ;.'
        ),
        "Att-sats 1: Ta fram en plan för cykelbanor (TN, 2025)",
    ),
]
FIELD_KEYS = {f.key: f for f in FIELDS}
# Other headings a secretariat's own register tends to use.
ALIASES = {
    "case_number": ["dnr", "diarienr", "diarienummer", "ärendenummer"],
    "title": ["ärendemening", "rubrik", "titel"],
    "submitted_by": ["motionär", "motionärer", "förslagsställare", "inlämnad av"],
    "clauses": ["att-satser", "att-sats", "attsatser", "yrkanden"],
    "submitted_on": ["inkom", "inkommen", "inlämnad", "datum"],
    "kind": ["typ", "ärendetyp"],
    "party": ["parti"],
    # The Swedish headings of the template, so a file maps whatever the admin's language.
    "raised_on": ["väckt i fullmäktige", "väckt"],
    "referrals": ["remisser", "remiss"],
    "proposal_organ": ["förslag från", "beredande organ"],
    "proposed_on": ["förslagsdatum", "förslag datum"],
    "proposal_paragraph": ["förslag §"],
    "proposed_outcomes": ["föreslaget utfall per att-sats", "föreslaget utfall"],
    "decision_meeting": ["beslutssammanträde"],
    "decision_paragraph": ["beslut §"],
    "decided_on": ["beslutad", "beslutsdatum"],
    "clause_outcomes": ["utfall per att-sats", "beslutat utfall"],
    "commitments": ["åtaganden (status)", "åtaganden"],
}


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the heading is row 1
    column: str  # the file's heading, "" when about the whole file
    message: str


@dataclass
class ImportPlan:
    creates: int = 0
    updates: int = 0
    skips: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(Exception):
    """The file has errors: nothing was written. `plan.errors` says what to fix."""

    def __init__(self, plan: ImportPlan):
        super().__init__(
            _("The import was refused: %(count)d errors.") % {"count": len(plan.errors)}
        )
        self.plan = plan


class ImportCancelled(Exception):
    """Stopped on request: nothing was written."""


# --- mapping ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(str(text).replace("*", " ").split()).casefold()


def _heading_names() -> dict[str, str]:
    """Every spelling of every field's heading (English, Swedish, aliases) -> field key."""
    names = {}
    for language in ("en", "sv"):
        with override(language):
            for f in FIELDS:
                names[_norm(str(f.label))] = f.key
    for key, aliases in ALIASES.items():
        for alias in aliases:
            names.setdefault(_norm(alias), key)
    return names


def suggest_mapping(headings: list[str]) -> dict[str, str]:
    """heading -> field key for the headings the template, the export or common registers use;
    each field at most once (the first heading wins)."""
    names, mapping, taken = _heading_names(), {}, set()
    for heading in headings:
        key = names.get(_norm(heading))
        if key and key not in taken:
            mapping[heading] = key
            taken.add(key)
    return mapping


def check_mapping(mapping: dict[str, str]) -> list[RowError]:
    """Errors of the mapping itself, reported on the heading row (row 1)."""
    errors, by_key = [], {}
    for heading, key in mapping.items():
        if not key:
            continue
        if key not in FIELD_KEYS:
            errors.append(
                RowError(
                    1, heading, _("%(key)s is not a field that can be imported.") % {"key": key}
                )
            )
            continue
        by_key.setdefault(key, []).append(heading)
    for key, headings in by_key.items():
        if len(headings) > 1:
            errors.append(
                RowError(
                    1,
                    headings[1],
                    _("The columns %(columns)s are all mapped to %(field)s; map only one.")
                    % {"columns": ", ".join(headings), "field": FIELD_KEYS[key].label},
                )
            )
    for f in FIELDS:
        if f.required and f.key not in by_key:
            errors.append(
                RowError(
                    1,
                    "",
                    _("The required column %(field)s is missing (or not mapped).")
                    % {"field": f.label},
                )
            )
    return errors


# --- reading one row -------------------------------------------------------------------

ENTRY_SPLIT = re.compile(r"\s*(?:;|\n)\s*")
NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*[.):]\s+")
MEETING = re.compile(r"(?:(?P<organ>.+?)\s+)?(?P<date>\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+)?)")
REFERRAL = re.compile(
    r"(?P<organ>.+?)\s+(?P<sent>\d{4}-\d{2}-\d{2})"
    r"(?:\s*[,–-]?\s*(?:besvarad|svar|answered)\s+(?P<answered>\d{4}-\d{2}-\d{2}))?",
    re.IGNORECASE,
)
MEMBER = re.compile(r"(?P<name>.+?)\s*\((?P<party>[^()]+)\)")
COMMITMENT = re.compile(
    r"(?:(?:att-sats|clause)\s*(?P<clause>\d+)\s*:\s*)?(?P<title>.+?)\s*\((?P<details>[^()]*)\)",
    re.IGNORECASE,
)
SUFFIX = re.compile(r"\s*\((?P<state>[^()]*)\)\s*$")


def _entries(text: str) -> list[str]:
    return [part for part in ENTRY_SPLIT.split(text.strip()) if part]


def _labels(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised value, English and Swedish label (and the word in brackets) -> value."""
    found = {}
    for language in ("en", "sv"):
        with override(language):
            for value, label in choices.choices:
                found[_norm(value)] = value
                found[_norm(str(label))] = value
                if inner := re.search(r"\(([^()]+)\)", str(label)):
                    found[_norm(inner[1])] = value
    found.update({_norm(k): v for k, v in (extra or {}).items()})
    return found


OUTCOME_WORDS = {
    "bifall": Outcome.APPROVED,
    "bifallen": Outcome.APPROVED,
    "avslag": Outcome.REJECTED,
    "avslagen": Outcome.REJECTED,
    "besvarad": Outcome.ANSWERED,
    "avskriven": Outcome.WRITTEN_OFF,
    "återtagen": Outcome.WITHDRAWN,
}
KIND_WORDS = {"medborgarförslag": MotionKind.CITIZEN_PROPOSAL, "e-förslag": MotionKind.E_PROPOSAL}


@dataclass
class Lookups:
    """The municipality's organs, parties and people, read once per import."""

    organs: dict[str, Organ]
    council: Organ | None
    parties: dict[str, Party]
    people: dict[str, Person]
    outcomes: dict[str, str]
    kinds: dict[str, str]
    statuses: dict[str, str]
    decided_words: set[str]
    pending_words: set[str]

    @classmethod
    def for_body(cls, body) -> "Lookups":
        organs = {}
        council = None
        for organ in Organ.objects.filter(body=body):
            organs[_norm(organ.name)] = organ
            if organ.abbreviation:
                organs.setdefault(_norm(organ.abbreviation), organ)
            if organ.kind == OrganKind.COUNCIL and council is None:
                council = organ
        parties = {}
        for party in Party.objects.filter(body=body):
            parties[_norm(party.abbreviation)] = party
            parties.setdefault(_norm(party.name), party)
        # The words the motion export puts after an outcome (cms.exports.motions).
        decided, pending = set(), set()
        for language in ("en", "sv"):
            with override(language):
                decided.add(_export_word(_("%(number)s: %(outcome)s (decided)")))
                pending.add(_export_word(_("%(number)s: %(outcome)s (proposed)")))
                pending.add(_export_word(_("%(number)s: not decided yet")))
        return cls(
            organs=organs,
            council=council,
            parties=parties,
            people={_norm(p.name): p for p in Person.objects.filter(body=body)},
            outcomes=_labels(Outcome, OUTCOME_WORDS),
            kinds=_labels(MotionKind, KIND_WORDS),
            statuses=_labels(Status),
            decided_words=decided,
            pending_words=pending,
        )


def _export_word(message: str) -> str:
    """ "decided" from "%(number)s: %(outcome)s (decided)", normalised."""
    text = message % {"number": "", "outcome": ""}
    return _norm(text).strip(" :()")


class CellError(ValueError):
    pass


@dataclass
class Row:
    """One row read into values; `given` holds the keys whose cells were not empty."""

    number: int
    cells: dict[str, str]  # field key -> cell text
    headings: dict[str, str]  # field key -> the file's heading
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def error(self, key: str, message: str):
        self.errors.append(RowError(self.number, self.headings.get(key, ""), str(message)))


def _parse_row(row: Row, lookups: Lookups, *, existing_clause_count: int | None):
    """Reads every non-empty cell into `row.values`, adding an error per cell that is wrong."""
    cells, values = row.cells, row.values

    def read(key, parser):
        text = cells.get(key, "").strip()
        if not text:
            return
        try:
            values[key] = parser(text)
        except (CellError, ValueError) as error:
            row.error(key, str(error))

    for key in ("case_number", "title", "submitted_on"):
        if not cells.get(key, "").strip():
            row.error(key, _("This column must not be empty."))
    read("case_number", lambda t: _max_length(t, 60))
    read("title", lambda t: _max_length(t, 300))
    read("submitted_on", parse_date)
    read(
        "kind",
        lambda t: _choice(t, lookups.kinds, _("Write motion, medborgarförslag or e-förslag.")),
    )
    read("clauses", _clauses)
    read("party", lambda t: _party(t, lookups))
    read("submitted_by", lambda t: _submitters(t, lookups, values.get("party")))
    read("raised_on", parse_date)
    read("referrals", lambda t: _referrals(t, lookups))
    read("proposal_organ", lambda t: _organ(t, lookups))
    read("proposed_on", parse_date)
    read("proposal_paragraph", lambda t: _max_length(t, 20))
    read("decision_meeting", lambda t: _meeting(t, lookups))
    read("decision_paragraph", _paragraph)
    read("decided_on", parse_date)
    read("commitments", lambda t: _commitments(t, lookups))

    count = len(values["clauses"]) if "clauses" in values else existing_clause_count
    for key, decided in (("proposed_outcomes", False), ("clause_outcomes", True)):
        text = cells.get(key, "").strip()
        if not text:
            continue
        try:
            outcomes = _outcomes(text, lookups, clause_count=count or 0, decided=decided)
        except CellError as error:
            row.error(key, str(error))
            continue
        if outcomes:
            values[key] = outcomes
        if outcomes and count is not None:  # no clauses at all is reported once, above
            for message in clause_coverage_errors(
                clause_count=count, clause_numbers=list(outcomes)
            ):
                row.error(key, message)

    # What goes together.
    if "proposed_outcomes" in values and "proposal_organ" not in values:
        row.error("proposal_organ", _("Give the organ that made the proposal."))
    if "proposal_organ" in values and "proposed_outcomes" not in values:
        row.error("proposed_outcomes", _("Give the proposed outcome of every clause."))
    if "clause_outcomes" in values:
        if "decision_meeting" not in values:
            row.error("decision_meeting", _("Give the meeting that decided."))
        if "decision_paragraph" not in values:
            row.error("decision_paragraph", _("Give the decision's §."))
    if "commitments" in values and "clause_outcomes" not in values:
        row.error(
            "commitments", _("A commitment comes from a decision: give the outcome per clause.")
        )
    if "commitments" in values and "clause_outcomes" in values:
        for entry in values["commitments"]:
            number = entry[0]
            if number and values["clause_outcomes"].get(number) != Outcome.APPROVED:
                row.error(
                    "commitments",
                    _("Clause %(number)s was not approved, so no commitment comes from it.")
                    % {"number": number},
                )
    submitted_on = values.get("submitted_on")
    for key in ("raised_on", "proposed_on", "decided_on"):
        if submitted_on and values.get(key) and values[key] < submitted_on:
            row.error(key, _("The date is before the record was submitted."))


def _max_length(text: str, length: int) -> str:
    if len(text) > length:
        raise CellError(_("At most %(count)d characters.") % {"count": length})
    return text


def _choice(text, words, hint):
    value = words.get(_norm(text))
    if value is None:
        raise CellError(_("%(value)s is not known. %(hint)s") % {"value": text, "hint": hint})
    return value


def _clauses(text: str) -> list[str]:
    """ "1. att … 2. att …" in one cell, or one clause per line; each number in turn."""
    text = text.replace("\r\n", "\n").strip()
    clauses, expected = [], 1
    starts = []
    for match in NUMBERED.finditer(text):
        if int(match[1]) == expected:
            starts.append(match)
            expected += 1
    if starts and starts[0].start() == 0:
        for i, match in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            clauses.append(" ".join(text[match.end() : end].split()))
    else:
        clauses = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    if any(not clause for clause in clauses):
        raise CellError(_("A numbered clause is empty."))
    return clauses


def _party(text: str, lookups: Lookups) -> Party:
    party = lookups.parties.get(_norm(text))
    if party is None:
        raise CellError(
            _("The party %(party)s is not registered for the municipality.") % {"party": text}
        )
    return party


def _organ(text: str, lookups: Lookups) -> Organ:
    organ = lookups.organs.get(_norm(text))
    if organ is None:
        raise CellError(
            _("The organ %(organ)s is not registered for the municipality.") % {"organ": text}
        )
    return organ


def _submitters(text: str, lookups: Lookups, party: Party | None) -> list[tuple]:
    """("member", name, party) | ("organ", organ) | ("resident", name), in order."""
    parts = _entries(text) if re.search(r"[;\n]", text) else [p.strip() for p in text.split(",")]
    found = []
    for part in filter(None, parts):
        if member := MEMBER.fullmatch(part):
            found.append(
                ("member", member["name"].strip(), _party(member["party"].strip(), lookups))
            )
        elif (organ := lookups.organs.get(_norm(part))) is not None:
            found.append(("organ", organ))
        elif party is not None:
            found.append(("member", part, party))
        else:
            found.append(("resident", part))
    return found


def _referrals(text: str, lookups: Lookups) -> list[tuple]:
    found = []
    for part in _entries(text):
        match = REFERRAL.fullmatch(part)
        if not match:
            raise CellError(
                _('%(value)s: write the organ and the date sent, e.g. "SN 2023-03-01".')
                % {"value": part}
            )
        answered = parse_date(match["answered"]) if match["answered"] else None
        found.append((_organ(match["organ"], lookups), parse_date(match["sent"]), answered))
    return found


def _meeting(text: str, lookups: Lookups) -> tuple[Organ, date]:
    match = MEETING.fullmatch(text.strip())
    if not match:
        raise CellError(_('Write the organ and the date, e.g. "KF 2023-09-25".'))
    if match["organ"]:
        organ = _organ(match["organ"], lookups)
    elif lookups.council is not None:
        organ = lookups.council
    else:
        raise CellError(_("The municipality has no council registered; name the organ."))
    return organ, parse_date(match["date"])


def _paragraph(text: str) -> int:
    digits = text.strip().lstrip("§").strip()
    if not digits.isdigit() or int(digits) < 1:
        raise CellError(_("Write the § as a number, e.g. 87."))
    return int(digits)


def _outcomes(text: str, lookups: Lookups, *, clause_count: int, decided: bool) -> dict[int, str]:
    """{clause number: outcome}. One word without numbers is the outcome of every clause; the
    export's "(proposed)" and "not decided yet" entries are not decisions and are left out."""
    entries = _entries(text)
    if len(entries) == 1 and not re.match(r"\d", entries[0]):
        outcome = _outcome_word(entries[0], lookups)
        return dict.fromkeys(range(1, clause_count + 1), outcome) if outcome else {}
    found: dict[int, str] = {}
    for entry in entries:
        match = re.fullmatch(r"(\d+)\s*[:.)]\s*(.*)", entry, re.DOTALL)
        if not match:
            raise CellError(
                _('%(value)s: write the clause number and its outcome, e.g. "1: bifalls".')
                % {"value": entry}
            )
        number = int(match[1])
        if decided and _norm(match[2]) in lookups.pending_words:
            continue
        outcome = _outcome_word(match[2], lookups)
        if outcome is None:
            continue
        if number in found:
            raise CellError(_("Clause %(number)s has more than one outcome.") % {"number": number})
        found[number] = outcome
    return found


def _outcome_word(text: str, lookups: Lookups) -> str | None:
    word = _norm(text)
    if suffix := SUFFIX.search(word):
        state = suffix["state"]
        if state in lookups.pending_words:
            return None
        if state in lookups.decided_words:
            word = word[: suffix.start()].strip()
    outcome = lookups.outcomes.get(word)
    if outcome is None:
        raise CellError(
            _(
                "%(value)s is not an outcome. Write bifalls, avslås, anses besvarad, avskrivs or återtagen."
            )
            % {"value": text}
        )
    return outcome


def _commitments(text: str, lookups: Lookups) -> list[tuple]:
    """(clause number | None, title, organ | None, target year | None, status | None)."""
    found = []
    for entry in _entries(text):
        match = COMMITMENT.fullmatch(entry)
        if not match:
            raise CellError(
                _('%(value)s: write "Att-sats 1: title (organ, target year)".') % {"value": entry}
            )
        clause = int(match["clause"]) if match["clause"] else None
        # The export writes the status ("Avslutad, inte genomförd" has a comma of its own).
        if status := lookups.statuses.get(_norm(match["details"])):
            found.append((clause, match["title"].strip(), None, None, status))
            continue
        details = [d.strip() for d in match["details"].split(",") if d.strip()]
        if len(details) != 2 or not details[1].isdigit():
            raise CellError(
                _('%(value)s: give the responsible organ and the target year, "(TN, 2025)".')
                % {"value": entry}
            )
        found.append(
            (clause, match["title"].strip(), _organ(details[0], lookups), int(details[1]), None)
        )
    return found


# --- the record as stored, for comparison ---------------------------------------------


@dataclass
class Stored:
    """What the import compares a row with, read as plain values for a batch of motions."""

    id: int
    kind: str
    title: str
    submitted_on: date
    raised_on: date | None
    clauses: list[str] = field(default_factory=list)
    submitters: list[tuple] = field(default_factory=list)
    referrals: dict[tuple, date | None] = field(default_factory=dict)
    proposal: tuple | None = None  # (organ id, date, §, outcomes)
    decision: tuple | None = None  # (organ id, meeting date, §, decided on, outcomes)
    commitments: dict[str, str] = field(default_factory=dict)  # title -> status


def _stored(body, case_numbers: list[str]) -> dict[str, Stored]:
    """The stored records of a batch of case numbers: eight queries whatever the batch size."""
    found: dict[str, Stored] = {}
    by_id: dict[int, Stored] = {}
    for row in Motion.objects.filter(body=body, case_number__in=case_numbers).values(
        "id", "case_number", "kind", "title", "submitted_on", "raised_at__date"
    ):
        stored = Stored(
            row["id"], row["kind"], row["title"], row["submitted_on"], row["raised_at__date"]
        )
        found[row["case_number"]] = by_id[row["id"]] = stored
    ids = list(by_id)
    for motion_id, text in (
        Clause.objects.filter(motion_id__in=ids)
        .order_by("motion_id", "sort_order", "pk")
        .values_list("motion_id", "text")
    ):
        by_id[motion_id].clauses.append(text)
    for motion_id, person, party, organ, resident in (
        Submitter.objects.filter(motion_id__in=ids)
        .order_by("motion_id", "sort_order", "pk")
        .values_list("motion_id", "person__name", "party_id", "organ_id", "resident_name")
    ):
        if person is not None:
            by_id[motion_id].submitters.append(("member", _norm(person), party))
        elif organ is not None:
            by_id[motion_id].submitters.append(("organ", organ))
        else:
            by_id[motion_id].submitters.append(("resident", _norm(resident)))
    for motion_id, organ, sent, answered in Referral.objects.filter(motion_id__in=ids).values_list(
        "motion_id", "organ_id", "sent_on", "answered_on"
    ):
        by_id[motion_id].referrals[(organ, sent)] = answered
    proposal_outcomes: dict[int, dict] = {}
    for proposal_id, number, outcome in ProposedOutcome.objects.filter(
        proposal__motion_id__in=ids, proposal__live=True
    ).values_list("proposal_id", "clause_number", "outcome"):
        proposal_outcomes.setdefault(proposal_id, {})[number] = outcome
    for row in (
        CommitteeProposal.objects.published()
        .filter(motion_id__in=ids)
        .order_by("proposed_on", "id")
        .values("id", "motion_id", "organ_id", "proposed_on", "paragraph")
    ):  # the latest wins
        by_id[row["motion_id"]].proposal = (
            row["organ_id"],
            row["proposed_on"],
            row["paragraph"],
            proposal_outcomes.get(row["id"], {}),
        )
    decision_outcomes: dict[int, dict] = {}
    for decision_id, number, outcome in DecisionClauseOutcome.objects.filter(
        decision__motion_id__in=ids, decision__live=True
    ).values_list("decision_id", "clause_number", "outcome"):
        decision_outcomes.setdefault(decision_id, {})[number] = outcome
    for row in (
        Decision.objects.published()
        .filter(motion_id__in=ids)
        .order_by("decided_on", "paragraph")
        .values("id", "motion_id", "meeting__organ_id", "meeting__date", "paragraph", "decided_on")
    ):
        by_id[row["motion_id"]].decision = (
            row["meeting__organ_id"],
            row["meeting__date"],
            row["paragraph"],
            row["decided_on"],
            decision_outcomes.get(row["id"], {}),
        )
    for motion_id, title, status in Commitment.objects.filter(
        decision__motion_id__in=ids
    ).values_list("decision__motion_id", "title", "current_status"):
        by_id[motion_id].commitments[_norm(title)] = status
    return found


@dataclass
class Changes:
    """What a row would change in its stored record (or create, when there is none)."""

    document: dict = field(default_factory=dict)
    raise_on: date | None = None
    referrals: list[tuple] = field(default_factory=list)  # new (organ, sent, answered)
    answers: list[tuple] = field(default_factory=list)  # (organ, sent, answered) to register
    proposal: str = ""  # "", "new" or "revise"
    decision: bool = False
    commitments: list[tuple] = field(default_factory=list)

    def __bool__(self):
        return bool(
            self.document
            or self.raise_on
            or self.referrals
            or self.answers
            or self.proposal
            or self.decision
            or self.commitments
        )


def _submitter_key(entry) -> tuple:
    if entry[0] == "member":
        return ("member", _norm(entry[1]), entry[2].pk)
    if entry[0] == "organ":
        return ("organ", entry[1].pk)
    return ("resident", _norm(entry[1]))


def _compare(row: Row, stored: Stored | None) -> Changes:
    """The changes of a row, with an error for each change the import does not make."""
    values, changes = row.values, Changes()
    if stored is None:
        if "clauses" not in values:
            row.error("clauses", _("A new record needs its clauses (att-satser)."))
        changes.document = {"new": True}
        changes.raise_on = values.get("raised_on")
        changes.referrals = values.get("referrals", [])
        changes.proposal = "new" if "proposal_organ" in values else ""
        changes.decision = "clause_outcomes" in values
        if "decision_meeting" in values and not changes.decision:
            row.error("clause_outcomes", _("Give the decided outcome of every clause."))
        changes.commitments = values.get("commitments", [])
        for _clause, title, organ, _year, _status in changes.commitments:
            if organ is None:
                row.error(
                    "commitments",
                    _("%(title)s: give the responsible organ and the target year.")
                    % {"title": title},
                )
        return changes
    for key in ("title", "submitted_on", "kind"):
        if key in values and values[key] != getattr(stored, key):
            changes.document[key] = values[key]
    if "clauses" in values and values["clauses"] != stored.clauses:
        changes.document["clauses"] = values["clauses"]
    if "submitted_by" in values:
        keys = [_submitter_key(entry) for entry in values["submitted_by"]]
        if keys != stored.submitters:
            changes.document["submitters"] = values["submitted_by"]
    if "raised_on" in values and values["raised_on"] != stored.raised_on:
        if stored.raised_on:
            row.error(
                "raised_on",
                _("It was raised on %(date)s; correct that in the admin.")
                % {"date": stored.raised_on.isoformat()},
            )
        else:
            changes.raise_on = values["raised_on"]
    for organ, sent, answered in values.get("referrals", []):
        key = (organ.pk, sent)
        if key not in stored.referrals:
            changes.referrals.append((organ, sent, answered))
        elif answered and stored.referrals[key] is None:
            changes.answers.append((organ, sent, answered))
        elif answered and stored.referrals[key] != answered:
            row.error(
                "referrals",
                _(
                    "The referral to %(organ)s was answered on another date; correct that in the admin."
                )
                % {"organ": organ},
            )
    if "proposal_organ" in values:
        wanted = (
            values["proposal_organ"].pk,
            values.get("proposed_on"),
            values.get("proposal_paragraph", ""),
            values.get("proposed_outcomes", {}),
        )
        if stored.proposal is None:
            changes.proposal = "new"
        elif stored.proposal[0] != wanted[0]:
            row.error(
                "proposal_organ", _("The proposal is by another organ; correct that in the admin.")
            )
        elif (
            wanted[1] or stored.proposal[1],
            wanted[2] or stored.proposal[2],
            wanted[3],
        ) != stored.proposal[1:]:
            changes.proposal = "revise"
    if "clause_outcomes" in values or "decision_meeting" in values:
        organ_date = values.get("decision_meeting")
        wanted = (
            organ_date[0].pk if organ_date else None,
            organ_date[1] if organ_date else None,
            values.get("decision_paragraph"),
            values.get("decided_on") or (organ_date[1] if organ_date else None),
            values.get("clause_outcomes"),
        )
        if stored.decision is None:
            changes.decision = "clause_outcomes" in values
            if not changes.decision:
                row.error("clause_outcomes", _("Give the decided outcome of every clause."))
        elif any(w is not None and w != s for w, s in zip(wanted, stored.decision, strict=True)):
            row.error(
                "clause_outcomes" if "clause_outcomes" in values else "decision_meeting",
                _(
                    "The stored decision says otherwise; a decision is corrected in the admin, not by an import."
                ),
            )
    for entry in values.get("commitments", []):
        _clause, title, organ, _year, status = entry
        if _norm(title) in stored.commitments:
            if status and status != stored.commitments[_norm(title)]:
                row.error(
                    "commitments",
                    _("%(title)s: a commitment's status changes with a follow-up in the admin.")
                    % {"title": title},
                )
            continue
        if organ is None:
            row.error(
                "commitments",
                _("%(title)s: give the responsible organ and the target year.") % {"title": title},
            )
        changes.commitments.append(entry)
    if changes.commitments and not changes.decision and stored.decision is None:
        row.error(
            "commitments", _("A commitment comes from a decision: give the outcome per clause.")
        )
    return changes


# --- the dry run -----------------------------------------------------------------------


def _batches(table: Table, size: int):
    batch = []
    for item in table.rows():
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _checked_batches(body, table: Table, mapping: dict[str, str], lookups: Lookups):
    """Each batch as (row, stored record or None, changes), every row read and compared."""
    headings = {key: heading for heading, key in mapping.items() if key}
    seen: dict[str, int] = {}
    for batch in _batches(table, BATCH_SIZE):
        numbers = [cells.get(headings["case_number"], "").strip() for _number, cells in batch]
        stored = _stored(body, [n for n in numbers if n])
        checked = []
        for (number, cells), case_number in zip(batch, numbers, strict=True):
            row = Row(
                number,
                {key: cells.get(heading, "") for key, heading in headings.items()},
                headings,
            )
            record = stored.get(case_number)
            _parse_row(row, lookups, existing_clause_count=len(record.clauses) if record else None)
            if case_number in seen:
                row.error(
                    "case_number",
                    _("The case number %(case)s is also on row %(row)d.")
                    % {"case": case_number, "row": seen[case_number]},
                )
            elif case_number:
                seen[case_number] = number
            changes = _compare(row, record)
            checked.append((row, record, changes))
        yield checked


def plan_import(*, body, table: Table, mapping: dict[str, str]) -> ImportPlan:
    """The dry run: counts of rows to create, update and skip, and every error. Writes nothing."""
    plan = ImportPlan(errors=check_mapping(mapping))
    if plan.errors:
        return plan
    lookups = Lookups.for_body(body)
    for checked in _checked_batches(body, table, mapping, lookups):
        for row, record, changes in checked:
            _count(plan, row, record, changes)
    return plan


def _count(plan: ImportPlan, row: Row, record, changes: Changes):
    plan.errors.extend(row.errors)
    if row.errors:
        return
    if record is None:
        plan.creates += 1
    elif changes:
        plan.updates += 1
    else:
        plan.skips += 1


# --- the import ------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def run_import(
    *,
    body,
    table: Table,
    mapping: dict[str, str],
    user,
    label: str,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Import every row, all or nothing, through the services. Raises ImportRefused(plan) when
    any row has an error (found by the checks or refused by a service) and ImportCancelled
    when `should_stop()` turns true; both leave the database as it was."""
    plan = plan_import(body=body, table=table, mapping=mapping)
    if not plan.ok:
        raise ImportRefused(plan)
    done = ImportPlan()
    lookups = Lookups.for_body(body)
    meetings: dict[tuple, Meeting] = {}
    try:
        # The services save a record several times and Wagtail would rewrite its reference
        # index ("usage") on each save, and its search index too; once per record after its
        # row (references) or its batch (search) does the same work. Followers are not told
        # of history being imported (`followers_not_told`), only of what happens next.
        with (
            _references_deferred(),
            indexing.search_index_deferred(),
            followers_not_told(),
            transaction.atomic(),
        ):
            rows_done = 0
            for checked in _checked_batches(body, table, mapping, lookups):
                for row, record, changes in checked:
                    if not row.errors and changes:
                        try:
                            with transaction.atomic():
                                motion = _apply(
                                    body,
                                    row,
                                    record,
                                    changes,
                                    lookups,
                                    meetings,
                                    user=user,
                                    label=label,
                                )
                                _index_references(motion)
                        except ValidationError as error:
                            row.error(_stage_key(error), _messages(error))
                    _count(done, row, record, changes)
                indexing.flush()
                rows_done += len(checked)
                if progress:
                    progress(rows_done, table.row_count)
                if should_stop and should_stop():
                    raise ImportCancelled
            if done.errors:
                raise _Rollback
    except _Rollback:
        raise ImportRefused(done) from None
    return done


def _messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _stage_key(error: ValidationError) -> str:
    return getattr(error, "import_key", "case_number")


def _tagged(key: str):
    """Marks a service's refusal with the column it concerns."""

    class Tag:
        def __enter__(self):
            return self

        def __exit__(self, kind, error, trace):
            if isinstance(error, ValidationError):
                error.import_key = key
            return False

    return Tag()


def _references_deferred():
    """Wagtail's switch, unless the caller turned it off already (it does not nest)."""
    if getattr(reference_index_auto_update_disabled, "value", False):
        return contextlib.nullcontext()
    return disable_reference_index_auto_update()


def _index_references(motion: Motion):
    for obj in (
        motion,
        *motion.decisions.all(),
        *motion.proposals.all(),
        *Commitment.objects.filter(decision__motion=motion),
    ):
        ReferenceIndex.create_or_update_for_object(obj)


def _meeting_for(organ: Organ, day: date, meetings: dict, user) -> Meeting:
    key = (organ.pk, day)
    if key not in meetings:
        meetings[key] = motion_services.meeting_create(organ=organ, day=day, user=user)
        # Saved while the reference index is switched off (`run_import`).
        ReferenceIndex.create_or_update_for_object(meetings[key])
    return meetings[key]


def _submitter_fields(entries, people: dict[str, Person], body) -> list[dict]:
    fields = []
    for entry in entries:
        if entry[0] == "member":
            person = people.get(_norm(entry[1]))
            if person is None:
                # A member no longer in office is still the motion's submitter: the lookup
                # table gets them, as the admin's person chooser would.
                person = Person(body=body, name=entry[1])
                person.slug = _free_slug(Person, body, entry[1])
                person.full_clean()
                person.save()
                ReferenceIndex.create_or_update_for_object(person)
                people[_norm(entry[1])] = person
            fields.append({"person": person, "party": entry[2]})
        elif entry[0] == "organ":
            fields.append({"organ": entry[1]})
        else:
            fields.append({"resident_name": entry[1]})
    return fields


def _free_slug(model, body, name: str) -> str:
    base = slugify(name)[:45] or "person"
    slug, n = base, 1
    while model.objects.filter(body=body, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(body, row: Row, record, changes: Changes, lookups: Lookups, meetings, *, user, label):
    values = row.values
    if record is None:
        with _tagged("case_number"):
            motion = motion_services.motion_create(
                body=body,
                case_number=values["case_number"],
                title=values["title"],
                submitted_on=values["submitted_on"],
                kind=values.get("kind", MotionKind.MOTION),
                clauses=values["clauses"],
                submitters=_submitter_fields(values.get("submitted_by", []), lookups.people, body),
                user=user,
                publish=True,
            )
    else:
        motion = Motion.objects.select_related("body", "raised_at").get(pk=record.id)
        if changes.document:
            with _tagged(next(iter(changes.document))):
                _update_document(motion, changes.document, lookups, body, user=user)
    log(
        instance=motion,
        action=LOG_ACTION,
        user=user,
        data={"import": label, "row": row.number, "created": record is None},
    )
    if changes.raise_on:
        with _tagged("raised_on"):
            if lookups.council is None:
                raise ValidationError(_("The municipality has no council registered."))
            meeting = _meeting_for(lookups.council, changes.raise_on, meetings, user)
            motion = motion_services.motion_raise(motion=motion, meeting=meeting, user=user)
    with _tagged("referrals"):
        for organ, sent, answered in changes.referrals:
            referral = motion_services.motion_refer(
                motion=motion, organ=organ, sent_on=sent, user=user
            )
            if answered:
                motion_services.referral_register_response(
                    referral=referral, answered_on=answered, user=user
                )
        for organ, sent, answered in changes.answers:
            referral = Referral.objects.get(motion=motion, organ=organ, sent_on=sent)
            motion_services.referral_register_response(
                referral=referral, answered_on=answered, user=user
            )
    if changes.proposal:
        with _tagged("proposal_organ"):
            _proposal(motion, values, changes.proposal, user=user)
    decision = None
    if changes.decision:
        with _tagged("clause_outcomes"):
            organ, day = values["decision_meeting"]
            decision = motion_services.decision_record(
                body=body,
                meeting=_meeting_for(organ, day, meetings, user),
                paragraph=values["decision_paragraph"],
                decided_on=values.get("decided_on") or day,
                title=motion.title,
                motion=motion,
                outcomes=values["clause_outcomes"],
                user=user,
            )
    if changes.commitments:
        with _tagged("commitments"):
            decision = decision or motion.decisions.published().order_by("-decided_on").first()
            for clause, title, organ, year, _status in changes.commitments:
                plan_services.commitment_create(
                    body=body,
                    title=title,
                    description=title,
                    decision=decision,
                    responsible_organ=organ,
                    target_year=year,
                    clause_number=clause,
                    slug=_free_slug(Commitment, body, f"{motion.case_number} {title}"),
                    user=user,
                    publish=True,
                )
    return motion


def _proposal(motion, values, how: str, *, user):
    if how == "new":
        motion_services.proposal_register(
            motion=motion,
            organ=values["proposal_organ"],
            proposed_on=values.get("proposed_on") or motion.submitted_on,
            paragraph=values.get("proposal_paragraph", ""),
            outcomes=values.get("proposed_outcomes", {}),
            user=user,
        )
        return
    proposal = (
        CommitteeProposal.objects.published()
        .filter(motion=motion)
        .order_by("-proposed_on", "-id")
        .first()
    )
    motion_services.proposal_revise(
        proposal=proposal,
        outcomes=values.get("proposed_outcomes")
        or {o.clause_number: o.outcome for o in proposal.outcomes.all()},
        text=proposal.text,
        proposed_on=values.get("proposed_on"),
        paragraph=values.get("proposal_paragraph"),
        user=user,
    )


def _update_document(motion: Motion, document: dict, lookups: Lookups, body, *, user):
    """The admin's edit: change the motion document and publish it as a new revision."""
    if "title" in document:
        motion.title = document["title"]
    if "submitted_on" in document:
        motion.submitted_on = document["submitted_on"]
    if "kind" in document:
        motion.kind = document["kind"]
    if "clauses" in document:
        decided = motion.decisions.exists() or motion.proposals.exists()
        if decided and len(document["clauses"]) != motion.clauses.count():
            raise ValidationError(
                _("The clauses have outcomes already; their number cannot change in an import.")
            )
        motion.clauses = [
            Clause(text=text, sort_order=i) for i, text in enumerate(document["clauses"])
        ]
    if "submitters" in document:
        motion.submitters = [
            Submitter(sort_order=i, **fields)
            for i, fields in enumerate(
                _submitter_fields(document["submitters"], lookups.people, body)
            )
        ]
        for submitter in motion.submitters.all():
            submitter.clean()
    motion.full_clean()
    motion_services.motion_publish(motion=motion, user=user)


# --- the template ----------------------------------------------------------------------


def template_workbook() -> bytes:
    """The XLSX a secretariat fills in: a sheet with the headings and an example row, and a
    sheet explaining each column."""
    from .template import workbook

    return workbook(FIELDS)
