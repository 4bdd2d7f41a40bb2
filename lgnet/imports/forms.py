from django import forms
from django.utils.translation import gettext_lazy as _

from lgnet.imports.kinds import KINDS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=[(k.name, k.label) for k in KINDS.values()]
    )
    file = forms.FileField(
        label=_("Spreadsheet (XLSX, ODS or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods,.csv,.txt"}),
    )
