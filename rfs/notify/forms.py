from django import forms


class LiftForm(forms.Form):
    note = forms.CharField(
        label="Why lift it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the person asked us to write again, or the mailbox works now.",
    )
