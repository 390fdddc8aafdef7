"""`manage.py import_oparl URL --body SLUG [--full]`: read an OParl 1.1 System into a
municipality's register. See `registers.oparl.ingest` for what maps to what."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motions.models import Body
from registers.oparl.client import OparlClient, OparlError
from registers.oparl.ingest import Importer, ImportRefused


class Command(BaseCommand):
    help = "Import an OParl 1.1 system's organs, people, meetings, motions and decisions."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The URL of the OParl System object.")
        parser.add_argument(
            "--body", required=True, help="Slug of the municipality to import into."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read everything, not only what changed since the last complete run.",
        )
        parser.add_argument(
            "--source-body",
            default="",
            help="The OParl body to read (name, shortName or id) when the system has several.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=getattr(settings, "OPARL_IMPORT_TIMEOUT", 30.0),
            help="Seconds to wait for each answer (default 30).",
        )
        parser.add_argument(
            "--max-mb",
            type=float,
            default=getattr(settings, "OPARL_IMPORT_MAX_MB", 20.0),
            help="Largest answer accepted, in MB (default 20).",
        )

    def handle(self, *args, url, body, full, source_body, timeout, max_mb, **options):
        try:
            municipality = Body.objects.get(slug=body)
        except Body.DoesNotExist:
            raise CommandError(
                _("No municipality has the slug %(slug)s.") % {"slug": body}
            ) from None
        try:
            client = OparlClient(url, timeout=timeout, max_bytes=int(max_mb * 1_000_000))
        except OparlError as error:
            raise CommandError(str(error)) from None
        importer = Importer(
            body=municipality, system_url=url, client=client, full=full, source_body=source_body
        )
        try:
            tally = importer.run()
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        except OparlError as error:
            self.report(importer.tally)
            raise CommandError(
                _(
                    "The import stopped: %(error)s What was imported before this is kept, each "
                    "object whole; the next run reads the rest again."
                )
                % {"error": error}
            ) from None
        self.report(tally)
        self.stdout.write(
            self.style.SUCCESS(
                _("Import from %(url)s into %(body)s complete (%(requests)d requests).")
                % {"url": url, "body": municipality.name, "requests": tally.requests}
            )
        )

    def report(self, tally):
        for kind in tally.kinds:
            self.stdout.write(
                _(
                    "%(kind)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(skipped)d skipped"
                )
                % {
                    "kind": kind,
                    "created": tally.created[kind],
                    "updated": tally.updated[kind],
                    "unchanged": tally.unchanged[kind],
                    "skipped": tally.skipped[kind],
                }
            )
        for (kind, reason), count in sorted(tally.reasons.items()):
            self.stdout.write(
                "  "
                + _("%(kind)s, %(count)d×: %(reason)s")
                % {"kind": kind, "count": count, "reason": reason}
            )
