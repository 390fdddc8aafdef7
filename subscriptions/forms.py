from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Frequency


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    target = forms.CharField(widget=forms.HiddenInput)

    def clean_target(self):
        target = services.target_resolve(self.cleaned_data["target"])
        if target is None:
            raise forms.ValidationError(_("This cannot be followed. It may have been removed."))
        return target


class ManageLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
