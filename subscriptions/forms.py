from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry, services
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

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request  # the site's: a municipality's site follows only its records

    def clean_target(self):
        target = services.target_resolve(self.cleaned_data["target"])
        if (
            target is not None
            and self.request is not None
            and not registry.shown(self.request, target)
        ):
            target = None
        if target is None:
            raise forms.ValidationError(_("This cannot be followed. It may have been removed."))
        return target


class ManageLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
