"""Small admin forms for the lifecycle actions. Each form's `run` calls one service in
`motions.services`; the services decide what is allowed."""

import uuid

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .filters import whole_number
from .forms import (
    PersonalIdReview,
    log_personal_ids_checked,
    personal_ids_checked_field,
    public_text_flags,
)
from .models import EventKind, Meeting, Organ, OrganKind, Outcome, Referral, WriteOffGround
from .richtext import paragraphs
from .scoping import scope_choice_field, scope_queryset_fields

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
            scope_queryset_fields(self, user, "motions.change_motion")

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
    """The decision, at a meeting on record or at one registered here in the same transaction
    (the council's by default). The decision date defaults to the meeting's."""

    label = _("Register decision")
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        label=_("Meeting"),
        required=False,
        help_text=_("Or register the meeting below if it is not on record yet."),
    )
    new_meeting_on = forms.DateField(label=_("New meeting: date"), widget=DATE, required=False)
    new_meeting_organ = forms.ModelChoiceField(
        queryset=Organ.objects.none(), label=_("New meeting: organ"), required=False
    )
    new_meeting_title = forms.CharField(
        label=_("New meeting: title"), max_length=200, required=False
    )
    paragraph = forms.IntegerField(label=_("§"), min_value=1)
    decided_on = forms.DateField(
        label=_("Decided"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for the meeting's date."),
    )
    minutes_approved_on = forms.DateField(label=_("Minutes approved"), widget=DATE, required=False)
    notice_posted_on = forms.DateField(label=_("Notice posted"), widget=DATE, required=False)

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, motion=motion, **kwargs)
        organ = self.fields["new_meeting_organ"]
        organ.queryset = Organ.objects.filter(body_id=motion.body_id)
        if self.user is not None:
            scope_choice_field(organ, self.user, "motions.change_motion")
        organ.initial = deciding_organ(motion, organ.queryset)
        # The meeting the page was opened for (?meeting=), or the one the motion is scheduled for.
        chosen = whole_number(str(self.initial.get("meeting", "")))
        meeting = (
            self.fields["meeting"].queryset.filter(pk=chosen).first() if chosen else None
        ) or scheduled_meeting(motion)
        if meeting is not None:
            self.fields["meeting"].initial = meeting.pk
            self.fields["decided_on"].initial = meeting.date
        self._clause_fields(_("Outcome"))

    def clean(self):
        cleaned = super().clean()
        meeting, new_on = cleaned.get("meeting"), cleaned.get("new_meeting_on")
        if meeting and new_on:
            raise forms.ValidationError(
                _("Choose a meeting on record or register a new one, not both.")
            )
        if not meeting and not new_on:
            raise forms.ValidationError(
                _("Choose the meeting, or give the date of a new meeting to register it.")
            )
        if new_on and not cleaned.get("new_meeting_organ"):
            self.add_error("new_meeting_organ", _("Choose the organ that met."))
        return cleaned

    def run(self, user):
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith(("clause_", "new_meeting_"))
        }
        if self.cleaned_data["new_meeting_on"]:
            data["meeting"] = services.meeting_create(
                organ=self.cleaned_data["new_meeting_organ"],
                day=self.cleaned_data["new_meeting_on"],
                title=self.cleaned_data["new_meeting_title"],
                user=user,
            )
        return services.motion_decide(
            motion=self.motion, outcomes=self._outcomes(), user=user, **data
        )


def deciding_organ(motion, organs):
    """The council, or the committee the council handed a citizen proposal to."""
    handed = (
        motion.events.filter(kind=EventKind.HANDED_TO_COMMITTEE, organ__isnull=False)
        .order_by("-happened_on", "-id")
        .values_list("organ_id", flat=True)
        .first()
    )
    if handed:
        return handed
    return organs.filter(kind=OrganKind.COUNCIL).values_list("pk", flat=True).first()


def scheduled_meeting(motion):
    """The meeting the motion was last scheduled for, unless it was tabled since."""
    event = (
        motion.events.filter(kind__in=[EventKind.SCHEDULED, EventKind.TABLED])
        .select_related("meeting")
        .order_by("-happened_on", "-id")
        .first()
    )
    return event.meeting if event and event.kind == EventKind.SCHEDULED else None


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


class SignaturesForm(ActionForm):
    """An e-proposal's signature count; at its threshold it goes to the organ chosen here,
    by default the one the municipality's rules name."""

    label = _("Register signatures")
    count = forms.IntegerField(label=_("Signatures"), min_value=0)
    counted_on = forms.DateField(label=_("Counted on"), widget=DATE)
    organ = forms.ModelChoiceField(
        queryset=Organ.objects.none(),
        label=_("Organ it goes to at the threshold"),
        required=False,
    )

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, motion=motion, **kwargs)
        self.fields["organ"].initial = motion.body.proposal_organ_id
        if motion.signature_threshold is not None:
            self.fields["count"].help_text = _(
                "%(threshold)d needed by %(date)s (the rule it was submitted under)."
            ) % {"threshold": motion.signature_threshold, "date": motion.signatures_close_on}

    def run(self, user):
        return services.e_proposal_register_signatures(
            motion=self.motion, user=user, **self.cleaned_data
        )


ACTIONS = {
    "signatures": SignaturesForm,
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
