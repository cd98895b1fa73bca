from django import forms

from rfs.notify.models import Suppression


class LiftForm(forms.Form):
    note = forms.CharField(
        label="Why lift it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the person asked us to write again, or the mailbox works now.",
    )


class SuppressionFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=254, label="Address")
    reason = forms.ChoiceField(
        choices=[("", "Any reason"), *Suppression.Reason.choices], required=False
    )
    show = forms.ChoiceField(choices=[("", "Standing"), ("all", "Lifted too")], required=False)
