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
        if mitglieder.count() == 1:
            self.fields["mitglied"].widget = forms.HiddenInput()
            self.fields["mitglied"].initial = mitglieder.first()
        if einheit:
            self.fields["menge"].label = f"Menge ({einheit})"
