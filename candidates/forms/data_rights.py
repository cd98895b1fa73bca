from django import forms

CONFIRMATION = "ERASE"


class ErasureForm(forms.Form):
    """Erasure cannot be undone: staff type the word, or the person's name, to confirm."""

    confirm = forms.CharField(
        label=f"Type {CONFIRMATION} or the person's full name to confirm", max_length=250
    )

    def __init__(self, *args, name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split())
        if typed != CONFIRMATION and typed.casefold() != self.name.casefold():
            raise forms.ValidationError(
                f"Type {CONFIRMATION} (in capitals) or their full name exactly as shown."
            )
        return typed
