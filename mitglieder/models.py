"""Register of Gebietskörperschaften, Mitglieder with their lifecycle, and the share ledger.

Rules that span objects (allowed status transitions, the share invariant) live in
services.py; this module only holds fields, constraints and small derived properties.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mitglieder.validators import validate_leitweg_id


class Ebene(models.TextChoices):
    LAND = "land", "Land"
    REGIERUNGSBEZIRK = "regierungsbezirk", "Regierungsbezirk"
    KREIS = "kreis", "Kreis"
    GEMEINDEVERBAND = "gemeindeverband", "Gemeindeverband"
    GEMEINDE = "gemeinde", "Gemeinde"


class Typ(models.TextChoices):
    """Textkennzeichen of the GV100AD (record types 40, 50, 60) plus the upper levels."""

    LAND = "10", "Land"
    REGIERUNGSBEZIRK = "20", "Regierungsbezirk"
    KREISFREIE_STADT = "41", "Kreisfreie Stadt"
    STADTKREIS = "42", "Stadtkreis"
    KREIS = "43", "Kreis"
    LANDKREIS = "44", "Landkreis"
    REGIONALVERBAND = "45", "Regionalverband"
    VERBANDSFREI = "50", "Verbandsfreie Gemeinde"
    AMT = "51", "Amt"
    SAMTGEMEINDE = "52", "Samtgemeinde"
    VERBANDSGEMEINDE = "53", "Verbandsgemeinde"
    VERWALTUNGSGEMEINSCHAFT = "54", "Verwaltungsgemeinschaft"
    KIRCHSPIELSLANDGEMEINDE = "55", "Kirchspielslandgemeinde"
    VERWALTUNGSVERBAND = "56", "Verwaltungsverband"
    VG_TRAEGERMODELL = "57", "Verwaltungsgemeinschaft (Trägermodell)"
    ERFUELLENDE_GEMEINDE = "58", "Erfüllende Gemeinde"
    MARKT = "60", "Markt"
    KREISFREIE_STADT_GEMEINDE = "61", "Kreisfreie Stadt (Gemeinde)"
    STADTKREIS_GEMEINDE = "62", "Stadtkreis (Gemeinde)"
    STADT = "63", "Stadt"
    GEMEINDE = "64", "Kreisangehörige Gemeinde"
    GEMEINDEFREI_BEWOHNT = "65", "Gemeindefreies Gebiet, bewohnt"
    GEMEINDEFREI_UNBEWOHNT = "66", "Gemeindefreies Gebiet, unbewohnt"
    GROSSE_KREISSTADT = "67", "Große Kreisstadt"


# Gemeindefreie Gebiete are record type 60 but not municipalities: they are not counted.
GEMEINDEFREIE_TYPEN = (Typ.GEMEINDEFREI_BEWOHNT, Typ.GEMEINDEFREI_UNBEWOHNT)


class GebietskoerperschaftQuerySet(models.QuerySet):
    def aktiv_am(self, stichtag):
        """Authorities that existed at `stichtag` (known since, not yet dissolved)."""
        return self.filter(
            Q(gueltig_ab__isnull=True) | Q(gueltig_ab__lte=stichtag),
            Q(aufgeloest_am__isnull=True) | Q(aufgeloest_am__gt=stichtag),
        )

    def gemeinden(self):
        return self.filter(ebene=Ebene.GEMEINDE).exclude(typ__in=GEMEINDEFREIE_TYPEN)


class Gebietskoerperschaft(models.Model):
    ars = models.CharField(
        "ARS",
        max_length=12,
        unique=True,
        help_text="Amtlicher Regionalschlüssel, so weit die Ebene ihn belegt "
        "(Land 2, Regierungsbezirk 3, Kreis 5, Gemeindeverband 9, Gemeinde 12 Stellen).",
    )
    ags = models.CharField(
        "AGS",
        max_length=8,
        blank=True,
        db_index=True,
        help_text="Amtlicher Gemeindeschlüssel (Gemeinde 8, Kreis 5, Land 2 Stellen); "
        "Gemeindeverbände haben keinen.",
    )
    ebene = models.CharField("Ebene", max_length=20, choices=Ebene.choices, db_index=True)
    typ = models.CharField("Typ", max_length=2, choices=Typ.choices, db_index=True)
    name = models.CharField("Name", max_length=50)
    verwaltungssitz = models.CharField("Verwaltungssitz", max_length=50, blank=True)
    land = models.CharField("Land (Schlüssel)", max_length=2, db_index=True)
    uebergeordnet = models.ForeignKey(
        "self",
        verbose_name="übergeordnet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="untergeordnete",
    )
    kreis = models.ForeignKey(
        "self",
        verbose_name="Kreis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kreisangehoerige",
        help_text="Für Gemeinden und Gemeindeverbände: der Kreis (oder die kreisfreie Stadt).",
    )
    flaeche_ha = models.PositiveBigIntegerField("Fläche (ha)", null=True, blank=True)
    plz = models.CharField("Postleitzahl", max_length=5, blank=True)
    plz_eindeutig = models.BooleanField("nur eine Postleitzahl", default=True)
    gueltig_ab = models.DateField(
        "gültig ab",
        null=True,
        blank=True,
        help_text="Leer, wenn die Körperschaft schon im ersten importierten Stand enthalten "
        "war; sonst der Gebietsstand, mit dem sie hinzukam.",
    )
    aufgeloest_am = models.DateField(
        "aufgelöst am",
        null=True,
        blank=True,
        help_text="Gebietsstand, ab dem die Körperschaft nicht mehr im Verzeichnis steht "
        "(z. B. nach einer Fusion).",
    )
    nachfolger = models.ForeignKey(
        "self",
        verbose_name="Nachfolger",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vorgaenger",
    )
    gebietsstand = models.DateField("zuletzt enthalten im Gebietsstand")

    objects = GebietskoerperschaftQuerySet.as_manager()

    class Meta:
        verbose_name = "Gebietskörperschaft"
        verbose_name_plural = "Gebietskörperschaften"
        ordering = ["ars"]
        indexes = [models.Index(fields=["land", "ebene"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_ebene_display()}, {self.ags or self.ars})"

    @property
    def ist_aufgeloest(self) -> bool:
        return self.aufgeloest_am is not None


class Einwohnerzahl(models.Model):
    """Population at a reference date; history, never overwritten by a newer figure."""

    gebietskoerperschaft = models.ForeignKey(
        Gebietskoerperschaft,
        verbose_name="Gebietskörperschaft",
        on_delete=models.CASCADE,
        related_name="einwohnerzahlen",
    )
    stichtag = models.DateField("Stichtag")
    einwohner = models.PositiveIntegerField("Einwohner insgesamt")
    maennlich = models.PositiveIntegerField("davon männlich", null=True, blank=True)
    gebietsstand = models.DateField("aus Gebietsstand")

    class Meta:
        verbose_name = "Einwohnerzahl"
        verbose_name_plural = "Einwohnerzahlen"
        ordering = ["gebietskoerperschaft", "-stichtag"]
        constraints = [
            models.UniqueConstraint(
                fields=["gebietskoerperschaft", "stichtag"], name="einwohnerzahl_je_stichtag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.einwohner} Einwohner am {self.stichtag:%d.%m.%Y}"


class RegisterImport(models.Model):
    """One run of `gemeindeverzeichnis_import`: what it read and what it changed."""

    gebietsstand = models.DateField("Gebietsstand")
    bevoelkerungsstichtag = models.DateField("Bevölkerungsstichtag")
    land = models.CharField("nur Land", max_length=2, blank=True)
    datei = models.CharField("Datei", max_length=255)
    saetze = models.PositiveIntegerField("Datensätze")
    angelegt = models.PositiveIntegerField("angelegt")
    aktualisiert = models.PositiveIntegerField("aktualisiert")
    aufgeloest = models.PositiveIntegerField("aufgelöst")
    importiert_am = models.DateTimeField("importiert am", auto_now_add=True)

    class Meta:
        verbose_name = "Import des Gemeindeverzeichnisses"
        verbose_name_plural = "Importe des Gemeindeverzeichnisses"
        ordering = ["-importiert_am"]

    def __str__(self) -> str:
        return f"Gebietsstand {self.gebietsstand:%d.%m.%Y} ({self.datei})"


class MitgliedStatus(models.TextChoices):
    INTERESSENT = "interessent", "Interessent"
    BEITRITT_BEANTRAGT = "beitritt_beantragt", "Beitritt beantragt"
    BEITRITT_BESCHLOSSEN = "beitritt_beschlossen", "Beitritt beschlossen"
    AKTIV = "aktiv", "aktiv"
    AUSTRITT_ERKLAERT = "austritt_erklaert", "Austritt erklärt"
    AUSGESCHIEDEN = "ausgeschieden", "ausgeschieden"


class MitgliedArt(models.TextChoices):
    GEBIETSKOERPERSCHAFT = "gebietskoerperschaft", "Gebietskörperschaft"
    SONSTIGE = "sonstige", "Sonstige öffentliche Stelle"


# Master data the office may change, and the invoice data a Kommune user may change on its
# own member. Forms, serializers and services use these lists; they are defined once here.
RECHNUNGSDATEN_FELDER = (
    "leitweg_id",
    "rechnung_empfaenger",
    "rechnung_strasse",
    "rechnung_plz",
    "rechnung_ort",
)
STAMMDATEN_FELDER = ("name", "sitz", *RECHNUNGSDATEN_FELDER, "oeffentlicher_auftraggeber")


class Mitglied(models.Model):
    art = models.CharField("Art", max_length=30, choices=MitgliedArt.choices)
    gebietskoerperschaft = models.ForeignKey(
        Gebietskoerperschaft,
        verbose_name="Gebietskörperschaft",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mitgliedschaften",
    )
    name = models.CharField("Name", max_length=200)
    sitz = models.CharField("Sitz", max_length=100)
    # The current status is kept here for filtering lists in one query; it is only ever
    # written by services.change_mitglied_status together with a MitgliedStatusEintrag.
    status = models.CharField(
        "Status", max_length=30, choices=MitgliedStatus.choices, db_index=True, editable=False
    )
    leitweg_id = models.CharField(
        "Leitweg-ID",
        max_length=46,
        blank=True,
        validators=[validate_leitweg_id],
        help_text="Routing-ID für E-Rechnungen (XRechnung BT-10), z. B. 16051000-12345-67.",
    )
    rechnung_empfaenger = models.CharField("Rechnungsempfänger", max_length=200, blank=True)
    rechnung_strasse = models.CharField("Straße und Hausnummer", max_length=200, blank=True)
    rechnung_plz = models.CharField("PLZ", max_length=5, blank=True)
    rechnung_ort = models.CharField("Ort", max_length=100, blank=True)
    oeffentlicher_auftraggeber = models.BooleanField(
        "öffentlicher Auftraggeber (§ 99 GWB)", default=True
    )
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["angelegt_am"])

    class Meta:
        verbose_name = "Mitglied"
        verbose_name_plural = "Mitglieder"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gebietskoerperschaft"],
                condition=Q(gebietskoerperschaft__isnull=False),
                name="ein_mitglied_je_gebietskoerperschaft",
            ),
            models.CheckConstraint(
                condition=Q(art="sonstige") | Q(gebietskoerperschaft__isnull=False),
                name="gebietskoerperschaft_bei_art_gebietskoerperschaft",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MitgliedStatusEintrag(models.Model):
    """One dated step of a member's lifecycle."""

    mitglied = models.ForeignKey(
        Mitglied, verbose_name="Mitglied", on_delete=models.CASCADE, related_name="statushistorie"
    )
    status = models.CharField("Status", max_length=30, choices=MitgliedStatus.choices)
    datum = models.DateField("wirksam ab")
    beschluss = models.CharField(
        "Beschluss / Aktenzeichen",
        max_length=200,
        blank=True,
        help_text="z. B. Gesellschafterbeschluss vom 12.03.2025, TOP 4",
    )
    bemerkung = models.TextField("Bemerkung", blank=True)
    erfasst_am = models.DateTimeField("erfasst am", auto_now_add=True)
    erfasst_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="erfasst von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Statusschritt"
        verbose_name_plural = "Statushistorie"
        ordering = ["mitglied", "datum", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ab {self.datum:%d.%m.%Y}"


class Ansprechpartner(models.Model):
    mitglied = models.ForeignKey(
        Mitglied,
        verbose_name="Mitglied",
        on_delete=models.CASCADE,
        related_name="ansprechpartner",
    )
    name = models.CharField("Name", max_length=200)
    rolle = models.CharField(
        "Rolle", max_length=100, help_text="z. B. Bürgermeisterin, IT-Leitung, Rechnungsstelle"
    )
    email = models.EmailField("E-Mail", blank=True)
    telefon = models.CharField("Telefon", max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ansprechpartner"
        verbose_name_plural = "Ansprechpartner"
        ordering = ["mitglied", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.rolle})"


class Gesellschaft(models.Model):
    """The cooperative itself (one row). Its Stammkapital is derived from the ledger."""

    name = models.CharField("Firma", max_length=200)
    sitz = models.CharField("Sitz", max_length=100)
    registergericht = models.CharField("Registergericht", max_length=100, blank=True)
    registernummer = models.CharField("Registernummer", max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Gesellschaft"
        verbose_name_plural = "Gesellschaft"

    def __str__(self) -> str:
        return self.name


class Vorgangsart(models.TextChoices):
    AUSGABE = "ausgabe", "Ausgabe"
    UEBERTRAGUNG = "uebertragung", "Übertragung"
    TEILUNG = "teilung", "Teilung"
    ZUSAMMENLEGUNG = "zusammenlegung", "Zusammenlegung"
    EINZIEHUNG = "einziehung", "Einziehung"


class Anteilsvorgang(models.Model):
    """A dated, immutable entry in the share ledger."""

    art = models.CharField("Art", max_length=20, choices=Vorgangsart.choices)
    datum = models.DateField("wirksam am")
    referenz = models.CharField(
        "Referenz", max_length=200, help_text="z. B. UR-Nr. 1234/2025 Notar Müller, Erfurt"
    )
    bemerkung = models.TextField("Bemerkung", blank=True)
    stammkapital_aenderung = models.BigIntegerField(
        "Änderung des Stammkapitals (€)",
        default=0,
        help_text="Kapitalerhöhung positiv, Kapitalherabsetzung negativ; sonst 0.",
    )
    erfasst_am = models.DateTimeField("erfasst am", auto_now_add=True)
    erfasst_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="erfasst von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Anteilsvorgang"
        verbose_name_plural = "Anteilsvorgänge"
        ordering = ["datum", "id"]

    def __str__(self) -> str:
        return f"{self.get_art_display()} am {self.datum:%d.%m.%Y} ({self.referenz})"


class Geschaeftsanteil(models.Model):
    laufende_nummer = models.PositiveIntegerField("laufende Nummer", unique=True)
    nennbetrag = models.PositiveIntegerField("Nennbetrag (€)")

    class Meta:
        verbose_name = "Geschäftsanteil"
        verbose_name_plural = "Geschäftsanteile"
        ordering = ["laufende_nummer"]
        constraints = [
            models.CheckConstraint(condition=Q(nennbetrag__gte=1), name="nennbetrag_mindestens_1")
        ]

    def __str__(self) -> str:
        return f"Nr. {self.laufende_nummer} ({self.nennbetrag} €)"


class Anteilsbuchung(models.Model):
    """What one Vorgang did to one share: holder before and after (empty = not existing)."""

    vorgang = models.ForeignKey(
        Anteilsvorgang, verbose_name="Vorgang", on_delete=models.PROTECT, related_name="buchungen"
    )
    anteil = models.ForeignKey(
        Geschaeftsanteil, verbose_name="Anteil", on_delete=models.PROTECT, related_name="buchungen"
    )
    inhaber_vorher = models.ForeignKey(
        Mitglied,
        verbose_name="Inhaber vorher",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inhaber_nachher = models.ForeignKey(
        Mitglied,
        verbose_name="Inhaber nachher",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Anteilsbuchung"
        verbose_name_plural = "Anteilsbuchungen"
        ordering = ["vorgang__datum", "vorgang_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vorgang", "anteil"], name="eine_buchung_je_anteil"),
            models.CheckConstraint(
                condition=Q(inhaber_vorher__isnull=False) | Q(inhaber_nachher__isnull=False),
                name="buchung_bewegt_etwas",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vorgang}: {self.anteil}"


from mitglieder.umfragen_models import (  # noqa: E402 - the survey models, kept in their own file
    Antwort,
    Einladung,
    Frage,
    Fragetyp,
    Umfrage,
    UmfrageStatus,
)

__all__ = [
    "Antwort",
    "Einladung",
    "Frage",
    "Fragetyp",
    "Umfrage",
    "UmfrageStatus",
]
