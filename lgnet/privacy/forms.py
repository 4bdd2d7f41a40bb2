from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.core.forms import DateInput
from lgnet.people.choices import NoticeChannel
from lgnet.privacy.models import RequestKind, RequestStatus, RetentionKind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Right exercised"), choices=RequestKind.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
    details = forms.CharField(
        label=_("What the person asks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    answer = forms.CharField(
        label=_("Answer given"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput(), required=False)


class NoticeForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the notice"), widget=forms.Select(attrs={"class": "form-select"})
    )
    channel = forms.ChoiceField(
        label=_("Given as"),
        choices=NoticeChannel.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    given_on = forms.DateField(
        label=_("Given on"),
        widget=DateInput(attrs={"class": "form-control"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)


class PolicyForm(forms.Form):
    kind = forms.ChoiceField(choices=RetentionKind.choices, widget=forms.HiddenInput)
    months = forms.IntegerField(
        label=_("Kept for (months)"),
        min_value=1,
        max_value=1200,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    is_active = forms.BooleanField(
        label=_("Applied by the daily run"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class AccessFilterForm(forms.Form):
    user = forms.ChoiceField(
        label=_("User"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    since = forms.DateField(
        label=_("From"), widget=DateInput(attrs={"class": "form-control"}), required=False
    )
    until = forms.DateField(
        label=_("To"), widget=DateInput(attrs={"class": "form-control"}), required=False
    )
    flagged = forms.BooleanField(
        label=_("Only reads outside the case team"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *[(str(u.pk), u.username) for u in users]]
