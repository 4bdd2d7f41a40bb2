from django import forms
from django.utils.translation import gettext_lazy as _

from lgnet.core.forms import DateInput
from lgnet.monitoring.models import PeriodReport


class OpenReportForm(forms.Form):
    edition = forms.ChoiceField(label=_("Edition"))
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        help_text=_("A month, a quarter, a half-year, a year or the whole edition."),
    )

    def __init__(self, *args, editions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(e.code, e.name) for e in editions]


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = PeriodReport
        fields = ["activities", "deviations", "problems", "staff_changes", "partner_roles"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TargetForm(forms.Form):
    city = forms.ChoiceField(label=_("City"))
    indicator = forms.ChoiceField(label=_("Indicator"))
    value = forms.DecimalField(label=_("Target"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, cities=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(c.slug, c.name) for c in cities]
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]
