"""Forms of the endorsement pages: applying, reviewing, deciding, races and money, and the
public page's filters. Forms validate; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.geography import STATE_CHOICES
from candidates.models import OfficeLevel
from endorsements.models import (
    Application,
    BackgroundCheck,
    Candidacy,
    Contribution,
    EndorsementClass,
    Office,
    Vote,
)
from rfs.accounts.models import Role, User

RACE_FIELDS = ("status", "incumbent", "committee_id", "has_opponent")
APPLICATION_FIELDS = ("date_of_birth", "previous_runs", "story", "campaign_url", "publish_consent")


class ApplicationForm(forms.Form):
    """One application for one race; the class's questions are added as fields."""

    election = forms.ModelChoiceField(queryset=None, label=_("Election"), empty_label=_("Choose…"))
    office = forms.ModelChoiceField(queryset=None, label=_("Office"), empty_label=_("Choose…"))
    status = forms.ChoiceField(
        label=_("Where is your race?"),
        choices=[
            (value, label)
            for value, label in Candidacy.Status.choices
            if value != Candidacy.Status.WITHDRAWN
        ],
    )
    incumbent = forms.BooleanField(label=_("I hold this office now"), required=False)
    committee_id = forms.CharField(
        label=_("Committee id (FEC or state)"), max_length=40, required=False
    )
    has_opponent = forms.BooleanField(label=_("An opponent has announced"), required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For the age rule; seen only by staff and reviewers."),
    )
    previous_runs = forms.IntegerField(
        label=_("How many times have you run for office before?"), min_value=0, max_value=50
    )
    story = forms.CharField(
        label=_("Why you are running, in your own words"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    campaign_url = forms.URLField(
        label=_("Campaign website"), required=False, assume_scheme="https"
    )
    publish_consent = forms.BooleanField(
        label=_(
            "If endorsed, publish my name, office, story and campaign link on the "
            "organisation's endorsements page"
        ),
        required=False,
    )

    def __init__(self, *args, endorsement_class: EndorsementClass, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.endorsement_class = endorsement_class
        elections = endorsement_class.elections.all()
        self.fields["election"].queryset = elections
        states = {e.state.lower() for e in elections}
        offices = Office.objects.none()
        for state in states:
            offices |= Office.objects.in_state(state)
        if endorsement_class.office_levels:
            offices = offices.filter(level__in=endorsement_class.office_levels)
        self.fields["office"].queryset = offices.order_by("name", "district")
        self.questions = list(endorsement_class.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.CharField(
                label=question.text, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
            )

    def race(self) -> dict:
        return {name: self.cleaned_data[name] for name in RACE_FIELDS}

    def application(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"q_{q.pk}"] for q in self.questions}


class ReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.with_role(Role.REVIEWER, Role.STAFF)
        .filter(is_active=True)
        .order_by("name", "email"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CheckForm(forms.Form):
    kind = forms.ChoiceField(choices=BackgroundCheck.Kind.choices, widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=BackgroundCheck.Status.choices)
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RubricForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (0 to {criterion.max_score})",
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.max_score,
                required=False,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label="Note", max_length=500, required=False
            )

    def scores(self) -> dict:
        return {
            c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"note_{c.pk}"])
            for c in self.criteria
        }


class VoteForm(forms.ModelForm):
    class Meta:
        model = Vote
        fields = ["choice", "comment"]
        labels = {"choice": "Your vote"}
        widgets = {"choice": forms.RadioSelect}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(s, Application.Status(s).label) for s in Application.DECISIONS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CandidacyForm(forms.ModelForm):
    class Meta:
        model = Candidacy
        fields = list(RACE_FIELDS)


class ResultForm(forms.Form):
    result = forms.ChoiceField(choices=Candidacy.Result.choices)
    vote_share = forms.DecimalField(
        label="Vote share (%)",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        required=False,
    )


class ContributionForm(forms.ModelForm):
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)

    class Meta:
        model = Contribution
        fields = ["amount", "date", "method", "committee_id"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class PublicFilterForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "Every state"), *STATE_CHOICES], required=False)
    cycle = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(
        label="Office level", choices=[("", "Every level"), *OfficeLevel.choices], required=False
    )

    def __init__(self, *args, cycles: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", "Every cycle"), *((c, c) for c in cycles)]
