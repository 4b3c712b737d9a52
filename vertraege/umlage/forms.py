from decimal import Decimal

from django import forms

from mitglieder.forms import DatumInput
from vertraege.models import Kostenpool, LaufArt

CENT = Decimal(100)


class EuroFeld(forms.DecimalField):
    """Euros with cents in the form, integer cents in the model."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)


class KostenpoolForm(forms.ModelForm):
    betrag_plan = EuroFeld(label="Planbetrag (€)")
    betrag_ist = EuroFeld(label="Istbetrag (€)", required=False)
    sockel = EuroFeld(label="Sockel je Mitglied (€)", required=False, initial=0)
    mindest = EuroFeld(label="Mindestbetrag je Mitglied (€)", required=False)
    hoechst = EuroFeld(label="Höchstbetrag je Mitglied (€)", required=False)

    class Meta:
        model = Kostenpool
        fields = [
            "geschaeftsjahr",
            "name",
            "leistung",
            "schluessel",
            "mischung",
            "teilnehmerkreis",
            "teilnehmer",
            "pro_rata",
            "stichtag",
        ]
        widgets = {"stichtag": DatumInput(), "teilnehmer": forms.SelectMultiple(attrs={"size": 8})}

    EURO = {
        "betrag_plan": "betrag_plan_cent",
        "betrag_ist": "betrag_ist_cent",
        "sockel": "sockel_cent",
        "mindest": "mindest_cent",
        "hoechst": "hoechst_cent",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for feld, cent in self.EURO.items():
            wert = getattr(self.instance, cent, None)
            if wert is not None:
                self.initial[feld] = Decimal(wert) / CENT
        self.order_fields(
            [
                "geschaeftsjahr",
                "name",
                "betrag_plan",
                "betrag_ist",
                "leistung",
                "schluessel",
                "sockel",
                "mischung",
                "teilnehmerkreis",
                "teilnehmer",
                "pro_rata",
                "mindest",
                "hoechst",
                "stichtag",
            ]
        )

    def _update_errors(self, errors):
        # The model names its cent fields; the form shows them in euros.
        if hasattr(errors, "error_dict"):
            zurueck = {cent: feld for feld, cent in self.EURO.items()}
            errors.error_dict = {zurueck.get(k, k): v for k, v in errors.error_dict.items()}
        super()._update_errors(errors)

    def _post_clean(self):
        for feld, cent in self.EURO.items():
            wert = self.cleaned_data.get(feld)
            setattr(
                self.instance,
                cent,
                int(wert * CENT) if wert is not None else (0 if feld == "sockel" else None),
            )
        super()._post_clean()


class LaufForm(forms.Form):
    geschaeftsjahr = forms.IntegerField(label="Geschäftsjahr", min_value=2000, max_value=2100)
    art = forms.ChoiceField(label="Art", choices=LaufArt.choices)
    bezeichnung = forms.CharField(label="Bezeichnung", required=False)
