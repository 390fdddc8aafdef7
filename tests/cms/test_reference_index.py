"""Wagtail's reference index behind the admin's "Usage" pages: kept current by every save of our
records (other tests switch it off for speed, tests/conftest.py)."""

import pytest
from django.urls import reverse

from motions.models import Motion
from tests.factories import DecisionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.reference_index]


def test_a_motion_s_usage_page_lists_the_decision_that_answers_it(client, superuser):
    decision = DecisionFactory(title="Svar på motionen om trygghet")
    url = reverse(Motion.snippet_viewset.get_url_name("usage"), args=[decision.motion.pk])
    assert "Svar på motionen om trygghet" in client.get(url).content.decode()
