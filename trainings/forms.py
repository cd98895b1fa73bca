"""Training forms: they validate what staff typed; services decide what happens."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone


class TrainingForm(forms.Form):
    topic = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


ZONES = sorted(
    {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        settings.RFS_TIME_ZONE,
    }
)


class SessionForm(forms.Form):
    starts_local = forms.DateTimeField(
        label="Date and time",
        help_text="In the time zone below.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_zone = forms.ChoiceField(label="Time zone", choices=[(z, z) for z in ZONES])
    duration_minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=600)
    capacity = forms.IntegerField(min_value=1, max_value=10000)
    link = forms.URLField(label="Online link", max_length=500, assume_scheme="https")
    facilitator = forms.CharField(max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.RFS_TIME_ZONE
        self.fields["duration_minutes"].initial = 90

    def clean(self) -> dict:
        cleaned = super().clean()
        local, zone_name = cleaned.get("starts_local"), cleaned.get("time_zone")
        if local is None or not zone_name:
            return cleaned
        zone = zoneinfo.ZoneInfo(zone_name)
        # The field read the time in the server's zone; what counts is the wall clock typed.
        local = timezone.localtime(local).replace(tzinfo=None)
        aware = local.replace(tzinfo=zone)
        utc = aware.astimezone(zoneinfo.ZoneInfo("UTC"))
        if utc.astimezone(zone).replace(tzinfo=None) != local.replace(fold=0):
            self.add_error("starts_local", "That time does not exist then: the clocks jump.")
        elif aware <= timezone.now():
            self.add_error("starts_local", "Choose a time in the future.")
        cleaned["starts_at"] = utc
        return cleaned
