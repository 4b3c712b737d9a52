"""Orders from the catalog (Leistungsabruf); contracts and the allocation follow."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
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
