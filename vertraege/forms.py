from django import forms

from mitglieder.forms import DatumInput


class LeistungsabrufForm(forms.Form):
    mitglied = forms.ModelChoiceField(label="für", queryset=None, empty_label=None)
    menge = forms.DecimalField(
        label="Menge",
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        initial=1,
        error_messages={"min_value": "Die Menge muss größer als 0 sein."},
    )
    gewuenschter_beginn = forms.DateField(label="gewünschter Beginn", widget=DatumInput())
    bemerkung = forms.CharField(
        label="Bemerkung", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, mitglieder, einheit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mitglied"].queryset = mitglieder
        # Most users act for exactly one member: then there is nothing to choose.
        self.einziges_mitglied = mitglieder.first() if len(mitglieder) == 1 else None
        if self.einziges_mitglied is not None:
            del self.fields["mitglied"]
        if einheit:
            self.fields["menge"].label = f"Menge ({einheit})"

    def clean(self):
        daten = super().clean()
        if self.einziges_mitglied is not None:
            daten["mitglied"] = self.einziges_mitglied
        return daten
