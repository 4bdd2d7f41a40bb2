from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.core.forms import DateInput
from lgnet.people.choices import (
    AgeBand,
    Channel,
    Dwelling,
    Help,
    LegalStatus,
    Need,
    Outcome,
    Precision,
    Relation,
    Sex,
    Vulnerability,
    common_language_choices,
    country_choices,
    language_choices,
)
from lgnet.people.validation import clean_codice_fiscale


class ListField(forms.CharField):
    """Comma- or semicolon-separated values in one text box (aliases)."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


class PersonForm(forms.Form):
    """Registration and rectification. Only names, sex and birth date are required."""

    given_names = forms.CharField(
        label=_("Given names"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    family_names = forms.CharField(
        label=_("Family names"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(
        label=_("Birth date"),
        widget=DateInput(),
        required=False,
        help_text=_("Or, if only the year is known, the year below."),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year only"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    birth_date_precision = forms.ChoiceField(
        label=_("Birth date precision"), choices=Precision.choices, initial=Precision.DAY
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=[])
    second_nationality = forms.ChoiceField(
        label=_("Second nationality"), required=False, choices=[]
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    other_languages = ListField(
        label=_("Other languages (ISO codes)"),
        required=False,
        max_length=60,
        help_text=_("For example: ha, yo, ln."),
    )
    aliases = ListField(
        label=_("Aliases and other spellings"),
        required=False,
        help_text=_("Separate them with commas."),
    )
    original_script_name = forms.CharField(
        label=_("Name in the original script"), required=False, max_length=200
    )
    codice_fiscale = forms.CharField(
        label=_("Codice fiscale"),
        required=False,
        max_length=20,
        help_text=_("16 characters, or the 11-digit provisional code."),
    )
    legal_status = forms.ChoiceField(
        label=_("Residence permit"), choices=LegalStatus.choices, initial=LegalStatus.UNKNOWN
    )
    permit_number = forms.CharField(label=_("Permit number"), required=False, max_length=40)
    permit_expiry = forms.DateField(label=_("Permit expiry"), required=False, widget=DateInput())
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    dwelling = forms.ChoiceField(
        label=_("Dwelling"), required=False, choices=[("", "—"), *Dwelling.choices]
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities (sensitive)"),
        required=False,
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown only to the city coordinator and the case team."),
    )
    privacy_notice_on = forms.DateField(
        label=_("Privacy notice given on"), required=False, widget=DateInput()
    )
    privacy_notice_language = forms.ChoiceField(
        label=_("Privacy notice language"), required=False, choices=[]
    )

    MINIMAL = (
        "given_names",
        "family_names",
        "sex",
        "birth_date",
        "birth_year",
        "birth_date_precision",
        "nationality",
        "second_nationality",
        "languages",
        "other_languages",
        "phone",
        "dwelling",
    )

    def __init__(self, *args, minimal: bool = False, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        countries = [("", "—"), *country_choices()]
        languages = language_choices()
        self.fields["nationality"].choices = countries
        self.fields["second_nationality"].choices = countries
        self.fields["languages"].choices = common_language_choices()
        self.fields["privacy_notice_language"].choices = [("", "—"), *languages]
        if minimal:
            for name in list(self.fields):
                if name not in self.MINIMAL:
                    del self.fields[name]
        elif not sensitive:
            del self.fields["vulnerabilities"]

    def clean_codice_fiscale(self):
        return clean_codice_fiscale(self.cleaned_data.get("codice_fiscale", ""))

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The birth date is in the future."))
        return value

    def clean(self):
        data = super().clean()
        data["nationalities"] = [
            code
            for code in (data.pop("nationality", ""), data.pop("second_nationality", ""))
            if code
        ]
        data["languages"] = list(
            dict.fromkeys(
                [*data.get("languages", []), *[c.lower() for c in data.pop("other_languages", [])]]
            )
        )
        year = data.pop("birth_year", None)
        if not data.get("birth_date"):
            if year:
                data["birth_date"] = date(year, 1, 1)
                data["birth_date_precision"] = Precision.YEAR
            elif "birth_date" not in self.errors:
                self.add_error("birth_date", _("Give the birth date or at least the year."))
        return data


class ContactForm(forms.Form):
    """The street form: a few taps on a phone."""

    channel = forms.ChoiceField(
        label=_("Where"), choices=Channel.choices, widget=forms.RadioSelect, initial=Channel.STREET
    )
    site = forms.ModelChoiceField(label=_("Site or mobile unit"), queryset=None, required=False)
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, help_text=_("Street, square or landmark.")
    )
    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    anonymous_sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices]
    )
    anonymous_age_band = forms.ChoiceField(
        label=_("Age band"), required=False, choices=[("", "—"), *AgeBand.choices]
    )
    anonymous_nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=[])
    needs = forms.MultipleChoiceField(
        label=_("Needs spotted"),
        required=False,
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    help_given = forms.MultipleChoiceField(
        label=_("Immediate help given"),
        required=False,
        choices=Help.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No sensitive details here."),
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].empty_label = "—"
        self.fields["anonymous_nationality"].choices = [("", "—"), *country_choices()]


class LinkContactForm(forms.Form):
    person = forms.IntegerField(label=_("Person"), min_value=1)


class HouseholdForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    relative = forms.IntegerField(
        label=_("Registered person (number)"), required=False, min_value=1
    )
    name = forms.CharField(label=_("Name, if not registered"), required=False, max_length=200)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    lives_with = forms.BooleanField(label=_("Lives with the person"), required=False)


MERGEABLE = (
    "given_names",
    "family_names",
    "sex",
    "birth_date",
    "birth_date_precision",
    "codice_fiscale",
    "legal_status",
    "permit_number",
    "permit_expiry",
    "phone",
    "dwelling",
    "original_script_name",
    "privacy_notice_on",
)
