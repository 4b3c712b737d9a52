"""Orders from the catalog (Leistungsabruf); contracts and the allocation follow."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from leistungen.models import Leistung
from mitglieder.models import Mitglied


class AbrufStatus(models.TextChoices):
    ANGEFRAGT = "angefragt", "angefragt"
    ANGENOMMEN = "angenommen", "angenommen"
    ABGELEHNT = "abgelehnt", "abgelehnt"
    ZURUECKGEZOGEN = "zurueckgezogen", "zurückgezogen"


class Leistungsabruf(models.Model):
    """A municipality's request for a service; the office accepts it (a contract follows)
    or declines it with a reason."""

    mitglied = models.ForeignKey(
        Mitglied, verbose_name="Mitglied", on_delete=models.PROTECT, related_name="leistungsabrufe"
    )
    leistung = models.ForeignKey(
        Leistung, verbose_name="Leistung", on_delete=models.PROTECT, related_name="leistungsabrufe"
    )
    menge = models.DecimalField(
        "Menge",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), "Die Menge muss größer als 0 sein.")],
    )
    gewuenschter_beginn = models.DateField("gewünschter Beginn")
    bemerkung = models.TextField("Bemerkung", blank=True)
    status = models.CharField(
        "Status", max_length=20, choices=AbrufStatus.choices, default=AbrufStatus.ANGEFRAGT
    )
    begruendung = models.TextField("Begründung der Ablehnung", blank=True)
    entschieden_am = models.DateTimeField("entschieden am", null=True, blank=True)
    entschieden_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="entschieden von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    angefragt_am = models.DateTimeField("angefragt am", auto_now_add=True)
    angefragt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="angefragt von",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Leistungsabruf"
        verbose_name_plural = "Leistungsabrufe"
        ordering = ["-angefragt_am", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(menge__gt=0), name="abruf_menge_positiv"),
        ]

    def __str__(self) -> str:
        return f"{self.leistung} für {self.mitglied} ({self.get_status_display()})"


class Preisbindung(models.TextChoices):
    KATALOG = "katalog", "folgt dem Katalogpreis"
    FEST = "fest", "fester Preis"


class Vertrag(models.Model):
    """A member's contract for a service. Quantities are dated periods (VertragsMenge);
    the status is derived from the dates: see `status_am`."""

    vertragsnummer = models.CharField("Vertragsnummer", max_length=20, unique=True)
    mitglied = models.ForeignKey(
        Mitglied, verbose_name="Mitglied", on_delete=models.PROTECT, related_name="vertraege"
    )
    leistung = models.ForeignKey(
        Leistung, verbose_name="Leistung", on_delete=models.PROTECT, related_name="vertraege"
    )
    leistungsabruf = models.OneToOneField(
        Leistungsabruf,
        verbose_name="aus Anfrage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vertrag",
    )
    beginn = models.DateField("Beginn")
    ende = models.DateField(
        "Ende", null=True, blank=True, help_text="leer: unbefristet bzw. bis zur Kündigung"
    )
    preisbindung = models.CharField(
        "Preisbindung", max_length=20, choices=Preisbindung.choices, default=Preisbindung.KATALOG
    )
    vereinbarter_preis = models.DecimalField(
        "vereinbarter Nettopreis (€)",
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="bei fester Preisbindung; sonst gilt der jeweilige Katalogpreis",
    )
    mindestlaufzeit_monate = models.PositiveSmallIntegerField(
        "Mindestlaufzeit (Monate)", validators=[MaxValueValidator(120)]
    )
    kuendigungsfrist_monate = models.PositiveSmallIntegerField(
        "Kündigungsfrist (Monate)", validators=[MaxValueValidator(60)]
    )
    verlaengerung_monate = models.PositiveSmallIntegerField(
        "automatische Verlängerung (Monate)",
        default=12,
        validators=[MaxValueValidator(60)],
        help_text="Nach der Mindestlaufzeit verlängert sich der Vertrag um diesen Zeitraum; "
        "0: läuft unbefristet weiter und ist zum Monatsende kündbar.",
    )
    gekuendigt_am = models.DateField("gekündigt am", null=True, blank=True)
    gekuendigt_durch = models.CharField(
        "gekündigt durch",
        max_length=20,
        blank=True,
        choices=[
            ("mitglied", "Mitglied"),
            ("geschaeftsstelle", "Geschäftsstelle"),
            ("austritt", "Austritt des Mitglieds"),
        ],
    )
    kuendigungsgrund = models.TextField("Kündigungsgrund", blank=True)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Vertrag"
        verbose_name_plural = "Verträge"
        # No "ende >= beginn" constraint: a contract that would only begin after its
        # member's exit is closed with ende = beginn - 1 day (not a single day of service).
        ordering = ["mitglied__name", "beginn", "vertragsnummer"]

    def __str__(self) -> str:
        return f"{self.vertragsnummer}: {self.leistung} für {self.mitglied}"

    def status_am(self, tag) -> str:
        if self.ende is not None and self.ende < tag:
            return VertragStatus.BEENDET
        if self.gekuendigt_am is not None:
            return VertragStatus.GEKUENDIGT
        return VertragStatus.AKTIV

    def menge_am(self, tag) -> Decimal | None:
        """Quantity on `tag` from prefetched `mengen` (the latest period begun)."""
        begonnen = [m for m in self.mengen.all() if m.gueltig_ab <= tag]
        return max(begonnen, key=lambda m: m.gueltig_ab).menge if begonnen else None


class VertragStatus(models.TextChoices):
    """Requests (angefragt, abgelehnt) live on Leistungsabruf; a contract is aktiv,
    gekündigt or beendet – derived from its dates, so it never goes stale."""

    ANGEFRAGT = "angefragt", "angefragt"
    AKTIV = "aktiv", "aktiv"
    GEKUENDIGT = "gekuendigt", "gekündigt"
    BEENDET = "beendet", "beendet"
    ABGELEHNT = "abgelehnt", "abgelehnt"


class VertragsMenge(models.Model):
    """The quantity from a date on, until the next period begins (history, never
    overwritten): 40 until 30 June and 55 from 1 July are two rows."""

    vertrag = models.ForeignKey(
        Vertrag, verbose_name="Vertrag", on_delete=models.CASCADE, related_name="mengen"
    )
    gueltig_ab = models.DateField("gültig ab")
    menge = models.DecimalField(
        "Menge",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), "Die Menge muss größer als 0 sein.")],
    )
    erfasst_am = models.DateTimeField("erfasst am", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Vertragsmenge"
        verbose_name_plural = "Vertragsmengen"
        ordering = ["vertrag", "gueltig_ab"]
        constraints = [
            models.UniqueConstraint(fields=["vertrag", "gueltig_ab"], name="eine_menge_je_tag"),
            models.CheckConstraint(condition=models.Q(menge__gt=0), name="vertragsmenge_positiv"),
        ]

    def __str__(self) -> str:
        return f"{self.menge} ab {self.gueltig_ab:%d.%m.%Y}"


def _dokument_pfad(instance, dateiname: str) -> str:
    return f"vertraege/{instance.vertrag.vertragsnummer}/{dateiname}"


class Vertragsdokument(models.Model):
    class Art(models.TextChoices):
        VERTRAG = "vertrag", "unterschriebener Vertrag"
        AVV = "avv", "Auftragsverarbeitungsvertrag (Art. 28 DSGVO)"
        SONSTIGES = "sonstiges", "sonstiges Dokument"

    vertrag = models.ForeignKey(
        Vertrag, verbose_name="Vertrag", on_delete=models.CASCADE, related_name="dokumente"
    )
    art = models.CharField("Art", max_length=20, choices=Art.choices)
    datei = models.FileField("Datei", upload_to=_dokument_pfad)
    hochgeladen_am = models.DateTimeField("hochgeladen am", auto_now_add=True)
    hochgeladen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="hochgeladen von",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Vertragsdokument"
        verbose_name_plural = "Vertragsdokumente"
        ordering = ["vertrag", "-hochgeladen_am"]

    def __str__(self) -> str:
        return f"{self.get_art_display()} zu {self.vertrag.vertragsnummer}"


# ---------------------------------------------------------------------------- Umlage


class Umlageschluessel(models.TextChoices):
    EINWOHNER = "einwohner", "Einwohner"
    ANTEILE = "anteile", "Geschäftsanteile"
    MENGE = "menge", "vertragliche Menge"
    GLEICH = "gleich", "gleiche Teile"
    SOCKEL_EINWOHNER = "sockel_einwohner", "Sockel + Einwohner"
    MIX = "mix", "gewichtete Mischung"


class Teilnehmerkreis(models.TextChoices):
    ALLE_AKTIVEN = "alle_aktiven", "alle im Jahr aktiven Mitglieder"
    VERTRAGSPARTNER = "vertragspartner", "Mitglieder mit Vertrag über die Leistung"
    LISTE = "liste", "ausgewählte Mitglieder"


class Kostenpool(models.Model):
    """An amount of the cooperative's cost for a fiscal year, to be allocated by one key."""

    geschaeftsjahr = models.PositiveSmallIntegerField(
        "Geschäftsjahr", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField("Name", max_length=200)
    betrag_plan_cent = models.BigIntegerField(
        "Planbetrag (Cent)", validators=[MinValueValidator(0)]
    )
    betrag_ist_cent = models.BigIntegerField(
        "Istbetrag (Cent)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    leistung = models.ForeignKey(
        Leistung,
        verbose_name="Leistung",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kostenpools",
    )
    schluessel = models.CharField(
        "Umlageschlüssel", max_length=20, choices=Umlageschluessel.choices
    )
    sockel_cent = models.BigIntegerField(
        "Sockel je Mitglied (Cent)", default=0, validators=[MinValueValidator(0)]
    )
    mischung = models.JSONField(
        "Mischung",
        default=dict,
        blank=True,
        help_text='bei „gewichtete Mischung“, z. B. {"gleich": 30, "einwohner": 70}',
    )
    teilnehmerkreis = models.CharField(
        "Teilnehmer",
        max_length=20,
        choices=Teilnehmerkreis.choices,
        default=Teilnehmerkreis.ALLE_AKTIVEN,
    )
    teilnehmer = models.ManyToManyField(
        Mitglied, verbose_name="ausgewählte Mitglieder", blank=True, related_name="+"
    )
    pro_rata = models.BooleanField(
        "anteilig nach Tagen",
        default=True,
        help_text="nach Tagen der Mitgliedschaft bzw. des Vertrags im Jahr",
    )
    mindest_cent = models.BigIntegerField(
        "Mindestbetrag je Mitglied (Cent)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    hoechst_cent = models.BigIntegerField(
        "Höchstbetrag je Mitglied (Cent)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    stichtag = models.DateField(
        "Stichtag", help_text="für Einwohnerzahl und Geschäftsanteile (z. B. 31.12. des Vorjahres)"
    )

    history = HistoricalRecords(m2m_fields=[teilnehmer])

    class Meta:
        verbose_name = "Kostenpool"
        verbose_name_plural = "Kostenpools"
        ordering = ["geschaeftsjahr", "name"]
        constraints = [
            models.UniqueConstraint(fields=["geschaeftsjahr", "name"], name="pool_name_je_jahr"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.geschaeftsjahr})"

    def clean(self):
        from django.core.exceptions import ValidationError

        fehler = {}
        if self.schluessel == Umlageschluessel.MIX:
            erlaubt = {"einwohner", "anteile", "menge", "gleich"}
            if (
                not isinstance(self.mischung, dict)
                or not self.mischung
                or set(self.mischung) - erlaubt
                or any(not isinstance(v, int) or v < 0 for v in self.mischung.values())
                or sum(self.mischung.values()) <= 0
            ):
                fehler["mischung"] = (
                    "Die Mischung nennt Schlüssel aus einwohner, anteile, menge, gleich mit "
                    'ganzzahligen Gewichten, z. B. {"gleich": 30, "einwohner": 70}.'
                )
        braucht_menge = self.schluessel == Umlageschluessel.MENGE or (
            self.schluessel == Umlageschluessel.MIX and "menge" in (self.mischung or {})
        )
        if braucht_menge and self.leistung_id is None:
            fehler["leistung"] = "Der Schlüssel „Menge“ braucht die Leistung, deren Menge zählt."
        if self.teilnehmerkreis == Teilnehmerkreis.VERTRAGSPARTNER and self.leistung_id is None:
            fehler["leistung"] = "„Mitglieder mit Vertrag“ braucht die Leistung."
        if (
            self.mindest_cent is not None
            and self.hoechst_cent is not None
            and self.mindest_cent > self.hoechst_cent
        ):
            fehler["hoechst_cent"] = "Der Höchstbetrag liegt unter dem Mindestbetrag."
        if fehler:
            raise ValidationError(fehler)


class LaufArt(models.TextChoices):
    PLAN = "plan", "Plan (Abschläge)"
    IST = "ist", "Ist (Spitzabrechnung)"


class LaufStatus(models.TextChoices):
    ENTWURF = "entwurf", "Entwurf"
    IN_BERECHNUNG = "in_berechnung", "wird berechnet"
    BERECHNET = "berechnet", "berechnet"
    FESTGESCHRIEBEN = "festgeschrieben", "festgeschrieben"


class Umlagelauf(models.Model):
    """One allocation run over the pools of a fiscal year, Plan or Ist. A calculation
    snapshots its inputs in its lines and pool rows; a frozen run never changes."""

    geschaeftsjahr = models.PositiveSmallIntegerField(
        "Geschäftsjahr", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    art = models.CharField("Art", max_length=10, choices=LaufArt.choices)
    bezeichnung = models.CharField("Bezeichnung", max_length=200)
    status = models.CharField(
        "Status", max_length=20, choices=LaufStatus.choices, default=LaufStatus.ENTWURF
    )
    fortschritt = models.PositiveSmallIntegerField(
        "Fortschritt (%)", default=0, validators=[MaxValueValidator(100)]
    )
    fortschritt_text = models.CharField("Schritt", max_length=200, blank=True)
    fehler = models.TextField("Fehler der letzten Berechnung", blank=True)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="angelegt von",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    berechnet_am = models.DateTimeField("berechnet am", null=True, blank=True)
    berechnet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="berechnet von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    festgeschrieben_am = models.DateTimeField("festgeschrieben am", null=True, blank=True)
    festgeschrieben_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="festgeschrieben von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Umlagelauf"
        verbose_name_plural = "Umlageläufe"
        ordering = ["-geschaeftsjahr", "-angelegt_am"]

    def __str__(self) -> str:
        return f"{self.bezeichnung} ({self.get_art_display()} {self.geschaeftsjahr})"


class Umlagepool(models.Model):
    """Snapshot of a pool's definition as a run used it."""

    lauf = models.ForeignKey(
        Umlagelauf, verbose_name="Lauf", on_delete=models.CASCADE, related_name="pools"
    )
    kostenpool = models.ForeignKey(
        Kostenpool,
        verbose_name="Kostenpool",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("Name", max_length=200)
    betrag_cent = models.BigIntegerField("Betrag (Cent)")
    schluessel = models.CharField(
        "Umlageschlüssel", max_length=20, choices=Umlageschluessel.choices
    )
    definition = models.JSONField("Definition", default=dict)
    basissumme = models.DecimalField("Summe der Basiswerte", max_digits=30, decimal_places=0)

    class Meta:
        verbose_name = "Pool im Lauf"
        verbose_name_plural = "Pools im Lauf"
        ordering = ["lauf", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def stichtag(self):
        import datetime as dt

        text = (self.definition or {}).get("stichtag")
        return dt.date.fromisoformat(text) if text else None


class Umlageteilnehmer(models.Model):
    """Snapshot of a member as a run saw it: name, ARS, population and shares at the
    pools' reference dates."""

    lauf = models.ForeignKey(
        Umlagelauf, verbose_name="Lauf", on_delete=models.CASCADE, related_name="teilnehmer"
    )
    mitglied = models.ForeignKey(
        Mitglied, verbose_name="Mitglied", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("Name", max_length=200)
    ars = models.CharField("ARS", max_length=12, blank=True)

    class Meta:
        verbose_name = "Teilnehmer im Lauf"
        verbose_name_plural = "Teilnehmer im Lauf"
        ordering = ["lauf", "name"]
        constraints = [
            models.UniqueConstraint(fields=["lauf", "mitglied"], name="teilnehmer_einmal_je_lauf")
        ]

    def __str__(self) -> str:
        return self.name


class Umlageposition(models.Model):
    """One line: a member's part of a pool, with the inputs it rests on.

    Lines are written only by vertraege.umlage.lauf._ersetzen, in one transaction, with the
    ids of the run, pool and participant rows it has just created. With two million lines
    per national run, database foreign-key checks at commit cost ~15 s (measured with
    benchmark_umlage), so the three references carry no database constraint; Django still
    deletes the lines with their run (on_delete=CASCADE).
    """

    # no own index on lauf: the composite (lauf, teilnehmer) index serves lookups by run
    lauf = models.ForeignKey(
        Umlagelauf,
        verbose_name="Lauf",
        on_delete=models.CASCADE,
        related_name="positionen",
        db_index=False,
        db_constraint=False,
    )
    pool = models.ForeignKey(
        Umlagepool,
        verbose_name="Pool",
        on_delete=models.CASCADE,
        related_name="positionen",
        db_constraint=False,
    )
    teilnehmer = models.ForeignKey(
        Umlageteilnehmer,
        verbose_name="Teilnehmer",
        on_delete=models.CASCADE,
        related_name="positionen",
        db_constraint=False,
    )
    tage = models.PositiveSmallIntegerField("Tage im Jahr", validators=[MaxValueValidator(366)])
    einwohner = models.BigIntegerField("Einwohner")
    anteile = models.BigIntegerField("Geschäftsanteile (€)")
    menge = models.BigIntegerField("Menge × 100 × Tage")
    basiswert = models.BigIntegerField("Basiswert")
    anteil = models.DecimalField("Anteil", max_digits=13, decimal_places=12)
    betrag_cent = models.BigIntegerField("Betrag (Cent)")
    begrenzung = models.PositiveSmallIntegerField(
        "Begrenzung",
        default=0,
        choices=[(0, "–"), (1, "Mindestbetrag"), (2, "Höchstbetrag")],
        validators=[MaxValueValidator(2)],
    )

    class Meta:
        verbose_name = "Umlageposition"
        verbose_name_plural = "Umlagepositionen"
        indexes = [models.Index(fields=["lauf", "teilnehmer"])]

    def __str__(self) -> str:
        return f"{self.teilnehmer} – {self.pool}: {self.betrag_cent / 100:.2f} €"
