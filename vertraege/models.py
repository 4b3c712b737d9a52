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
