"""Admin forms that validate a record together with its inline rows, and the check that keeps
personal identity numbers off the public site (REQ-PRIV-02)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.log_actions import LogFormatter, log
from wagtail.models import DraftStateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from .models import MotionKind
from .personal_ids import find_personal_ids
from .rules import clause_coverage_errors, party_vote_errors
from .scoping import ScopedFormMixin
from .submission import e_proposal_rules, submission_errors

PERSONAL_IDS_CHECKED = "personal_ids_checked"
PERSONAL_IDS_LOG_ACTION = "motions.personal_ids_checked"
# Contact details a form carries that no page, feed, export or API shows (REQ-PRIV-03). Every
# other visible text field of a form that publishes is public, in the record and its rows.
NOT_PUBLISHED = frozenset({"resident_email", "resident_phone"})


def personal_ids_checked_field(widget=forms.CheckboxInput):
    return forms.BooleanField(
        required=False,
        widget=widget,
        label=_("The flagged text is not a personal identity number"),
        help_text=_(
            "Tick this only after checking every flagged field. It is logged in your name."
        ),
    )


def public_text_flags(form, row_label: str = ""):
    """(form, field name, field label, numbers) for each public text field of a validated
    `form` that holds what looks like a personal identity number."""
    data = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or field.widget.is_hidden:
            continue
        value = data.get(name)
        if (
            name not in NOT_PUBLISHED
            and isinstance(value, str)
            and (numbers := find_personal_ids(value))
        ):
            yield form, name, f"{row_label}{capfirst(field.label)}", numbers


def personal_id_error(label: str, numbers: list[str]) -> ValidationError:
    return ValidationError(
        _(
            "The field “%(field)s” contains something that looks like a personal identity "
            "number (%(numbers)s). Remove it, or tick the confirmation box if it is not one."
        ),
        code="personal_id",
        params={"field": label, "numbers": ", ".join(numbers)},
    )


NOT_YOURS_TO_CONFIRM = _("Only a user who may publish can confirm this.")


def refuse_personal_ids(texts: dict[str, str], *, confirmed: bool, may_confirm: bool) -> list[str]:
    """The same check for a view without a form: `texts` maps each public field's label to what
    was typed. Raises a ValidationError naming every flagged field unless a user who may publish
    confirmed; returns the labels of the fields confirmed."""
    flagged = {
        label: numbers for label, text in texts.items() if (numbers := find_personal_ids(text))
    }
    if flagged and not (confirmed and may_confirm):
        errors = [personal_id_error(label, numbers) for label, numbers in flagged.items()]
        if confirmed:
            errors.append(ValidationError(NOT_YOURS_TO_CONFIRM))
        raise ValidationError(errors)
    return list(flagged)


def log_personal_ids_checked(instance, *, user, fields: list[str]) -> None:
    """Who confirmed that the flagged fields hold no personal identity number. The numbers
    themselves stay out of the log, which is exported on request."""
    log(instance=instance, action=PERSONAL_IDS_LOG_ACTION, user=user, data={"fields": fields})


class PersonalIdsCheckedFormatter(LogFormatter):
    label = _("Personal identity number check")

    def format_message(self, log_entry):
        return gettext(
            "Confirmed that the flagged text is not a personal identity number: %(fields)s"
        ) % {"fields": ", ".join(log_entry.data.get("fields", []))}


class PersonalIdReview:
    """REQ-PRIV-02 on a form whose text is published: each public text field holding what looks
    like a personal identity number gets an error naming it, until a user who may publish ticks
    the confirmation box (shown only then). `flagged_fields` names the fields flagged."""

    flagged_fields: list[str] = []

    def review_personal_ids(self, flags, *, may_confirm: bool) -> None:
        # The box is about the check, not data of the record or the action.
        confirmed = self.cleaned_data.pop(PERSONAL_IDS_CHECKED, False)
        self.flagged_fields = [label for _form, _name, label, _numbers in flags]
        if not flags:
            return
        # Shown from now on, last, where the form's own template puts it.
        self.fields[PERSONAL_IDS_CHECKED] = self.fields.pop(PERSONAL_IDS_CHECKED)
        self.fields[PERSONAL_IDS_CHECKED].widget = forms.CheckboxInput()
        if confirmed and may_confirm:
            return
        for form, name, label, numbers in flags:
            form.add_error(name, personal_id_error(label, numbers))
        if confirmed:
            self.add_error(PERSONAL_IDS_CHECKED, NOT_YOURS_TO_CONFIRM)


class PublicRecordForm(ScopedFormMixin, PersonalIdReview, WagtailAdminModelForm):
    """A record whose text is public once published: checked, with its inline rows, when it is
    published. A draft is private and saved as it is. Wagtail saves a Publish pressed by a user
    without the publish permission as a draft, so whoever reaches the check may confirm."""

    personal_ids_checked = personal_ids_checked_field()

    def clean(self):
        cleaned = super().clean()
        if self._publishes():
            self.review_personal_ids(self._flags(), may_confirm=True)
        return cleaned

    def _publishes(self) -> bool:
        model = self._meta.model
        if not issubclass(model, DraftStateMixin):
            return True  # no drafts: every save is public at once
        if self.data.get("action-submit") or self.data.get("action-workflow-action"):
            # Submitted for approval, or approved from this form: the approval publishes
            # without a form of its own, so the submitter (or approver) confirms here.
            return True
        return bool(self.data.get("action-publish")) and bool(
            self.for_user
            and ModelPermissionPolicy(model).user_has_permission(self.for_user, "publish")
        )

    def _flags(self):
        flags = list(public_text_flags(self))
        for formset in self.formsets.values():
            formset.is_valid()  # cleans the rows
            rows = [
                form
                for form in formset.forms
                if not getattr(form, "cleaned_data", {}).get("DELETE")
            ]
            kind = capfirst(formset.model._meta.verbose_name)
            for number, form in enumerate(rows, 1):
                flags += public_text_flags(form, f"{kind} {number}: ")
        return flags

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if not self.flagged_fields:  # flagged and confirmed, or the form would not be saved
            return instance
        if instance.pk:
            log_personal_ids_checked(instance, user=self.for_user, fields=self.flagged_fields)
        else:  # a new page, saved by the view after the form: logged by `after_create_page`
            instance.personal_ids_confirmed = self.flagged_fields
        return instance


class PersonalIdsCheckedPanel(FieldPanel):
    """The confirmation box of a `PublicRecordForm`, shown only once the form flagged a field."""

    def __init__(self, field_name=PERSONAL_IDS_CHECKED, **kwargs):
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(getattr(self.form, "flagged_fields", None)) and super().is_shown()


def _live_rows(formset):
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class OutcomesFormMixin:
    """Every clause of the chosen motion gets exactly one outcome."""

    outcomes_relation = ""

    def clean_outcomes(self, motion):
        formset = self.formsets.get(self.outcomes_relation)
        if motion is None or formset is None or not formset.is_valid():
            return
        numbers = [row["clause_number"] for row in _live_rows(formset)]
        for error in clause_coverage_errors(
            clause_count=motion.clauses.count(), clause_numbers=numbers
        ):
            self.add_error(None, error)


class DecisionForm(OutcomesFormMixin, PublicRecordForm):
    outcomes_relation = "clause_outcomes"

    def clean(self):
        cleaned = super().clean()
        self.clean_outcomes(cleaned.get("motion"))
        votes = self.formsets.get("party_votes")
        if votes is not None and votes.is_valid() and not self.errors:
            for field in (
                "vote_method",
                "votes_for",
                "votes_against",
                "votes_abstaining",
                "votes_absent",
            ):
                setattr(self.instance, field, cleaned.get(field))
            for error in party_vote_errors(self.instance, _live_rows(votes)):
                self.add_error(None, error)
        return cleaned


class BodyForm(PublicRecordForm):
    """A municipality: the organ its proposals go to is one of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("proposal_organ")
        if field is not None:
            field.queryset = field.queryset.filter(body_id=self.instance.pk)


class MotionForm(PublicRecordForm):
    """A motion or proposal with its submitters, checked against the municipality's rules
    (`motions.submission`) as `motion_create` checks them: the admin is another way in."""

    # An edit that touches none of these is not judged again under today's rules.
    SUBMISSION_FIELDS = frozenset({"body", "kind", "term", "submitted_on"})

    def clean(self):
        cleaned = super().clean()
        body, kind = cleaned.get("body"), cleaned.get("kind")
        submitters = self.formsets.get("submitters")
        if body is None or not kind or submitters is None or not submitters.is_valid():
            return cleaned
        if kind == MotionKind.E_PROPOSAL:
            threshold, window, error = e_proposal_rules(
                body=body,
                threshold=cleaned.get("signature_threshold"),
                window_days=cleaned.get("signature_window_days"),
            )
            if error:
                self.add_error(None, error)
            cleaned.update(signature_threshold=threshold, signature_window_days=window)
        changed = submitters.has_changed() or self.SUBMISSION_FIELDS & set(self.changed_data)
        if self.instance.pk and not changed:
            return cleaned
        for error in submission_errors(
            body=body,
            kind=kind,
            term=cleaned.get("term"),
            submitted_on=cleaned.get("submitted_on"),
            submitters=_live_rows(submitters),
        ):
            self.add_error(None, error)
        return cleaned


class ProposalForm(OutcomesFormMixin, PublicRecordForm):
    outcomes_relation = "outcomes"

    def clean(self):
        cleaned = super().clean()
        self.clean_outcomes(cleaned.get("motion"))
        return cleaned
