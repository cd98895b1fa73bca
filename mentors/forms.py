from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.translation import gettext_lazy as _

from candidates import languages
from candidates.geography import BY_CODE, COVERAGE_CODES, STATE_CHOICES
from mentors.models import Expertise, Mentor, MentorApplication
from rfs.accounts.forms import HoneypotMixin
from rfs.accounts.models import Role, User

COVERAGE_CHOICES = sorted(((c, BY_CODE[c].name) for c in COVERAGE_CODES), key=lambda c: c[1])


class MentorProfileForm(forms.ModelForm):
    """What a mentor edits about themselves."""

    states = forms.MultipleChoiceField(
        choices=STATE_CHOICES,
        required=False,
        # Checkboxes, not a multiple select: one click without Ctrl there drops every other state.
        widget=forms.CheckboxSelectMultiple,
        help_text="The states you know well.",
    )
    expertise = forms.MultipleChoiceField(
        choices=Expertise.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = SimpleArrayField(
        forms.CharField(max_length=40),
        required=False,
        help_text="Separated by commas, e.g. English, Spanish.",
    )
    capacity = forms.IntegerField(
        min_value=0, max_value=50, help_text="How many mentees you can take at once."
    )

    class Meta:
        model = Mentor
        fields = [
            "name",
            "bio",
            "states",
            "expertise",
            "experience_level",
            "languages",
            "capacity",
            "is_available",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        labels = {"is_available": "Available for new mentees"}

    def clean_languages(self) -> list[str]:
        return languages.canonical_names(self.cleaned_data["languages"])


class MentorStaffForm(MentorProfileForm):
    """What staff edit about a mentor, including the email the mentor logs in with."""

    class Meta(MentorProfileForm.Meta):
        fields = ["name", "email", *MentorProfileForm.Meta.fields[1:]]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        clash = Mentor.objects.filter(email=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another mentor has this email.")
        # The mentor logs in with this address: it may be a staff login, never someone else's.
        login = User.objects.filter(email=email).exclude(pk=self.instance.user_id).first()
        if login is not None and (
            not login.has_role(Role.MENTOR, Role.STAFF) or hasattr(login, "mentor_profile")
        ):
            raise forms.ValidationError("This email belongs to another person's login.")
        return email


class StateLeadForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "Choose a state"), *COVERAGE_CHOICES])


class EndMentorshipForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why it ends",
        widget=forms.TextInput(attrs={"placeholder": "e.g. the candidate withdrew"}),
    )


class MentorFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name or email")
    state = forms.ChoiceField(choices=[("", "Any state"), *STATE_CHOICES], required=False)
    expertise = forms.ChoiceField(
        choices=[("", "Any expertise"), *Expertise.choices], required=False
    )
    availability = forms.ChoiceField(
        choices=[
            ("", "Everyone"),
            ("open", "Can take mentees"),
            ("full", "Full"),
            ("paused", "Paused"),
        ],
        required=False,
    )


class MentorApplicationForm(HoneypotMixin, forms.ModelForm):
    """The public page where someone offers to mentor candidates."""

    expertise = forms.MultipleChoiceField(
        label=_("Your expertise"), choices=Expertise.choices, widget=forms.CheckboxSelectMultiple
    )
    states = forms.MultipleChoiceField(
        label=_("States you know well"),
        choices=STATE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("How many candidates you could mentor at once"), min_value=1, max_value=20
    )
    languages = SimpleArrayField(
        forms.CharField(max_length=40),
        label=_("Languages you can mentor in"),
        help_text=_("Separated by commas, e.g. English, Spanish."),
    )

    class Meta:
        model = MentorApplication
        fields = [
            "name",
            "email",
            "expertise",
            "experience_level",
            "states",
            "capacity",
            "languages",
            "bio",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Email"),
            "experience_level": _("Your experience"),
            "bio": _("About you"),
        }
        help_texts = {"bio": _("The campaigns you worked on, and what you would like to pass on.")}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_languages(self) -> list[str]:
        return languages.canonical_names(self.cleaned_data["languages"])
