"""`make bench` part: the daily reminder job over the bench municipality's motions plus 20,000
commitments. Everything is written inside a transaction that is rolled back, so the bench
data stays as generated and a second run measures the same thing."""

import time
from datetime import date, timedelta

from django.db import transaction
from django.db.models import DateField, ExpressionWrapper, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motions import reminders
from motions.models import Decision, Motion, Organ, ReminderClaim


class _Rollback(Exception):
    pass


def measure(*, body, commitments: int = 20_000) -> dict:
    """Seconds and SQL queries for one planning run of the daily job (claims included)."""
    from django.db import connection

    from plans.models import Commitment

    result = {}
    try:
        with transaction.atomic():
            # Bench motions are bulk-created without the stored deadline: add it the service's way.
            Motion.objects.filter(body=body, deadline_on__isnull=True).update(
                deadline_on=ExpressionWrapper(
                    F("submitted_on") + timedelta(days=365), output_field=DateField()
                )
            )
            body.secretariat_email = body.secretariat_email or "kansliet@bench.example"
            body.save(update_fields=["secretariat_email"])
            organ = Organ.objects.filter(body=body).first()
            Organ.objects.filter(pk=organ.pk).update(contact_email="namnd@bench.example")
            decision = Decision.objects.filter(body=body).first()
            Commitment.objects.bulk_create(
                (
                    Commitment(
                        body=body,
                        title=f"Bench-uppdrag {n}",
                        slug=f"bench-uppdrag-{n}",
                        description="Bench",
                        decision=decision,
                        responsible_organ=organ,
                        target_year=2030,
                        live=True,
                        last_followup_on=date(2020, 1, 1) if n % 2 else None,
                    )
                    for n in range(commitments)
                ),
                batch_size=2000,
            )
            with CaptureQueriesContext(connection) as queries:
                started = time.monotonic()
                token, recipients = reminders.plan(today=timezone.localdate())
                result["seconds"] = round(time.monotonic() - started, 2)
            result["queries"] = len(queries.captured_queries)
            result["claims"] = ReminderClaim.objects.filter(run_token=token).count()
            result["recipients"] = len(recipients)
            result["motions"] = Motion.objects.filter(body=body).count()
            result["commitments"] = Commitment.objects.filter(body=body).count()
            raise _Rollback
    except _Rollback:
        pass
    return result
