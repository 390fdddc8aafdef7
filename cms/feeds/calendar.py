"""One iCalendar feed per municipality: the motions' one-year deadlines and the commitments'
target years, streamed so a large municipality costs no memory.

Written by hand: a few event lines need escaping and folding, not a calendar library."""

import re
from datetime import UTC, timedelta

from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import licences
from cms.keyset import Keyset
from cms.routing import record_urls
from cms.sites import body_for_request, site_for_body
from motions.models import Motion

from .motions import CONTROL_CHARACTERS
from .plans import commitment_events

# One character, or an escape pair (\\, \;, \n) that folding keeps together: RFC 5545 allows a
# fold inside it, but some calendar programs then misread it.
FOLD_UNIT = re.compile(r"\\.|.", re.DOTALL)


def ical_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11: a CRLF, LF or bare CR is one line break (\\n),
    other control characters are dropped."""
    value = CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_line(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character or an escape
    pair (RFC 5545 3.1); lines end in CRLF."""
    out, current = [], b""
    for unit in FOLD_UNIT.findall(line):
        encoded = unit.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out) + "\r\n"


def ical_event(
    *, uid: str, day, summary: str, url: str | None, description: str, stamp: str
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ical_text(summary)}",
        f"DESCRIPTION:{ical_text(description)}",
        *([f"URL:{url}"] if url else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return "".join(ical_line(line) for line in lines)


DEADLINE_KEYSET = Keyset(("deadline_on", "id"), descending=False)


def calendar_events(request, body):
    """(uid, date, summary, url, description) for every open motion's deadline and, when the
    plans app provides them, every published commitment's target date.

    The addresses are worked out before the first event: the feed is streamed after the
    request's site (and the path fallback's prefix) is no longer the one being served."""
    # The municipality's own host, however the feed was reached: the same event keeps its UID.
    own_site = site_for_body(body.pk)
    if own_site is None or own_site.is_default_site:  # one site: the host it was asked on
        host = request.get_host().split(":")[0]
    else:
        host = own_site.hostname
    motion_url = record_urls("motion", body.pk, request=request)
    commitment_url = record_urls("commitment", body.pk, request=request)
    return _events(body, host, motion_url, commitment_url)


def _events(body, host, motion_url, commitment_url):
    motions = (
        Motion.objects.published()
        .for_body(body)
        .undecided()
        .filter(deadline_on__isnull=False)
        .select_related("body")
        .only("id", "slug", "body_id", "kind", "case_number", "title", "deadline_on", "body__name")
    )
    for motion in DEADLINE_KEYSET.batches(motions, size=1000):
        yield (
            f"motion-{motion.pk}-deadline@{host}",
            motion.deadline_on,
            _("Decision due: %(case)s %(title)s")
            % {"case": motion.case_number, "title": motion.title},
            motion_url(motion.slug),
            _("Kommunallagen 5 kap. 35 §: the council should decide %(the)s within one year.")
            % {"the": motion.nouns.the},
        )
    yield from commitment_events(body, host, commitment_url)


def calendar(request, body):
    """An iCalendar feed of deadlines, streamed so a large municipality costs no memory."""
    body_obj = body_for_request(request, body)
    events = calendar_events(request, body_obj)
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    licence = licences.licence_of(body_obj)
    # The calendar's own DESCRIPTION (RFC 7986 5.2) names the licence: iCalendar has no
    # property for rights, and a calendar program shows this one.
    about = _("Open data from %(body)s. Licence: %(licence)s") % {
        "body": body_obj.name,
        "licence": licences.label(licence),
    }

    def lines():
        yield ical_line("BEGIN:VCALENDAR")
        yield ical_line("VERSION:2.0")
        yield ical_line("PRODID:-//Beslutsspar//Beslutsspar//SV")
        yield ical_line("CALSCALE:GREGORIAN")
        yield ical_line(
            f"X-WR-CALNAME:{ical_text(_('Deadlines in %(body)s') % {'body': body_obj.name})}"
        )
        yield ical_line(f"DESCRIPTION:{ical_text(about)}")
        for uid, day, summary, url, description in events:
            yield ical_event(
                uid=uid, day=day, summary=summary, url=url, description=description, stamp=stamp
            )
        yield ical_line("END:VCALENDAR")

    response = StreamingHttpResponse(lines(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body_obj.slug}-deadlines.ics"'
    return licences.state(response, licence)


urlpatterns = [
    path("<slug:body>/kalender.ics", calendar, name="feed-calendar"),
]
