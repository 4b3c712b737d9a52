"""Forms of the member pages. They validate input; the rules are in services."""

import datetime as dt

from django import forms
from django.utils import timezone

from mitglieder.models import (
    RECHNUNGSDATEN_FELDER,
    STAMMDATEN_FELDER,
    Ansprechpartner,
    Ebene,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedStatus,
    Typ,
    Vorgangsart,
)


class DatumInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MitgliedFilterForm(forms.Form):
    suche = forms.CharField(label="Suche (Name, Sitz, AGS)", required=False)
    status = forms.ChoiceField(
        label="Status", choices=[("", "alle")] + MitgliedStatus.choices, required=False
    )
    kreis = forms.ChoiceField(label="Kreis", required=False)
    typ = forms.ChoiceField(
        label="Typ",
        required=False,
        choices=[("", "alle")] + [(t.value, t.label) for t in Typ if t.value[0] in "1456"],
    )

    def __init__(self, *args, kreise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kreis"].choices = [("", "alle")] + [(k.ars, k.name) for k in kreise]


class StichtagForm(forms.Form):
    stichtag = forms.DateField(label="Stichtag", widget=DatumInput(), required=False)

    def stichtag_oder_heute(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("stichtag"):
            return self.cleaned_data["stichtag"]
        return timezone.localdate()


class StatistikForm(StichtagForm):
    land = forms.ChoiceField(label="Land")

    def __init__(self, *args, laender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["land"].choices = [(land.ars, land.name) for land in laender]


class MitgliedAnlegenForm(forms.Form):
    schluessel = forms.CharField(
        label="AGS oder ARS der Gebietskörperschaft",
        required=False,
        help_text="z. B. 16051000 für Erfurt; leer lassen bei sonstigen öffentlichen Stellen.",
    )
    name = forms.CharField(
        label="Name", required=False, help_text="nur bei sonstigen Stellen nötig"
    )
    sitz = forms.CharField(label="Sitz", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (MitgliedStatus.INTERESSENT, MitgliedStatus.INTERESSENT.label),
            (MitgliedStatus.AKTIV, "aktiv (Gründungsgesellschafter)"),
        ],
    )
    datum = forms.DateField(label="wirksam ab", widget=DatumInput())
    beschluss = forms.CharField(label="Beschluss / Aktenzeichen", required=False)

    def clean(self):
        daten = super().clean()
        schluessel = (daten.get("schluessel") or "").strip()
        daten["gebietskoerperschaft"] = None
        if schluessel:
            gk = (
                Gebietskoerperschaft.objects.filter(ars=schluessel).first()
                or Gebietskoerperschaft.objects.filter(ags=schluessel, ebene=Ebene.GEMEINDE).first()
                or Gebietskoerperschaft.objects.filter(ags=schluessel).first()
            )
            if gk is None:
                self.add_error(
                    "schluessel", f"Im Register gibt es keinen Schlüssel „{schluessel}“."
                )
            daten["gebietskoerperschaft"] = gk
        elif not daten.get("name") or not daten.get("sitz"):
            self.add_error("name", "Ohne Gebietskörperschaft sind Name und Sitz anzugeben.")
        return daten


class MitgliedStammdatenForm(forms.ModelForm):
    class Meta:
        model = Mitglied
        fields = STAMMDATEN_FELDER


class RechnungsdatenForm(MitgliedStammdatenForm):
    """What a Kommune user may change on its own member."""

    class Meta(MitgliedStammdatenForm.Meta):
        fields = RECHNUNGSDATEN_FELDER


class StatuswechselForm(forms.Form):
    status = forms.ChoiceField(label="neuer Status", choices=MitgliedStatus.choices)
    datum = forms.DateField(label="wirksam ab", widget=DatumInput())
    beschluss = forms.CharField(label="Beschluss / Aktenzeichen", required=False)
    bemerkung = forms.CharField(
        label="Bemerkung", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, moeglich: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if moeglich is not None:
            self.fields["status"].choices = [(s, MitgliedStatus(s).label) for s in moeglich]


class AnsprechpartnerForm(forms.ModelForm):
    class Meta:
        model = Ansprechpartner
        fields = ["name", "rolle", "email", "telefon"]


class NachfolgerForm(forms.Form):
    schluessel = forms.CharField(label="ARS oder AGS des Nachfolgers")

    def clean_schluessel(self):
        schluessel = self.cleaned_data["schluessel"].strip()
        gk = (
            Gebietskoerperschaft.objects.filter(ars=schluessel).first()
            or Gebietskoerperschaft.objects.filter(ags=schluessel, ebene=Ebene.GEMEINDE).first()
        )
        if gk is None:
            raise forms.ValidationError(f"Im Register gibt es keinen Schlüssel „{schluessel}“.")
        return gk


def _zahlenliste(text: str, feld: str) -> list[int]:
    werte = []
    for teil in text.replace(";", ",").split(","):
        teil = teil.strip().replace(".", "")
        if not teil:
            continue
        if not teil.isdigit():
            raise forms.ValidationError(f"{feld}: „{teil}“ ist keine ganze Zahl.")
        werte.append(int(teil))
    return werte


class AnteilsvorgangForm(forms.Form):
    art = forms.ChoiceField(label="Art des Vorgangs", choices=Vorgangsart.choices)
    datum = forms.DateField(label="wirksam am", widget=DatumInput())
    referenz = forms.CharField(label="Referenz (z. B. UR-Nr.)")
    erwerber = forms.ModelChoiceField(
        label="Erwerber",
        queryset=Mitglied.objects.order_by("name"),
        required=False,
        help_text="bei Ausgabe und Übertragung",
    )
    veraeusserer = forms.ModelChoiceField(
        label="Veräußerer",
        queryset=Mitglied.objects.order_by("name"),
        required=False,
        help_text="bei Übertragung",
    )
    anteile = forms.CharField(
        label="laufende Nummern",
        required=False,
        help_text="kommagetrennt, z. B. 3, 4 (Übertragung, Teilung, Zusammenlegung, Einziehung)",
    )
    betrag = forms.IntegerField(
        label="oder Betrag (€)",
        required=False,
        min_value=1,
        help_text="Übertragung eines Nennbetrags; der letzte Anteil wird nötigenfalls geteilt",
    )
    nennbetraege = forms.CharField(
        label="Nennbeträge (€)",
        required=False,
        help_text="kommagetrennt (Ausgabe: neue Anteile; Teilung: die Teile)",
    )
    kapitalaenderung = forms.IntegerField(
        label="Kapitalerhöhung bzw. -herabsetzung (€)",
        required=False,
        min_value=0,
        help_text="bei Ausgabe und Einziehung",
    )
    bemerkung = forms.CharField(label="Bemerkung", required=False)

    def clean_anteile(self):
        return _zahlenliste(self.cleaned_data.get("anteile") or "", "Laufende Nummern")

    def clean_nennbetraege(self):
        return _zahlenliste(self.cleaned_data.get("nennbetraege") or "", "Nennbeträge")

    def clean(self):
        daten = super().clean()
        art = daten.get("art")
        pflicht = {
            Vorgangsart.AUSGABE: ["erwerber", "nennbetraege", "kapitalaenderung"],
            Vorgangsart.UEBERTRAGUNG: ["erwerber", "veraeusserer"],
            Vorgangsart.TEILUNG: ["anteile", "nennbetraege"],
            Vorgangsart.ZUSAMMENLEGUNG: ["anteile"],
            Vorgangsart.EINZIEHUNG: ["anteile", "kapitalaenderung"],
        }.get(art, [])
        for feld in pflicht:
            if daten.get(feld) in (None, "", []) and feld not in self.errors:
                self.add_error(feld, f"Für „{Vorgangsart(art).label}“ ist dieses Feld nötig.")
        if art == Vorgangsart.UEBERTRAGUNG and not daten.get("anteile") and not daten.get("betrag"):
            self.add_error("anteile", "Geben Sie die laufenden Nummern oder einen Betrag an.")
        return daten


def fehler_ins_formular(form: forms.Form, exc) -> None:
    """A service's ValidationError onto the form: at the named field where the form has
    it, otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for feld, fehler in exc.message_dict.items():
            form.add_error(feld if feld in form.fields else None, fehler)
    else:
        form.add_error(None, exc.messages)


# ---------------------------------------------------------------------------- surveys


class AntwortForm(forms.Form):
    """The questions of a survey as one form. A follow-up question counts only when its
    condition is met: otherwise its answer is dropped and it is never required."""

    def __init__(self, *args, fragen, **kwargs):
        super().__init__(*args, **kwargs)
        from mitglieder.models import Fragetyp

        self.fragen = list(fragen)
        for frage in self.fragen:
            hilfe = frage.hilfe
            if frage.abhaengig_von_id:
                bedingung = " oder ".join(f"„{w}“" for w in frage.abhaengig_werte)
                hilfe = (
                    f"Nur zu beantworten, wenn Sie bei „{frage.abhaengig_von.text}“ {bedingung} "
                    f"gewählt haben. {hilfe}"
                ).strip()
            gemeinsam = {"label": frage.text, "required": False, "help_text": hilfe}
            if frage.typ == Fragetyp.EINFACH:
                feld = forms.ChoiceField(
                    choices=[(o, o) for o in frage.optionen], widget=forms.RadioSelect, **gemeinsam
                )
            elif frage.typ == Fragetyp.MEHRFACH:
                feld = forms.MultipleChoiceField(
                    choices=[(o, o) for o in frage.optionen],
                    widget=forms.CheckboxSelectMultiple,
                    **gemeinsam,
                )
            elif frage.typ == Fragetyp.ZAHL:
                feld = forms.IntegerField(
                    min_value=frage.zahl_min, max_value=frage.zahl_max, **gemeinsam
                )
            elif frage.typ == Fragetyp.DATUM:
                feld = forms.DateField(widget=DatumInput(), **gemeinsam)
            else:
                feld = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **gemeinsam
                )
            feld.frage = frage
            feld.pflicht = frage.pflicht
            self.fields[frage.feldname] = feld

    @staticmethod
    def initial_aus(fragen, werte: dict) -> dict:
        return {f.feldname: werte.get(str(f.pk)) for f in fragen if str(f.pk) in werte}

    def clean(self):
        daten = super().clean()
        werte = {}
        for frage in self.fragen:
            wert = daten.get(frage.feldname)
            if frage.abhaengig_von_id:
                basis = werte.get(str(frage.abhaengig_von_id))
                basis = basis if isinstance(basis, list) else [basis]
                if not set(basis) & set(frage.abhaengig_werte):
                    continue  # condition not met: the follow-up question does not count
            if wert in (None, "", []):
                if frage.pflicht and frage.feldname not in self.errors:
                    self.add_error(frage.feldname, "Bitte beantworten Sie diese Frage.")
                continue
            werte[str(frage.pk)] = wert.isoformat() if hasattr(wert, "isoformat") else wert
        daten["werte"] = werte
        return daten


class UmfrageForm(forms.ModelForm):
    class Meta:
        from mitglieder.models import Umfrage

        model = Umfrage
        fields = [
            "titel",
            "beschreibung",
            "oeffnet_am",
            "schliesst_am",
            "beitrittsinteresse",
            "max_erinnerungen",
            "erinnerung_abstand_tage",
        ]
        widgets = {"oeffnet_am": DatumInput(), "schliesst_am": DatumInput()}


class FrageForm(forms.Form):
    from mitglieder.models import Fragetyp as _Fragetyp

    text = forms.CharField(label="Frage", max_length=300)
    hilfe = forms.CharField(label="Erläuterung", required=False, max_length=300)
    typ = forms.ChoiceField(label="Typ", choices=_Fragetyp.choices)
    optionen = forms.CharField(
        label="Antwortmöglichkeiten",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="eine je Zeile (nur bei Auswahlfragen)",
    )
    pflicht = forms.BooleanField(label="Pflichtfrage", required=False, initial=True)
    interessefrage = forms.BooleanField(
        label="zeigt das Beitrittsinteresse an („Ja“)", required=False
    )
    abhaengig_von = forms.ModelChoiceField(
        label="nur zeigen nach Frage", queryset=None, required=False
    )
    abhaengig_werte = forms.CharField(
        label="bei den Antworten", required=False, help_text="kommagetrennt, z. B. Ja, Vielleicht"
    )

    def __init__(self, *args, umfrage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["abhaengig_von"].queryset = umfrage.fragen.all()

    def clean_optionen(self):
        return [z.strip() for z in self.cleaned_data["optionen"].splitlines() if z.strip()]

    def clean_abhaengig_werte(self):
        return [w.strip() for w in self.cleaned_data["abhaengig_werte"].split(",") if w.strip()]


class EinladungsForm(forms.Form):
    land = forms.CharField(label="Land (Schlüssel)", required=False, max_length=2, initial="16")
    kreis = forms.CharField(label="Kreis (Schlüssel)", required=False, max_length=5)
    typen = forms.MultipleChoiceField(
        label="Typen",
        required=False,
        choices=[
            (t.value, t.label) for t in Typ if t.value[0] == "6" and t.value not in ("65", "66")
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    mitgliedschaft = forms.ChoiceField(
        label="Mitgliedschaft",
        choices=[
            ("alle", "alle"),
            ("mitglieder", "nur Mitglieder"),
            ("nichtmitglieder", "nur Nichtmitglieder"),
        ],
    )


class AdressenForm(forms.Form):
    adressen = forms.CharField(
        label="E-Mail-Adressen",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="je Zeile: AGS oder ARS;E-Mail, z. B. 16071093;poststelle@vollersroda.example",
    )
