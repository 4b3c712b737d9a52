from decimal import Decimal

from django import forms

from mitglieder.forms import DatumInput


class LeistungsabrufForm(forms.Form):
    mitglied = forms.ModelChoiceField(label="für", queryset=None, empty_label=None)
    menge = forms.DecimalField(
        label="Menge",
        min_value=Decimal("0.01"),
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


class AnnehmenForm(forms.Form):
    beginn = forms.DateField(label="Vertragsbeginn", widget=DatumInput())
    preisbindung = forms.ChoiceField(
        label="Preis",
        choices=[
            ("katalog", "folgt dem Katalogpreis"),
            ("fest", "fester Preis (heutiger Katalogpreis oder unten)"),
        ],
    )
    vereinbarter_preis = forms.DecimalField(
        label="vereinbarter Nettopreis (€)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=4,
    )


class AblehnenForm(forms.Form):
    begruendung = forms.CharField(label="Begründung", widget=forms.Textarea(attrs={"rows": 3}))


class KuendigenForm(forms.Form):
    zum = forms.DateField(label="Kündigung zum", widget=DatumInput())
    grund = forms.CharField(
        label="Grund (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MengeForm(forms.Form):
    ab = forms.DateField(label="gültig ab", widget=DatumInput())
    menge = forms.DecimalField(
        label="neue Menge",
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": "Die Menge muss größer als 0 sein."},
    )


class DokumentForm(forms.Form):
    art = forms.ChoiceField(
        label="Art",
        choices=[
            ("vertrag", "unterschriebener Vertrag"),
            ("avv", "Auftragsverarbeitungsvertrag (Art. 28 DSGVO)"),
            ("sonstiges", "sonstiges Dokument"),
        ],
    )
    datei = forms.FileField(label="Datei (PDF)")

    def clean_datei(self):
        datei = self.cleaned_data["datei"]
        if not datei.name.lower().endswith(".pdf") or datei.read(5) != b"%PDF-":
            raise forms.ValidationError("Bitte eine PDF-Datei hochladen.")
        datei.seek(0)
        if datei.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Die Datei ist größer als 20 MB.")
        return datei
