from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.core.forms import DateInput
from lgnet.housing.models import (
    Bed,
    ExitReason,
    Facility,
    HousingRequest,
    Landlord,
    MediationOutcome,
    MilestoneKind,
)


class FacilityForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Managing organisation"), queryset=None, empty_label="—"
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False, empty_label="—")

    class Meta:
        model = Facility
        fields = ["name", "kind", "organisation", "site", "address", "house_rules", "is_active"]
        widgets = {"house_rules": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisations, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["site"].queryset = sites


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=60)
    notes = forms.CharField(label=_("Notes"), max_length=250, required=False)


class BedForm(forms.ModelForm):
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False, empty_label="—")

    class Meta:
        model = Bed
        fields = ["label", "room", "is_women_only", "is_accessible", "is_family_room", "is_active"]

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class OutOfServiceForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=None, empty_label="—")
    start_date = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    end_date = forms.DateField(
        label=_("Until (excluded)"),
        widget=DateInput(),
        required=False,
        help_text=_("The first day the bed can be given again; empty if not known."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds


class BackInServiceForm(forms.Form):
    """Ends (or cancels) one of the facility's out-of-service periods."""

    period = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    end_date = forms.DateField(
        label=_("Back in service from"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("The first night the bed can be given; on or before the start: cancelled."),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class PlacementForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=None, empty_label="—")
    start_date = forms.DateField(
        label=_("First night"), widget=DateInput(), initial=timezone.localdate
    )
    end_date = forms.DateField(
        label=_("Day of leaving"),
        widget=DateInput(),
        required=False,
        help_text=_("Not a night in the bed: the day the person leaves. Empty if not known."),
    )

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = _bed_label


def _bed_label(bed: Bed) -> str:
    flags = [
        str(text)
        for on, text in (
            (bed.is_women_only, _("women only")),
            (bed.is_accessible, _("accessible")),
            (bed.is_family_room, _("family room")),
        )
        if on
    ]
    room = f" · {bed.room.name}" if bed.room_id else ""
    return f"{bed.facility.name}{room} · {bed.label}" + (f" ({', '.join(flags)})" if flags else "")


class MoveForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("New bed"), queryset=None, empty_label="—")
    on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = _bed_label


class ExtendForm(forms.Form):
    end_date = forms.DateField(
        label=_("New day of leaving"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: open-ended."),
    )


class EndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Day of leaving"), widget=DateInput(), initial=timezone.localdate
    )
    exit_reason = forms.ChoiceField(
        label=_("Exit reason"), choices=[("", "—"), *ExitReason.choices]
    )
    exit_notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


class RequestForm(forms.ModelForm):
    class Meta:
        model = HousingRequest
        fields = [
            "requested_on",
            "urgency",
            "vulnerability",
            "needs_women_only",
            "needs_accessible",
            "needs_family_room",
            "notes",
        ]
        widgets = {"requested_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate


class OfferForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=None, empty_label="—")
    start_date = forms.DateField(
        label=_("First night"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = _bed_label


class LandlordForm(forms.ModelForm):
    class Meta:
        model = Landlord
        fields = ["kind", "name", "tax_code", "email", "phone", "address", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PropertyForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=250)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=20, initial=1)
    monthly_rent = forms.DecimalField(
        label=_("Asked monthly rent (EUR)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), max_length=250, required=False)


class MediationForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *MediationOutcome.choices])
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)


class RentSupportForm(forms.Form):
    landlord = forms.ModelChoiceField(label=_("Landlord"), queryset=None, empty_label="—")
    household_size = forms.IntegerField(
        label=_("Household size"), min_value=1, max_value=20, initial=1
    )
    start_date = forms.DateField(
        label=_("First month"), widget=DateInput(), initial=timezone.localdate
    )
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=6)
    monthly_rent = forms.DecimalField(
        label=_("Monthly rent (EUR)"), max_digits=8, decimal_places=2, min_value=1
    )
    contribution = forms.DecimalField(
        label=_("Monthly contribution (EUR)"), max_digits=8, decimal_places=2, min_value=1
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, landlords, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = landlords


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=timezone.localdate)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), max_digits=8, decimal_places=2, min_value=0.01
    )
    notes = forms.CharField(label=_("Notes"), max_length=250, required=False)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=[("", "—"), *MilestoneKind.choices])
    reached_on = forms.DateField(
        label=_("Reached on"), widget=DateInput(), initial=timezone.localdate
    )
    notes = forms.CharField(label=_("Notes"), max_length=250, required=False)
