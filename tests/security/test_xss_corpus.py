"""The XSS corpus: each payload is saved through every write path the tests can drive (the
admin's snippet forms and rich-text editor, the lifecycle forms, the bulk write-off, the
services, a page revision) and must show inert on every public channel: pages, lists,
search, the tracker and its charts, Atom feeds, the calendar, exports, the API and e-mail.

Plain-text values end in PLAIN, rich-text values in RICH, so each channel can be checked to
show the hostile record at all, and so a rich-text value (which must arrive sanitised) is
told apart from plain text (which must arrive as data, exactly as typed)."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from cms.models import FollowUpIndexPage, HomePage
from motions import services
from motions.models import CommitteeProposal, Decision, EventKind, Motion
from plans import services as plan_services
from plans.models import Commitment
from subscriptions import services as subscription_services
from subscriptions.models import Frequency, Notification
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
)
from tests.privacy.test_leak_matrix import text_of
from tests.security.xss import PAYLOADS, html_problems

pytestmark = pytest.mark.django_db

PLAIN = "zzfarlig"
RICH = "zzrik"
# A link a form accepts (URLField allows any path), written to break out of an attribute.
HOSTILE_URL = "https://example.org/?q=\"><script>alert('xss')</script>"


# The shortest field written is a resident's or an organ's name, 160 characters.
LONGEST = 160 - len(f" {PLAIN}")
# A spreadsheet runs a formula only at the start of a cell; a link only from the start.
LEADING = ("formula", "javascript url")


def bundles() -> list[list[str]]:
    """The payloads packed into as few values as fit the shortest field: a world takes seconds
    to build, so each carries several (the sanitiser's own tests take them one by one)."""
    packed = []
    for name in PAYLOADS:
        fits = [
            names
            for names in packed
            if len(" ".join(PAYLOADS[n] for n in [*names, name])) <= LONGEST
        ]
        if fits and name not in LEADING:
            fits[0].append(name)
        else:
            packed.append([name])
    return packed


def plain(payload: str) -> str:
    """The payload first, so a spreadsheet cell starts with it."""
    return f"{payload} {PLAIN}"


def rich_html(payload: str) -> str:
    """Raw HTML as a service, an import or the API might be handed it."""
    return f"<p>{payload}</p><p>{RICH}</p>"


def draftail(payload: str) -> str:
    """What the admin's rich-text editor posts: the payload typed in and linked to a script."""
    text = f"{payload} {RICH}"
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "xss01",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": len(text), "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {
                    "type": "LINK",
                    "mutability": "MUTABLE",
                    "data": {"url": "javascript:alert('xss')"},
                }
            },
        }
    )


# --- the admin's forms, posted as a browser posts them --------------------------------------


def form_data(client, url) -> dict:
    """The fields of the form on `url` with their current values, as a browser submits them."""
    soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    form = max(soup.find_all("form"), key=lambda f: len(f.find_all(["input", "select"])))
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or "__prefix__" in name or element.find_parent("template"):
            continue
        kind = element.get("type", "")
        if element.name == "select":
            chosen = [o.get("value", o.text) for o in element.find_all("option", selected=True)]
            data[name] = chosen if element.has_attr("multiple") else next(iter(chosen), "")
        elif element.name == "textarea":
            data[name] = element.text.removeprefix("\n")  # as a browser parses it
        elif kind in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        elif kind not in ("submit", "button", "file", "image", "reset"):
            data[name] = element.get("value", "")
    return data


def add_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """New rows in an InlinePanel, after the ones the form already has."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=start):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
        data.update({f"{prefix}-{i}-ORDER": str(i + 1), f"{prefix}-{i}-DELETE": ""})
        data[f"{prefix}-{i}-id"] = ""
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def form_errors(response) -> object:
    context = response.context or {}
    form = context.get("form")
    if form is None:
        return response.status_code
    return form.errors, [f.errors for f in getattr(form, "formsets", {}).values()]


def submit(client, url, data, *, publish=True):
    response = client.post(url, {**data, **({"action-publish": "1"} if publish else {})})
    assert response.status_code == 302, form_errors(response)


def snippet_url(obj_or_model, view, *args) -> str:
    return reverse(obj_or_model.snippet_viewset.get_url_name(view), args=args)


# --- the hostile record --------------------------------------------------------------------


@dataclass
class World:
    motions: list
    commitment: Commitment
    home_id: int
    decision_by_service_id: int
    followers: list[str]


def build(payload, public_site, admin_client, follow) -> World:
    """One municipality whose every public text holds `payload`, written each way the admin,
    the lifecycle and the services write it."""
    site = public_site
    site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=site.body)
    )
    cache.clear()
    body = site.body
    party = PartyFactory(body=body, slug="m")
    executive = OrganFactory(body=body, executive=True, slug="ks", name=plain(payload))
    council = OrganFactory(body=body, slug="kf")
    area = AreaFactory(body=body, slug="norrby")
    motion = MotionFactory(body=body, party=party, submitted_on=date(2024, 2, 1))
    motion.areas.add(area)
    follow("anna@example.org", motion)
    follow("bo@example.org", party, frequency=Frequency.WEEKLY)

    # The motion in the admin: title, rich text, a clause and a resident submitter.
    url = snippet_url(motion, "edit", motion.pk)
    data = form_data(admin_client, url)
    data.update({"title": plain(payload), "text": draftail(payload)})
    data["clauses-0-text"] = plain(payload)
    add_rows(data, "submitters", [{"resident_name": plain(payload)}])
    submit(admin_client, url, data)

    # The lifecycle forms: raise, refer, the referral's response and the proposal.
    def act(action, **fields):
        response = admin_client.post(
            reverse("motions_action", args=[motion.pk, action]),
            {"request_key": f"xss-{action}", **fields},
        )
        assert response.status_code == 302, form_errors(response)

    act(
        "raise",
        meeting=MeetingFactory(organ=council, date=date(2024, 3, 4)).pk,
        reason=plain(payload),
    )
    act(
        "refer",
        organ=executive.pk,
        sent_on="2024-03-05",
        due_on="2024-06-05",
        reason=plain(payload),
    )
    act(
        "response",
        referral=motion.referrals.get().pk,
        answered_on="2024-04-02",
        summary=plain(payload),
    )
    act(
        "proposal",
        organ=executive.pk,
        proposed_on="2024-05-06",
        paragraph="12",
        text=plain(payload),
        clause_1="approved",
        clause_2="approved",
    )

    # A revised proposal added in the admin, with a reservation (the first one keeps the text
    # the lifecycle form stored).
    url = snippet_url(CommitteeProposal, "add")
    data = form_data(admin_client, url)
    data.update(
        {
            "motion": motion.pk,
            "organ": executive.pk,
            "proposed_on": "2024-05-20",
            "paragraph": "13",
            "text": draftail(payload),
        }
    )
    add_rows(data, "outcomes", [{"clause_number": n, "outcome": "rejected"} for n in (1, 2)])
    add_rows(data, "reservations", [{"party": party.pk, "text": plain(payload)}])
    submit(admin_client, url, data)

    # The council's decision, added in the admin with a statement.
    url = snippet_url(Decision, "add")
    data = form_data(admin_client, url)
    data.update(
        {
            "body": body.pk,
            "meeting": MeetingFactory(organ=council, date=date(2024, 6, 10)).pk,
            "paragraph": "45",
            "decided_on": "2024-06-10",
            "title": plain(payload),
            "motion": motion.pk,
            "text": draftail(payload),
            "vote_method": "acclamation",
        }
    )
    add_rows(data, "clause_outcomes", [{"clause_number": n, "outcome": "approved"} for n in (1, 2)])
    add_rows(
        data, "statements", [{"party": party.pk, "kind": "reservation", "text": plain(payload)}]
    )
    submit(admin_client, url, data)
    decision = motion.decisions.get()

    # The commitment, its indicator with a measurement, and a follow-up with evidence.
    indicator = IndicatorFactory(body=body, unit="MSEK")
    url = snippet_url(indicator, "edit", indicator.pk)
    data = form_data(admin_client, url)
    data.update({"title": plain(payload), "source": plain(payload)})
    add_rows(
        data,
        "measurements",
        [
            {
                "year": "2024",
                "value": "80",
                "unit": "MSEK",
                "source": plain(payload),
                "note": plain(payload),
            }
        ],
    )
    submit(admin_client, url, data, publish=False)

    commitment = CommitmentFactory(
        decision=decision, responsible_organ=executive, slug="farligt", target_year=2030
    )
    commitment.areas.add(area)
    follow("cecilia@example.org", commitment)
    url = snippet_url(commitment, "edit", commitment.pk)
    data = form_data(admin_client, url)
    data.update(
        {"title": plain(payload), "description": plain(payload), "indicators": [indicator.pk]}
    )
    submit(admin_client, url, data)

    url = snippet_url(commitment.followups.model, "add")
    data = form_data(admin_client, url)
    data.update(
        {
            "commitment": commitment.pk,
            "period_kind": "annual",
            "period_end": "2025-12-31",
            "status": "in_progress",
            "progress": "40",
            "narrative": plain(payload),
            "reason": plain(payload),
            "source": plain(payload),
            "source_url": HOSTILE_URL,
            "verified_on": "2026-01-15",
        }
    )
    add_rows(data, "evidence_links", [{"title": plain(payload), "url": HOSTILE_URL}])
    submit(admin_client, url, data)

    # Another motion written off by the end-of-term bulk action: its reason becomes the
    # decision's text.
    written_off = MotionFactory(body=body, party=party, submitted_on=date(2023, 2, 1))
    response = admin_client.post(
        reverse("motions_bulk_write_off"),
        {
            "body": body.pk,
            f"motion-{written_off.pk}": "on",
            "meeting": MeetingFactory(organ=council, date=date(2026, 9, 28)).pk,
            "paragraph": "150",
            "decided_on": "2026-09-28",
            "title": plain(payload),
            "legal_ground": "other",
            "reason": plain(payload),
            "register": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]

    # The services called directly with raw HTML, as an import would; the home page's
    # introduction through a page revision.
    from_service = services.motion_create(
        body=body,
        case_number="KS 2024-09999",
        title=plain(payload),
        text=rich_html(payload),
        submitted_on=date(2024, 9, 2),
        clauses=[plain(payload)],
        submitters=[{"person": motion.submitters.first().person, "party": party}],
        areas=[area],
        publish=True,
    )
    decided_by_service = services.decision_record(
        body=body,
        meeting=MeetingFactory(organ=council, date=date(2024, 10, 7)),
        paragraph=99,
        decided_on=date(2024, 10, 7),
        title=plain(payload),
        text=rich_html(payload),
        statements=[{"party": party, "text": plain(payload)}],
    )
    site.home.intro = rich_html(payload)
    site.home.save_revision().publish()
    cache.clear()

    return World(
        motions=[Motion.objects.get(pk=m.pk) for m in (motion, written_off, from_service)],
        commitment=Commitment.objects.get(pk=commitment.pk),
        home_id=site.home.pk,
        decision_by_service_id=decided_by_service.pk,
        followers=["anna@example.org", "bo@example.org", "cecilia@example.org"],
    )


# --- the channels --------------------------------------------------------------------------


def channels(world: World) -> dict[str, tuple[str, str]]:
    """name -> (kind, url) for every public channel showing the hostile record."""
    motion, written_off, from_service = world.motions
    html = {
        "home": "/",
        "motion list": "/motioner/",
        "motion list searched": f"/motioner/?q={PLAIN}",
        "motion page": motion.get_url(),
        "written-off motion page": written_off.get_url(),
        "service motion page": from_service.get_url(),
        "party page": "/motioner/parti/m/",
        "organ page": "/motioner/organ/ks/",
        "area page": "/motioner/omrade/norrby/",
        "target year page": "/uppfoljning/malar/2030/",
        "tracker": "/uppfoljning/",
        "tracker party page": "/uppfoljning/parti/m/",
        "search": f"/sok/?q={PLAIN}",
        **{
            f"search {kind}": f"/sok/?q={PLAIN}&typ={kind}"
            for kind in ("motioner", "beslut", "ataganden", "uppfoljningar")
        },
    }
    atom = {
        "feed motions": "/flode/boras/motioner/",
        "feed decisions": "/flode/boras/beslut/",
        "feed motion": f"/flode/boras/motion/{motion.slug}/",
        "feed party": "/flode/boras/parti/m/",
        "feed organ": "/flode/boras/organ/ks/",
        "feed area": "/flode/boras/omrade/norrby/",
        "feed follow-ups": "/flode/boras/uppfoljningar/",
        "feed commitment": f"/flode/boras/atagande/{world.commitment.slug}/",
    }
    data = {
        "api motions": "/api/v1/motions",
        "api motion": f"/api/v1/motions/{motion.pk}",
        "api decisions": "/api/v1/decisions",
        "api decision": f"/api/v1/decisions/{motion.decisions.get().pk}",
        "api service motion": f"/api/v1/motions/{from_service.pk}",
        "api service decision": f"/api/v1/decisions/{world.decision_by_service_id}",
        "api commitments": "/api/v1/commitments",
        "api follow-ups": "/api/v1/followups",
        "api indicators": "/api/v1/indicators",
        "export motions json": "/export/boras/motioner.json",
        "export commitments json": "/export/boras/ataganden.json",
    }
    return {
        **{name: ("html", url) for name, url in html.items()},
        "commitment page": ("chart", world.commitment.get_url()),
        **{name: ("atom", url) for name, url in atom.items()},
        "calendar": ("ical", "/flode/boras/kalender.ics"),
        **{name: ("json", url) for name, url in data.items()},
        "export motions csv": ("csv", "/export/boras/motioner.csv"),
        "export commitments csv": ("csv", "/export/boras/ataganden.csv"),
        "export motions xlsx": ("xlsx", "/export/boras/motioner.xlsx"),
    }


def _html(raw: bytes) -> list[str]:
    return html_problems(raw.decode())


def _chart(raw: bytes) -> list[str]:
    """A page with an SVG chart, whose labels must hold the hostile text (as text)."""
    svgs = BeautifulSoup(raw.decode(), "html.parser").find_all("svg")
    shown = any(PLAIN in svg.get_text() for svg in svgs)
    return _html(raw) + ([] if shown else ["no chart shows the hostile labels"])


def _atom(raw: bytes) -> list[str]:
    problems = []
    for element in ElementTree.fromstring(raw).iter():
        if element.get("type") in ("html", "xhtml"):
            problems += [f"{element.tag}: {p}" for p in html_problems(element.text or "")]
    return problems


def _ical(raw: bytes) -> list[str]:
    lines = raw.decode().split("\r\n")
    problems = [
        f"line break inside {line[:40]!r}" for line in lines if "\r" in line or "\n" in line
    ]
    unfolded = []
    for line in lines:
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    problems += [f"injected {line!r}" for line in unfolded if line.startswith("X-INJECTED")]
    if unfolded.count("BEGIN:VEVENT") != unfolded.count("END:VEVENT"):
        problems.append("an injected END:VEVENT")
    return problems


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _json(raw: bytes) -> list[str]:
    """Plain text is data, whatever it holds; rich text (HTML a client will render) is inert."""
    return [p for s in _strings(json.loads(raw)) if RICH in s for p in html_problems(s)]


def _csv(raw: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";")
    return [
        f"formula cell {cell[:40]!r}"
        for row in rows
        for cell in row
        if PLAIN in cell and cell.lstrip()[:1] in ("=", "+", "-", "@")
    ]


def _xlsx(raw: bytes) -> list[str]:
    """No formula cell, and no text cell that would become one when edited (Excel's quote
    prefix keeps it text)."""
    book = load_workbook(io.BytesIO(raw))
    return [
        f"formula cell {cell.coordinate}: {str(cell.value)[:40]!r}"
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
        or (
            isinstance(cell.value, str)
            and cell.value.lstrip()[:1] in ("=", "+", "-", "@")
            and not cell.quotePrefix
        )
    ]


CHECKS = {
    "html": _html,
    "chart": _chart,
    "atom": _atom,
    "ical": _ical,
    "json": _json,
    "csv": _csv,
    "xlsx": _xlsx,
}


class Received:
    """A response read once: the checks here need its bytes, the leak matrix's `text_of` its
    text, and a streamed response can be read only once."""

    streaming = False

    def __init__(self, response):
        stream = response.streaming
        self.content = b"".join(response.streaming_content) if stream else response.content
        self.headers = {"Content-Type": response["Content-Type"]}

    def __getitem__(self, header):
        return self.headers[header]


def channel_problems(client, kind, url) -> list[str]:
    try:
        response = client.get(url)
    except Exception as error:  # a 500 is a finding too
        return [f"{type(error).__name__}: {error}"]
    if response.status_code != 200:
        return [f"status {response.status_code}"]
    received = Received(response)
    if PLAIN not in text_of(received):
        return ["the hostile record is not shown, so nothing was checked"]
    try:
        return CHECKS[kind](received.content)
    except Exception as error:  # an unparseable feed or export is broken for its readers
        return [f"unreadable: {type(error).__name__}: {error}"]


def mail_problems(followers: list[str]) -> dict[str, list[str]]:
    """Immediate notifications and the weekly digest, delivered as the workers would."""
    problems = {}
    immediate = Notification.objects.unsent().filter(frequency=Frequency.IMMEDIATE)
    deliveries = [
        *(
            lambda pk=pk: subscription_services.notification_deliver(notification_id=pk)
            for pk in immediate.values_list("pk", flat=True)
        ),
        *(
            lambda pk=pk: subscription_services.digest_deliver(subscriber_id=pk)
            for pk in subscription_services.digest_subscriber_ids()
        ),
    ]
    for deliver in deliveries:
        try:
            deliver()
        except Exception as error:  # one failed delivery must not hide the others
            problems.setdefault("e-mail delivery", []).append(f"{type(error).__name__}: {error}")
    for address in followers:
        messages = [m for m in mail.outbox if address in m.to]
        found = []
        if not any(PLAIN in m.body for m in messages):
            found.append("no e-mail about the hostile record arrived")
        for message in messages:
            if message.content_subtype != "plain" or getattr(message, "alternatives", None):
                found.append(f"an HTML part in {message.subject!r}")
            if "\r" in message.subject or "\n" in message.subject:
                found.append(f"a line break in the subject {message.subject!r}")
        if found:
            problems[f"e-mail to {address}"] = found
    return problems


def write_off_decision(motion) -> Decision:
    """The bulk write-off's decision answers many motions, each linked by its event."""
    return motion.events.get(kind=EventKind.WRITTEN_OFF).decision


def stored_problems(world: World, payload: str) -> dict[str, list[str]]:
    """Plain text is stored as typed (it is escaped on the way out); rich text is stored
    sanitised, whichever path wrote it."""
    motion, written_off, from_service = world.motions
    typed = {
        "motion title": motion.title,
        "clause": motion.clauses.first().text,
        "commitment description": world.commitment.description,
        "follow-up narrative": world.commitment.followups.get().narrative,
        "resident's name": motion.submitters.exclude(resident_name="").get().resident_name,
        "evidence link title": world.commitment.followups.get().evidence_links.get().title,
    }
    problems = {
        f"stored {where}": [f"altered to {value!r}"]
        for where, value in typed.items()
        if value != plain(payload)
    }
    rich = {
        "motion (admin editor)": motion.text,
        "proposal (lifecycle form)": motion.proposals.get(paragraph="12").text,
        "proposal (admin editor)": motion.proposals.get(paragraph="13").text,
        "decision (admin editor)": motion.decisions.get().text,
        "decision (bulk write-off)": write_off_decision(written_off).text,
        "motion (service)": from_service.text,
        "home page (page revision)": HomePage.objects.get(pk=world.home_id).intro,
    }
    for where, text in rich.items():
        # <embed> is Wagtail's stored placeholder for an image, replaced when rendered.
        found = [p for p in html_problems(text) if p != "<embed>"]
        found += [] if RICH in text or PLAIN in text else ["the text was lost"]
        if found:
            problems[f"stored {where}"] = found
    return problems


@pytest.mark.parametrize("names", bundles(), ids=[", ".join(names) for names in bundles()])
def test_payloads_saved_every_way_are_stored_clean_and_inert_on_every_public_channel(
    names, public_site, admin_client, client, follow
):
    payload = " ".join(PAYLOADS[name] for name in names)
    world = build(payload, public_site, admin_client, follow)
    problems = stored_problems(world, payload)
    problems.update(
        {
            name: found
            for name, (kind, url) in channels(world).items()
            if (found := channel_problems(client, kind, url))
        }
    )
    problems.update(mail_problems(world.followers))
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_the_lifecycle_proposal_and_the_bulk_write_off_keep_typed_markup_as_text(
    public_site, admin_client, follow
):
    """The forms are plain textareas: what is typed shows as written, in paragraphs."""
    world = build("<b>fet</b>\r\n\r\nandra stycket", public_site, admin_client, follow)
    motion, written_off, _from_service = world.motions
    for text in (motion.proposals.get(paragraph="12").text, write_off_decision(written_off).text):
        paragraphs = BeautifulSoup(text, "html.parser").find_all("p")
        assert [p.get_text() for p in paragraphs] == ["<b>fet</b>", f"andra stycket {PLAIN}"]


def test_a_follow_up_service_refuses_a_script_link_as_evidence(public_site):
    """The admin form checks links; an import calling the service must be held to the same."""
    commitment = CommitmentFactory(decision__motion__body=public_site.body)
    with pytest.raises(ValidationError):
        plan_services.followup_create(
            commitment=commitment,
            period_kind="annual",
            period_end=date(2025, 12, 31),
            status="in_progress",
            progress=40,
            verified_on=date(2026, 1, 15),
            evidence=[("Bevis", "javascript:alert('xss')")],
        )
    assert not commitment.followups.exists()
