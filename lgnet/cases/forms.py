from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.cases.models import (
    ActionArea,
    AttachmentKind,
    Domain,
    GoalStatus,
    Level,
    Outcome,
    Shared,
    Unit,
)
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


class AssessmentForm(forms.Form):
    """One level per domain; a domain left blank was not assessed this time."""

    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=DateInput(), initial=timezone.localdate
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Domain.choices:
            self.fields[f"level_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", "—"), *Level.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def levels(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[f"level_{value}"]
            for value in Domain.values
            if self.cleaned_data.get(f"level_{value}") is not None
        }

    def clean(self):
        data = super().clean()
        if not any(data.get(f"level_{v}") is not None for v in Domain.values):
            raise forms.ValidationError(_("Give a level for at least one domain."))
        return data


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", "—"), *Domain.choices])
    description = forms.CharField(label=_("Goal"), max_length=300)
    target_on = forms.DateField(label=_("Target date"), widget=DateInput(), required=False)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), max_length=500, required=False)


class ReviewForm(forms.Form):
    due_on = forms.DateField(label=_("Next plan review"), widget=DateInput())


class ReviewHeldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), initial=timezone.localdate)
    remarks = forms.CharField(label=_("Remarks"), max_length=500, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only the case team and the city coordinator read it; each read is logged."),
    )


class NoteEditForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partner"), queryset=None, empty_label="—")
    agreement = forms.ModelChoiceField(
        label=_("Under the agreement"), queryset=None, required=False, empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The partner reads it only if the person agreed to share the reason."),
    )
    expected_on = forms.DateField(label=_("Expected on"), widget=DateInput(), required=False)
    consent_on = forms.DateField(
        label=_("Consent given on"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("Nothing is shared with a partner without the person's consent."),
    )
    consent_shares = forms.MultipleChoiceField(
        label=_("The person agrees to share, beyond the name"),
        choices=Shared.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Shared.CONTACT, Shared.BIRTH_YEAR, Shared.LANGUAGES, Shared.REASON],
    )

    def __init__(self, *args, organisations, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["agreement"].queryset = agreements


class IncomingReferralForm(forms.Form):
    proposed_name = forms.CharField(label=_("Name and surname"), max_length=200)
    proposed_birth_year = forms.IntegerField(
        label=_("Birth year"), min_value=1900, max_value=2100, required=False
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    expected_on = forms.DateField(
        label=_("Expected on"),
        widget=DateInput(),
        required=False,
        help_text=_("For example the day of release."),
    )
    consent_on = forms.DateField(label=_("Consent given on"), widget=DateInput())


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(label=_("Reason for rejecting"), max_length=500)


class PartnerServiceForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label="—")
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=DateInput(), initial=timezone.localdate
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0.01, max_digits=10, decimal_places=2, initial=1
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, service_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, empty_label="—")

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it is"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, at most 10 MB."))


class TeamForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Action areas"),
        choices=ActionArea.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A person may enter housing or civic engagement while the case runs."),
    )
    manager = forms.ModelChoiceField(label=_("Case manager"), queryset=None, empty_label=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Team"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = colleagues
        self.fields["team"].queryset = colleagues


class ServiceTypeForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Short and stable, e.g. legal_desk.")
    )
    name_it = forms.CharField(label=_("Name (Italian)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    unit = forms.ChoiceField(label=_("Counted in"), choices=Unit.choices, initial=Unit.TIMES)
    counted_as = forms.ModelChoiceField(
        label=_("Counted as (network type)"),
        queryset=None,
        empty_label="—",
        help_text=_("Every local type counts as one of the network's, so cities count alike."),
    )

    def __init__(self, *args, network_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if network_types is None:  # the network's own catalogue: a type counts as itself
            del self.fields["counted_as"]
        else:
            self.fields["counted_as"].queryset = network_types
