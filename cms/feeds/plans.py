"""Feeds for follow-up: new published follow-ups per municipality and per commitment, and
commitment target dates for the iCalendar in `cms.feeds.calendar`."""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cms.keyset import Keyset
from cms.routing import index_url
from cms.sites import body_for_request
from plans.models import Commitment
from plans.status import FINAL_STATUSES

from ..api.plans import followups_for_list
from .motions import FEED_LENGTH, LicensedFeed, _moment, site_home

TARGET_KEYSET = Keyset(("target_year", "id"), descending=False)


def commitment_events(body, host, url):
    """Each open published commitment's target year, as an all-day event on 31 December;
    `url` gives a commitment's address from its slug (`cms.routing.record_urls`)."""
    commitments = (
        Commitment.objects.published()
        .filter(body=body)
        .exclude(current_status__in=FINAL_STATUSES)
        .only("id", "slug", "body_id", "title", "target_year")
    )
    for commitment in TARGET_KEYSET.batches(commitments, size=1000):
        yield (
            f"commitment-{commitment.pk}-target@{host}",
            date(commitment.target_year, 12, 31),
            _("Target year: %(title)s") % {"title": commitment.title},
            url(commitment.slug),
            _("The commitment should be carried out by the end of %(year)s.")
            % {"year": commitment.target_year},
        )


class FollowUpsFeed(LicensedFeed):
    """Newly published follow-ups of one municipality's commitments and action plans."""

    def get_object(self, request, body):
        return body_for_request(request, body)

    def title(self, body):
        return _("New follow-ups in %(body)s") % {"body": body.name}

    def link(self, body):
        return index_url("commitment", body.pk) or site_home()

    def followups(self, body):
        return followups_for_list().filter(Q(commitment__body=body) | Q(action__plan__body=body))

    def items(self, body):
        return self.followups(body).order_by("-period_end", "-id")[:FEED_LENGTH]

    def item_title(self, followup):
        subject = followup.commitment.title if followup.commitment_id else followup.action.title
        return f"{subject}: {followup.get_status_display()} ({followup.progress} %)"

    def item_description(self, followup):
        return Truncator(followup.narrative or followup.reason).words(80)

    def item_link(self, followup):
        subject = followup.commitment if followup.commitment_id else followup.action.plan
        return subject.get_url() or reverse("api-v1:followups-detail", args=[followup.pk])

    def item_guid(self, followup):
        return f"followup-{followup.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, followup):
        return followup.first_published_at or _moment(followup.period_end)


class CommitmentFeed(FollowUpsFeed):
    """The follow-ups of one commitment."""

    def get_object(self, request, body, slug):
        return get_object_or_404(
            Commitment.objects.published().select_related("body"),
            body=body_for_request(request, body),
            slug=slug,
        )

    def body_of(self, commitment):
        return commitment.body

    def title(self, commitment):
        return commitment.title

    def link(self, commitment):
        return commitment.get_url() or site_home()

    def followups(self, commitment):
        return followups_for_list().filter(commitment=commitment)


urlpatterns = [
    path("<slug:body>/uppfoljningar/", FollowUpsFeed(), name="feed-followups"),
    path("<slug:body>/atagande/<slug:slug>/", CommitmentFeed(), name="feed-commitment"),
]
