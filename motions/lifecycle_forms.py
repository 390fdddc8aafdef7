"""Small admin forms for the lifecycle actions. Each form's `run` calls one service in
`motions.services`; the services decide what is allowed."""

import uuid

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import (
    PersonalIdReview,
    log_personal_ids_checked,
    personal_ids_checked_field,
    public_text_flags,
)
from .models import Meeting, Organ, OrganKind, Outcome, Referral, WriteOffGround
from .richtext import paragraphs
from .scoping import scope_queryset_fields

DATE = forms.DateInput(attrs={"type": "date"})


def _new_request_key() -> str:
    return uuid.uuid4().hex


class ActionForm(PersonalIdReview, forms.Form):
    # Rendered with the form and sent back with it: the service refuses a second submission
    # of the same form (a double click, a retried POST), so it writes one record and one event.
    request_key = forms.CharField(widget=forms.HiddenInput, initial=_new_request_key, max_length=64)
    # What these forms write is on the motion's public page at once: its text is checked for
    # personal identity numbers, and only a user who may publish there confirms a flag.
    personal_ids_checked = personal_ids_checked_field(widget=forms.HiddenInput)
    publish_permission = "motions.publish_motion"

    def __init__(self, *args, motion, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.motion = motion
        self.user = user
        if "meeting" in self.fields:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organ__body_id=motion.body_id
            ).select_related("organ")
        if "organ" in self.fields:
            self.fields["organ"].queryset = Organ.objects.filter(body_id=motion.body_id)
        if user is not None:
            # A forged choice of a meeting or organ the user does not reach is invalid.
            scope_queryset_fields(self, user)

    def clean(self):
        cleaned = super().clean()
        self.review_personal_ids(
            list(public_text_flags(self)),
            may_confirm=bool(self.user and self.user.has_perm(self.publish_permission)),
        )
        return cleaned

    def submit(self):
        """Run the action, and log a confirmed personal identity number check with it."""
        with transaction.atomic():
            result = self.run(self.user)
            if self.flagged_fields:
                log_personal_ids_checked(self.motion, user=self.user, fields=self.flagged_fields)
        return result

    def _clause_fields(self, label):
        for number in range(1, self.motion.clauses.count() + 1):
            self.fields[f"clause_{number}"] = forms.ChoiceField(
                label=_("%(label)s, clause %(number)d") % {"label": label, "number": number},
                choices=Outcome.choices,
            )

    def _outcomes(self):
        return {
            int(k.split("_")[1]): v for k, v in self.cleaned_data.items() if k.startswith("clause_")
        }


class RaiseForm(ActionForm):
    label = _("Raise")
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Council meeting"))
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def run(self, user):
        return services.motion_raise(motion=self.motion, user=user, **self.cleaned_data)


class ReferForm(ActionForm):
    label = _("Refer")
    organ = forms.ModelChoiceField(queryset=Organ.objects.none(), label=_("Organ"))
    sent_on = forms.DateField(label=_("Sent"), widget=DATE)
    due_on = forms.DateField(label=_("Response due"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def run(self, user):
        return services.motion_refer(motion=self.motion, user=user, **self.cleaned_data)


class ResponseForm(ActionForm):
    label = _("Register response")
    referral = forms.ModelChoiceField(queryset=Referral.objects.none(), label=_("Referral"))
    answered_on = forms.DateField(label=_("Answered"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, motion=motion, **kwargs)
        self.fields["referral"].queryset = Referral.objects.filter(
            motion=motion, answered_on__isnull=True
        )

    def run(self, user):
        return services.referral_register_response(user=user, **self.cleaned_data)


class ProposalForm(ActionForm):
    label = _("Register proposal")
    publish_permission = "motions.publish_committeeproposal"
    organ = forms.ModelChoiceField(queryset=Organ.objects.none(), label=_("Proposing organ"))
    proposed_on = forms.DateField(label=_("Date"), widget=DATE)
    paragraph = forms.CharField(label=_("§ in the organ's minutes"), required=False)
    text = forms.CharField(
        label=_("Proposal"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, motion=motion, **kwargs)
        self._clause_fields(_("Proposed outcome"))

    def clean_text(self):
        # A plain textarea: what is typed is text, stored as paragraphs of rich text.
        return paragraphs(self.cleaned_data["text"])

    def run(self, user):
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("clause_")}
        return services.proposal_register(
            motion=self.motion, outcomes=self._outcomes(), user=user, **data
        )


class MeetingForm(ActionForm):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Meeting"))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(MeetingForm):
    label = _("Schedule")

    def run(self, user):
        return services.motion_schedule(motion=self.motion, user=user, **self.cleaned_data)


class TableForm(MeetingForm):
    label = _("Table")

    def run(self, user):
        return services.motion_table(motion=self.motion, user=user, **self.cleaned_data)


class SendBackForm(MeetingForm):
    label = _("Send back")

    def run(self, user):
        return services.motion_send_back(motion=self.motion, user=user, **self.cleaned_data)


class HandOverForm(MeetingForm):
    label = _("Hand to committee")
    organ = forms.ModelChoiceField(queryset=Organ.objects.none(), label=_("Deciding committee"))

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, motion=motion, **kwargs)
        self.fields["organ"].queryset = self.fields["organ"].queryset.exclude(
            kind=OrganKind.COUNCIL
        )

    def run(self, user):
        return services.motion_hand_to_committee(motion=self.motion, user=user, **self.cleaned_data)


class DecideForm(ActionForm):
    label = _("Register decision")
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Meeting"))
    paragraph = forms.IntegerField(label=_("§"), min_value=1)
    decided_on = forms.DateField(label=_("Decided"), widget=DATE)
    minutes_approved_on = forms.DateField(label=_("Minutes approved"), widget=DATE, required=False)
    notice_posted_on = forms.DateField(label=_("Notice posted"), widget=DATE, required=False)

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, motion=motion, **kwargs)
        self._clause_fields(_("Outcome"))

    def run(self, user):
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("clause_")}
        return services.motion_decide(
            motion=self.motion, outcomes=self._outcomes(), user=user, **data
        )


class WriteOffForm(ActionForm):
    label = _("Write off")
    written_off_on = forms.DateField(label=_("Date of the council's decision"), widget=DATE)
    legal_ground = forms.ChoiceField(label=_("Legal ground"), choices=WriteOffGround.choices)
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), label=_("Meeting"), required=False
    )
    paragraph = forms.CharField(label=_("§"), required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def run(self, user):
        return services.motion_write_off(motion=self.motion, user=user, **self.cleaned_data)


class WithdrawForm(ActionForm):
    label = _("Withdraw")
    withdrawn_on = forms.DateField(label=_("Withdrawn"), widget=DATE)
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def run(self, user):
        return services.motion_withdraw(motion=self.motion, user=user, **self.cleaned_data)


class CloseForm(ActionForm):
    label = _("Close")
    closed_on = forms.DateField(label=_("Closed"), widget=DATE)

    def run(self, user):
        return services.motion_close(motion=self.motion, user=user, **self.cleaned_data)


ACTIONS = {
    "raise": RaiseForm,
    "refer": ReferForm,
    "response": ResponseForm,
    "proposal": ProposalForm,
    "schedule": ScheduleForm,
    "table": TableForm,
    "send-back": SendBackForm,
    "hand-over": HandOverForm,
    "decide": DecideForm,
    "write-off": WriteOffForm,
    "withdraw": WithdrawForm,
    "close": CloseForm,
}


class ReportDateForm(forms.Form):
    as_of = forms.DateField(label=_("Motions undecided on"), widget=DATE)
