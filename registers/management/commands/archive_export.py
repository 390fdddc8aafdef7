"""manage.py archive_export --body SLUG --term 2022-2026 [--output DIR] [--zip] [--validate]

Writes the term's E-ARK SIP (FGS Paketstruktur 2.0) into DIR, which must not exist or be empty.
Refuses, writing nothing, for an unknown municipality or term or a folder in use."""

import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motions.models import Body, Term
from registers.archive.package import build_package
from registers.archive.records import term_for
from registers.archive.validation import validate_package


class Command(BaseCommand):
    help = "Write an archive package (E-ARK SIP, FGS Paketstruktur 2.0) of a municipality's term."

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="The municipality's slug.")
        parser.add_argument("--term", required=True, help="The term, e.g. 2022-2026.")
        parser.add_argument(
            "--output",
            help="Folder to write into (new or empty). Default: SLUG-TERM in the current folder.",
        )
        parser.add_argument("--zip", action="store_true", help="Write one ZIP file, not a folder.")
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check the package against its schemas and checksums after writing it.",
        )

    def handle(self, *args, body, term, output, zip, validate, **options):
        try:
            body = Body.objects.get(slug=body)
        except Body.DoesNotExist:
            raise CommandError(
                _("No municipality has the slug %(slug)s.") % {"slug": body}
            ) from None
        try:
            term = term_for(body, term)
        except Term.DoesNotExist:
            known = ", ".join(str(t) for t in body.terms.all()) or "–"
            raise CommandError(
                _("%(body)s has no term %(term)s. Its terms: %(known)s.")
                % {"body": body.name, "term": term, "known": known}
            ) from None
        target = Path(output or f"{body.slug}-{term.starts_on.year}-{term.ends_on.year}")
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(
                _("%(path)s already exists and is not an empty folder; nothing was written.")
                % {"path": target}
            )
        result = build_package(body=body, term=term, output=target, zip_it=zip)
        self.stdout.write(
            _(
                "Wrote %(path)s: %(motions)s motions, %(decisions)s decisions, %(documents)s documents."
            )
            % {
                "path": result.path,
                "motions": result.motions,
                "decisions": result.decisions,
                "documents": result.documents,
            }
        )
        if validate:
            with tempfile.TemporaryDirectory() as unpacked:
                root = result.path
                if zip:  # check what the archive will receive: the unpacked ZIP file
                    with zipfile.ZipFile(result.path) as archive:
                        archive.extractall(unpacked)
                    root = Path(unpacked) / result.package_id
                errors = validate_package(root)
            if errors:
                raise CommandError("\n".join([_("The package is not valid:"), *errors]))
            self.stdout.write(_("The package is valid: schemas, checksums and structure."))
