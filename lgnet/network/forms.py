from django import forms
from django.utils.translation import gettext_lazy as _

from lgnet.core.forms import DateInput
from lgnet.network.models import Agreement, City, Edition, Organisation, Participation, Site


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["code", "name", "starts_on", "ends_on", "fund"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class CityForm(forms.ModelForm):
    class Meta:
        model = City
        fields = ["name", "slug", "istat_code", "region", "controller"]


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["city", "budget", "target_beneficiaries"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "tax_code", "email", "phone", "is_active"]


class AgreementForm(forms.ModelForm):
    # Querysets of city-owned models are set per request (the scope is not open at import).
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=None)

    class Meta:
        model = Agreement
        fields = ["organisation", "title", "scope", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SiteForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("run by"), queryset=None, required=False)

    class Meta:
        model = Site
        fields = ["name", "kind", "organisation", "address", "is_active"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
