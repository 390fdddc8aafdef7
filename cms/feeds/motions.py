"""Atom feeds and an iCalendar of deadlines, for following the record without an account.

URLs under /flode/<municipality>/; a municipality's site serves only its own. Every feed starts from `published()`; feeds for a
party, organ or area reuse `MotionFilter`, so they list what the filtered page lists."""

import re
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator
from wagtail.rich_text import get_text_for_indexing

from cms import licences
from cms.routing import index_url
from cms.sites import body_for_request
from motions.filters import MotionFilter
from motions.models import Body, Decision, Motion

FEED_LENGTH = 50
# Control characters but tab and line breaks: XML 1.0 and iCalendar text cannot hold them, and
# a title pasted from Word carries \x0b as its line break.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class XMLWithoutControlCharacters(SimplerXMLGenerator):
    """Drops control characters instead of failing the whole feed on one record."""

    def characters(self, content):
        super().characters(CONTROL_CHARACTERS.sub("", content))


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are typed "text": they hold plain text, so a reader shows markup
    in them as written instead of rendering it (Django types them "html")."""

    def write(self, outfile, encoding):
        """Atom1Feed.write, with a handler that drops control characters."""
        handler = XMLWithoutControlCharacters(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LicensedFeed(Feed):
    """A feed that states its municipality's licence: Atom's `<rights>` (RSS's `<copyright>`)
    and a `Link: rel="license"` header. `body_of(obj)` names the municipality."""

    feed_type = PlainTextAtomFeed

    def body_of(self, obj) -> Body:
        return obj

    def feed_copyright(self, obj):
        return licences.label(licences.licence_of(self.body_of(obj)))

    def get_feed(self, obj, request):
        # The view is shared between requests: the licence travels on the request.
        request.data_licence = licences.licence_of(self.body_of(obj))
        return super().get_feed(obj, request)

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return licences.state(response, request.data_licence)


def site_home() -> str:
    """The address of the home page of the site being served ("/boras/" with the path fallback)."""
    return reverse("wagtail_serve", args=[""])


def _moment(day):
    """Midnight in the site's time zone: Atom needs a time, the record only has a date."""
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


@dataclass
class Subject:
    """What a feed is about. Feed views are shared between requests, so nothing is kept on `self`."""

    body: Body
    title: str
    motions: object


class MotionsFeed(LicensedFeed):
    """New motions of one municipality, newest first. Relative links get the request's domain."""

    def body_of(self, subject):
        return subject.body

    def get_object(self, request, body):
        body = body_for_request(request, body)
        return Subject(body, _("New motions in %(body)s") % {"body": body.name}, self.motions(body))

    @staticmethod
    def motions(body):
        return Motion.objects.published().for_body(body).for_list()

    def title(self, subject):
        return subject.title

    def subtitle(self, subject):
        return _("Motions and citizen proposals as they are published in Beslutsspår.")

    def link(self, subject):
        return index_url("motion", subject.body.pk) or site_home()

    def items(self, subject):
        return subject.motions.order_by("-submitted_on", "-id")[:FEED_LENGTH]

    def item_title(self, motion):
        return f"{motion.case_number}: {motion.title}"

    def item_description(self, motion):
        submitters = ", ".join(s.display_name for s in motion.submitters.all())
        return "{}: {}. {}: {}. {}".format(
            _("Submitted by"),
            submitters,
            _("Status"),
            motion.get_status_display(),
            Truncator(get_text_for_indexing(motion.text)).words(60),
        )

    def item_link(self, motion):
        return motion.get_url() or reverse("api-v1:motions-detail", args=[motion.pk])

    def item_guid(self, motion):
        return f"motion-{motion.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, motion):
        return motion.first_published_at or _moment(motion.submitted_on)

    def item_updateddate(self, motion):
        return motion.last_published_at or _moment(motion.submitted_on)


class FilteredMotionsFeed(MotionsFeed):
    """Motions of one party, organ or area: the motion list filtered by `filter_name`."""

    filter_name = ""
    heading = ""

    def get_object(self, request, body, slug):
        body = body_for_request(request, body)
        filterset = MotionFilter({self.filter_name: slug}, queryset=self.motions(body), body=body)
        if not filterset.is_valid():
            raise Http404
        [chosen] = filterset.form.cleaned_data[self.filter_name]  # one row: scoped to `body`
        return Subject(body, self.heading % {"name": chosen, "body": body.name}, filterset.qs)


class PartyMotionsFeed(FilteredMotionsFeed):
    filter_name = "party"
    heading = gettext_lazy("Motions from %(name)s, %(body)s")


class OrganMotionsFeed(FilteredMotionsFeed):
    filter_name = "organ"
    heading = gettext_lazy("Motions prepared by %(name)s, %(body)s")


class AreaMotionsFeed(FilteredMotionsFeed):
    filter_name = "area"
    heading = gettext_lazy("Motions about %(name)s, %(body)s")


class DecisionsFeed(LicensedFeed):
    """New published decisions of one municipality, newest first."""

    def get_object(self, request, body):
        return body_for_request(request, body)

    def title(self, body):
        return _("New decisions in %(body)s") % {"body": body.name}

    def link(self, body):
        return site_home()

    def items(self, body):
        return (
            Decision.objects.published()
            .for_body(body)
            .select_related("meeting__organ", "motion")
            .order_by("-decided_on", "-id")[:FEED_LENGTH]
        )

    def item_title(self, decision):
        return f"§ {decision.paragraph} {decision.meeting}: {decision.title}"

    def item_description(self, decision):
        return Truncator(get_text_for_indexing(decision.text)).words(80)

    def item_link(self, decision):
        return decision.get_url() or reverse("api-v1:decisions-detail", args=[decision.pk])

    def item_guid(self, decision):
        return f"decision-{decision.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, decision):
        return decision.first_published_at or _moment(decision.decided_on)

    def item_updateddate(self, decision):
        return decision.last_published_at or _moment(decision.decided_on)


class MotionStoryFeed(LicensedFeed):
    """What happened to one motion: submitted, referred, answered, proposed, decided."""

    def body_of(self, motion):
        return motion.body

    def get_object(self, request, body, slug):
        return get_object_or_404(
            Motion.objects.published().for_detail().select_related("body"),
            body=body_for_request(request, body),
            slug=slug,
        )

    def title(self, motion):
        return f"{motion.case_number}: {motion.title}"

    def link(self, motion):
        return motion.get_url() or reverse("api-v1:motions-detail", args=[motion.pk])

    def items(self, motion):
        url = self.link(motion)
        events = [(motion.submitted_on, "submitted", 0, _("Submitted"), "")]
        for n, referral in enumerate(motion.referrals.all()):
            events.append(
                (
                    referral.sent_on,
                    "referral",
                    n,
                    _("Referred to %(organ)s") % {"organ": referral.organ},
                    "",
                )
            )
            if referral.answered_on:
                events.append(
                    (
                        referral.answered_on,
                        "answer",
                        n,
                        _("%(organ)s answered") % {"organ": referral.organ},
                        referral.response_summary,
                    )
                )
        for proposal in motion.proposals.all():
            events.append(
                (
                    proposal.proposed_on,
                    "proposal",
                    proposal.pk,
                    _("Proposal from %(organ)s") % {"organ": proposal.organ},
                    get_text_for_indexing(proposal.text),
                )
            )
        for decision in motion.decisions.all():
            events.append(
                (
                    decision.decided_on,
                    "decision",
                    decision.pk,
                    _("Decided: § %(paragraph)s %(meeting)s")
                    % {"paragraph": decision.paragraph, "meeting": decision.meeting},
                    get_text_for_indexing(decision.text),
                )
            )
        events.sort(key=lambda e: (e[0], e[1]), reverse=True)
        return [
            {
                "date": day,
                "guid": f"motion-{motion.pk}-{kind}-{key}",
                "title": title,
                "text": text,
                "link": url,
            }
            for day, kind, key, title, text in events
        ]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["text"]

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return item["guid"]

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return _moment(item["date"])


urlpatterns = [
    path("<slug:body>/motioner/", MotionsFeed(), name="feed-motions"),
    path("<slug:body>/beslut/", DecisionsFeed(), name="feed-decisions"),
    path("<slug:body>/motion/<slug:slug>/", MotionStoryFeed(), name="feed-motion"),
    path("<slug:body>/parti/<slug:slug>/", PartyMotionsFeed(), name="feed-party"),
    path("<slug:body>/organ/<slug:slug>/", OrganMotionsFeed(), name="feed-organ"),
    path("<slug:body>/omrade/<slug:slug>/", AreaMotionsFeed(), name="feed-area"),
]
