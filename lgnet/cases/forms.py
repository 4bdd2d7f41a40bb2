from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.cases.models import ActionArea, Outcome
from lgnet.core.forms import DateInput


class OpenCaseForm(forms.Form):
    opened_on = forms.DateField(
        label=_("Opened on"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("It may lie in the past: cases are often recorded late."),
    )
    areas = forms.MultipleChoiceField(
        label=_("Action areas"),
        choices=ActionArea.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ActionArea.TAKING_IN_CHARGE],
    )


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    closed_on = forms.DateField(
        label=_("Closed on"), widget=DateInput(), initial=timezone.localdate
    )


class ServiceForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label="—")
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=DateInput(), initial=timezone.localdate
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
        initial=1,
        help_text=_("Times, minutes, nights or euros, as the service type counts."),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=None, required=False, empty_label="—"
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, service_types, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types
        self.fields["provider"].queryset = organisations
