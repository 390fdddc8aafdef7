import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from subscriptions.models import Frequency, Subscriber, Subscription


@pytest.fixture
def follow(db):
    """A confirmed follow, as after the subscriber clicked the confirmation link."""

    def make(email: str, target, frequency: str = Frequency.IMMEDIATE) -> Subscription:
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        return Subscription.objects.create(
            subscriber=subscriber,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            frequency=frequency,
            confirmed_at=timezone.now(),
        )

    return make
