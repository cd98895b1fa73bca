"""Forms of the staff candidate pages: the list's filters, notes, stage moves, CSV import."""

import csv

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from candidates.csv_files import guess_mapping, read_csv
from candidates.forms.intake import CandidateFieldsForm
from candidates.geography import STATE_CHOICES
from candidates.models import ALLOWED_MOVES, CAMPAIGN_STAGES, Need, Note, OfficeLevel, Source, Stage
from candidates.services.search import DEFAULT_SORT, SORTS


def _any(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class CandidateFilterForm(forms.Form):
    """The staff list's search box, filters and sort order (all from the query string)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Name, email, city or office; the start of a word is enough.",
    )
    stage = forms.ChoiceField(choices=_any("Any stage", Stage.choices), required=False)
    state = forms.ChoiceField(choices=_any("Any state", STATE_CHOICES), required=False)
    office_level = forms.ChoiceField(
        label="Office level", choices=_any("Any level", OfficeLevel.choices), required=False
    )
    election_year = forms.IntegerField(
        label="Election year", required=False, min_value=1900, max_value=2100
    )
    source = forms.ChoiceField(
        label="Heard about us", choices=_any("Any source", Source.choices), required=False
    )
    need = forms.ChoiceField(
        label="Help needed", choices=_any("Any help", Need.choices), required=False
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SORTS.items()], required=False
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].replace("\x00", "").strip()

    def filters(self) -> dict:
        """The valid, non-empty filters (a filter with an error beside it is not applied)."""
        data = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in data.items()
            if name != "sort" and value not in (None, "")
        }

    def sort_key(self) -> str:
        return getattr(self, "cleaned_data", {}).get("sort") or DEFAULT_SORT


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body"]
        labels = {"body": "Note"}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class StageForm(forms.Form):
    """A stage move with its reason. The menu offers the moves the pipeline allows now; the
    pipeline itself decides, so a stale page gets a clear refusal rather than a guess."""

    to = forms.ChoiceField(label="New stage", choices=Stage.choices)
    reason = forms.CharField(
        label="Reason", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, stage: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A candidate in screening is held by a volunteer's claim; moving them here would
        # leave the claim open (and the volunteer with their contact details).
        self.held_by_volunteer = stage == Stage.SCREENING
        allowed = [
            (s.value, s.label)
            for s in Stage
            if s in ALLOWED_MOVES.get(stage, set())
            and s != Stage.SCREENING
            and s not in CAMPAIGN_STAGES
            and not self.held_by_volunteer
        ]
        self.fields["to"].widget.choices = _any("Choose…", allowed)
        self.has_moves = bool(allowed)

    def clean_to(self) -> str:
        if self.held_by_volunteer:
            raise forms.ValidationError(
                "A volunteer is screening this candidate: end their claim in the screening "
                "panel on this page first."
            )
        # Screening means a volunteer holds the candidate: only a claim from the queue
        # puts someone there, or they would sit in screening with nobody to call them.
        if self.cleaned_data["to"] == Stage.SCREENING:
            raise forms.ValidationError(
                "Candidates enter screening when a volunteer claims them from the queue."
            )
        if self.cleaned_data["to"] in CAMPAIGN_STAGES:
            raise forms.ValidationError(
                "This stage follows from the candidate's races: record the filing, the "
                "endorsement or the result instead."
            )
        return self.cleaned_data["to"]


class ImportRowForm(CandidateFieldsForm):
    """One row of an earlier signup list, checked by the signup form's rules, except that
    old lists may lack a phone or a birth year: the person is still matched by email."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = False
        self.fields["birth_year"].required = False


class ImportUploadForm(forms.Form):
    """An earlier signup list as CSV. Reads and decodes it; the file itself is not kept."""

    # UTF-8 (with or without the BOM Excel writes), then Windows' Latin-1, then ISO Latin-1,
    # which decodes any bytes at all.
    ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "The first row must name the columns. UTF-8 or Latin-1, at most "
            f"{filesizeformat(settings.RFS_IMPORT_MAX_BYTES)}."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RFS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(limit)}. Split it into smaller files and import each."
            )
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(
                "This file is not plain CSV text (it may be a spreadsheet or UTF-16). "
                "Save it as “CSV UTF-8” and try again."
            )
        for encoding in self.ENCODINGS:
            try:
                self.text = raw.decode(encoding)
                self.encoding = encoding
                break
            except UnicodeDecodeError:
                continue
        try:
            header, rows = read_csv(self.text)
        except csv.Error as exc:
            raise forms.ValidationError(f"This file could not be read as CSV: {exc}.") from exc
        if not any(cell.strip() for cell in header):
            raise forms.ValidationError("The first row must name the columns; it is empty.")
        if not rows:
            raise forms.ValidationError("The file has column names but no rows to import.")
        self.header, self.rows = header, rows
        return upload


class ImportMappingForm(forms.Form):
    """Which column of the file holds each candidate field, with a guess filled in."""

    def __init__(self, *args, header: list[str], fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        guess = guess_mapping(header=header, fields=fields)
        columns = [("", "— not in the file —")] + [
            (str(index), name or f"Column {index + 1}") for index, name in enumerate(header)
        ]
        for name, label in fields:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=columns,
                required=False,
                initial=str(guess[name]) if name in guess else "",
            )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email"):
            self.add_error("email", "Choose the column that holds email addresses.")
        chosen = [value for value in data.values() if value]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Each column can fill one field only.")
        return data

    def mapping(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.cleaned_data.items() if value}
