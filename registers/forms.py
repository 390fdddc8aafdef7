"""The admin import's forms: the upload, and one select per column of the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import importing


class UploadForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, empty_label=None, required=True
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, at most 10 MB."),
        error_messages={"required": _("Choose a file to import.")},
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,.txt"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class MappingForm(forms.Form):
    """A select per heading, named by its position (headings may hold any characters)."""

    def __init__(self, *args, headings: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headings = headings
        choices = [("", _("(not imported)"))] + [
            (field.key, f"{field.label} *" if field.required else str(field.label))
            for field in importing.FIELDS
        ]
        for index, heading in enumerate(headings):
            self.fields[f"column-{index}"] = forms.ChoiceField(
                label=heading,
                choices=choices,
                required=False,
                initial=initial_mapping.get(heading, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {
            heading: self.cleaned_data.get(f"column-{index}", "")
            for index, heading in enumerate(self.headings)
        }
