from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.activities.models import (
    Activity,
    AttendanceStatus,
    CefrLevel,
    CertificateIssuer,
    EnrolmentStatus,
)
from lgnet.core.forms import DateInput
from lgnet.people.choices import AgeBand, Sex

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
RELATED = ["organisation", "agreement", "site", "edition"]
LEVELS = [("", "—"), *CefrLevel.choices]


class ActivityForm(forms.ModelForm):
    # Declared here with no queryset: the defaults would query scoped models at import.
    organisation = forms.ModelChoiceField(label=_("Run by"), queryset=None, required=False)
    agreement = forms.ModelChoiceField(
        label=_("Under the agreement"), queryset=None, required=False
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    edition = forms.ModelChoiceField(
        label=_("Counts for the edition"), queryset=None, required=False
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations_present = forms.ModelMultipleChoiceField(
        label=_("Organisations present (events)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Minimum attendance for completion (%)"),
        min_value=0,
        max_value=100,
        initial=70,
        help_text=_("Share of the sessions held; CPIAs ask 70 to 80 %."),
    )

    field_order = [
        "kind",
        "title",
        "action_area",
        "organisation",
        "agreement",
        "site",
        "place",
        "edition",
        "start_date",
        "end_date",
        "capacity",
        "facilitators",
        "cefr_level",
        "planned_hours",
        "min_attendance_percent",
    ]

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "action_area",
            "place",
            "start_date",
            "end_date",
            "capacity",
            "cefr_level",
            "planned_hours",
            "tutor",
            "insurance",
            "insurance_from",
            "scheme",
            "allowance_amount",
            "allowance_basis",
            "hours_per_week",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "insurance_from": DateInput(),
        }

    def __init__(self, *args, organisations, agreements, sites, editions, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisations_present"].queryset = organisations
        self.fields["agreement"].queryset = agreements
        self.fields["site"].queryset = sites
        self.fields["edition"].queryset = editions
        self.fields["facilitators"].queryset = users
        self.fields["facilitators"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk:
            for name in RELATED:
                self.fields[name].initial = getattr(self.instance, name + "_id", None)
            self.fields["facilitators"].initial = list(self.instance.facilitators.all())
            self.fields["organisations_present"].initial = list(
                self.instance.organisations_present.all()
            )
            self.fields["min_attendance_percent"].initial = round(
                self.instance.min_attendance * 100
            )

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in [*self.Meta.fields, *RELATED]}
        for name in ("cefr_level", "scheme", "allowance_basis", "place", "tutor", "insurance"):
            data[name] = data[name] or ""
        from decimal import Decimal

        data["min_attendance"] = Decimal(self.cleaned_data["min_attendance_percent"]) / 100
        return data


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    start_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.25, max_value=24, decimal_places=2, initial=2
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class WeeklyForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.25, max_value=24, decimal_places=2, initial=2
    )
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("To"), widget=DateInput())
    skip = forms.CharField(
        label=_("Holidays to skip"),
        required=False,
        max_length=2000,
        help_text=_("Dates as YYYY-MM-DD, separated by spaces or commas."),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def clean_skip(self) -> list:
        from datetime import date

        days = []
        for word in self.cleaned_data["skip"].replace(",", " ").split():
            try:
                days.append(date.fromisoformat(word))
            except ValueError as error:
                raise forms.ValidationError(
                    _("%(word)s is not a date (YYYY-MM-DD).") % {"word": word}
                ) from error
        return days


class MoveSessionForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("New time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class MarkForm(forms.Form):
    enrolment = forms.IntegerField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices, required=False)
    hours = forms.DecimalField(min_value=0, max_value=24, decimal_places=2, required=False)


class EnrolForm(forms.Form):
    activity = forms.IntegerField()
    person = forms.IntegerField()


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (EnrolmentStatus.COMPLETED, _("Completed")),
            (EnrolmentStatus.DROPPED_OUT, _("Dropped out")),
            (EnrolmentStatus.NOT_ADMITTED, _("Not admitted")),
            (EnrolmentStatus.ENROLLED, _("Enrolled again")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False, help_text=_("Needed for a dropout.")
    )
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)


class LevelsForm(forms.Form):
    entry_level = forms.ChoiceField(
        label=_("Entry level (placement test)"), choices=LEVELS, required=False
    )
    exit_level = forms.ChoiceField(
        label=_("Exit level (final test)"), choices=LEVELS, required=False
    )


class HeadCountForm(forms.Form):
    """One number per sex and age band."""

    def __init__(self, *args, initial_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for sex, sex_label in Sex.choices:
            for band, band_label in AgeBand.choices:
                self.fields[f"n_{sex}_{band}"] = forms.IntegerField(
                    label=f"{sex_label} · {band_label}",
                    min_value=0,
                    max_value=100_000,
                    required=False,
                    initial=initial_counts.get((sex, band)),
                )

    def counts(self) -> list[dict]:
        return [
            {"sex": sex, "age_band": band, "count": self.cleaned_data[f"n_{sex}_{band}"] or 0}
            for sex, _label in Sex.choices
            for band, _band_label in AgeBand.choices
        ]


class LanguageCertificateForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=CefrLevel.choices)
    issuer = forms.ChoiceField(label=_("Issued by"), choices=CertificateIssuer.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EnrolmentRequestForm(forms.Form):
    name = forms.CharField(label=_("Name and surname"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed at the foot of the certificate, for example 123-ABCD-EFGH-IJKL."),
    )
