"""Records' public URLs follow their index pages at once, however the pages change."""

import pytest

from cms.models import FollowUpIndexPage
from tests.factories import CommitmentFactory, DecisionFactory, MotionFactory

pytestmark = pytest.mark.django_db


def test_an_index_page_added_or_moved_gives_records_their_new_url_at_once(public_site):
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    commitment = CommitmentFactory(decision=decision)
    assert commitment.get_url() is None  # no tracker page yet (and the lookup is now cached)

    tracker = public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    assert commitment.get_url() == f"/uppfoljning/{commitment.slug}/"

    tracker.slug = "atagandena"
    tracker.save()  # saved directly, as a script or the shell would, without publishing
    assert commitment.get_url() == f"/atagandena/{commitment.slug}/"
