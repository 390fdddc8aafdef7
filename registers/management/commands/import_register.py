"""`manage.py import_register FILE --body SLUG [--dry-run] [--user USERNAME]`: import a
municipality's register of motions from XLSX or CSV, all or nothing, as the admin's import
page does; `--template OUT.xlsx` writes the file to fill in. See `registers.importing`."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motions.models import Body
from registers import importing


class Command(BaseCommand):
    help = "Import a register of motions and citizen proposals from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The XLSX or CSV file.")
        parser.add_argument("--body", help="Slug of the municipality to import into.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count; write nothing."
        )
        parser.add_argument("--user", help="Username the revisions and log entries name.")
        parser.add_argument("--template", metavar="OUT.xlsx", help="Write the template file.")

    def handle(self, *args, file, body, dry_run, user, template, **options):
        self.verbosity = options["verbosity"]
        if template:
            Path(template).write_bytes(importing.template_workbook())
            self.stdout.write(_("Template written to %(path)s.") % {"path": template})
            if not file:
                return
        if not file or not body:
            raise CommandError(_("Give the file and --body."))
        try:
            municipality = Body.objects.get(slug=body)
        except Body.DoesNotExist:
            raise CommandError(
                _("No municipality has the slug %(slug)s.") % {"slug": body}
            ) from None
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("No user is called %(name)s.") % {"name": user}) from None
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        try:
            table = importing.read_table(content, filename=path.name)
        except importing.ImportFileError as error:
            raise CommandError(str(error)) from None
        mapping = self.mapping(municipality, table.headings)
        for heading in table.headings:
            if heading and heading not in mapping:
                self.stdout.write(_("Column not imported: %(heading)s") % {"heading": heading})
        if dry_run:
            plan = importing.plan_import(body=municipality, table=table, mapping=mapping)
        else:
            try:
                plan = importing.run_import(
                    body=municipality,
                    table=table,
                    mapping=mapping,
                    user=account,
                    label=path.name,
                    progress=self.progress,
                )
            except importing.ImportRefused as refused:
                plan = refused.plan
        self.report(plan, dry_run=dry_run)
        if not plan.ok:
            raise CommandError(
                _("%(count)d errors: nothing was imported.") % {"count": len(plan.errors)}
            )

    def mapping(self, body, headings) -> dict[str, str]:
        """The suggestion from the headings, overridden by the columns the municipality mapped
        in the admin last time (registers.models.ImportMapping), where the file has them."""
        mapping = importing.suggest_mapping(headings)
        try:
            from registers.models import ImportMapping
        except ImportError:  # the admin's model is optional here
            return mapping
        stored = ImportMapping.objects.filter(body=body).values_list("mapping", flat=True).first()
        if stored and any(h in stored for h in headings):
            chosen = {h: stored[h] for h in headings if stored.get(h)}
            taken = set(chosen.values())
            for heading, key in mapping.items():
                if heading not in stored and key not in taken:
                    chosen[heading] = key
            mapping = chosen
        return mapping

    def progress(self, done, total):
        if self.verbosity > 1:
            self.stderr.write(f"{done}/{total}")

    def report(self, plan, *, dry_run):
        counts = {"creates": plan.creates, "updates": plan.updates, "skips": plan.skips}
        if dry_run:
            line = _("Dry run: %(creates)d to create, %(updates)d to update, %(skips)d unchanged.")
        else:
            line = _("Imported: %(creates)d created, %(updates)d updated, %(skips)d unchanged.")
        if not plan.ok:
            line = _("%(creates)d to create, %(updates)d to update, %(skips)d unchanged.")
        self.stdout.write(line % counts)
        for error in plan.errors:
            where = _("row %(row)d") % {"row": error.row}
            if error.column:
                where += f", {error.column}"
            self.stdout.write(f"{where}: {error.message}")
