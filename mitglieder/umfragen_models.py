"""Surveys of the municipalities (Umfrage, Frage, Einladung, Antwort); imported by models.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class UmfrageStatus(models.TextChoices):
    ENTWURF = "entwurf", "Entwurf"
    OFFEN = "offen", "offen"
    GESCHLOSSEN = "geschlossen", "geschlossen"


class Umfrage(models.Model):
    titel = models.CharField("Titel", max_length=200)
    beschreibung = models.TextField("Beschreibung", blank=True)
    oeffnet_am = models.DateField("offen ab")
    schliesst_am = models.DateField("offen bis")
    status = models.CharField(
        "Status", max_length=20, choices=UmfrageStatus.choices, default=UmfrageStatus.ENTWURF
    )
    beitrittsinteresse = models.BooleanField(
        "fragt das Beitrittsinteresse ab",
        default=False,
        help_text="Antworten mit Interesse können als Interessenten übernommen werden.",
    )
    max_erinnerungen = models.PositiveSmallIntegerField(
        "höchstens Erinnerungen", default=2, validators=[MaxValueValidator(10)]
    )
    erinnerung_abstand_tage = models.PositiveSmallIntegerField(
        "Mindestabstand zwischen Erinnerungen (Tage)",
        default=7,
        validators=[MaxValueValidator(365)],
    )
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Umfrage"
        verbose_name_plural = "Umfragen"
        ordering = ["-oeffnet_am", "titel"]

    def __str__(self) -> str:
        return self.titel

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.oeffnet_am and self.schliesst_am and self.schliesst_am < self.oeffnet_am:
            raise ValidationError({"schliesst_am": "Das Ende liegt vor dem Beginn der Umfrage."})

    def nimmt_antworten_an(self, heute: dt.date) -> bool:
        return self.status == UmfrageStatus.OFFEN and self.oeffnet_am <= heute <= self.schliesst_am


class Fragetyp(models.TextChoices):
    EINFACH = "einfach", "Einfachauswahl"
    MEHRFACH = "mehrfach", "Mehrfachauswahl"
    ZAHL = "zahl", "Zahl"
    DATUM = "datum", "Datum"
    TEXT = "text", "Freitext"


class Frage(models.Model):
    umfrage = models.ForeignKey(
        Umfrage, verbose_name="Umfrage", on_delete=models.CASCADE, related_name="fragen"
    )
    reihenfolge = models.PositiveSmallIntegerField(
        "Reihenfolge", default=0, validators=[MaxValueValidator(1000)]
    )
    text = models.CharField("Frage", max_length=300)
    hilfe = models.CharField("Erläuterung", max_length=300, blank=True)
    typ = models.CharField("Typ", max_length=20, choices=Fragetyp.choices)
    optionen = models.JSONField("Antwortmöglichkeiten", default=list, blank=True)
    pflicht = models.BooleanField("Pflichtfrage", default=True)
    interessefrage = models.BooleanField(
        "zeigt das Interesse an",
        default=False,
        help_text="Die Antwort „Ja“ zählt als Zustimmung (Einfachauswahl).",
    )
    abhaengig_von = models.ForeignKey(
        "self",
        verbose_name="nur zeigen nach Frage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="folgefragen",
    )
    abhaengig_werte = models.JSONField(
        "bei den Antworten", default=list, blank=True, help_text='z. B. ["Ja", "Vielleicht"]'
    )
    zahl_min = models.IntegerField(
        "kleinste Zahl", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    zahl_max = models.IntegerField(
        "größte Zahl", null=True, blank=True, validators=[MaxValueValidator(10**9)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Frage"
        verbose_name_plural = "Fragen"
        ordering = ["umfrage", "reihenfolge", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def feldname(self) -> str:
        return f"frage_{self.pk}"


class Einladung(models.Model):
    """One per authority and survey; the token in the link is the only credential."""

    umfrage = models.ForeignKey(
        Umfrage, verbose_name="Umfrage", on_delete=models.CASCADE, related_name="einladungen"
    )
    gebietskoerperschaft = models.ForeignKey(
        "mitglieder.Gebietskoerperschaft",
        verbose_name="Gebietskörperschaft",
        on_delete=models.PROTECT,
        related_name="einladungen",
    )
    token = models.CharField("Token", max_length=64, unique=True, editable=False)
    email = models.EmailField("E-Mail", blank=True)
    erstellt_am = models.DateTimeField("erstellt am", auto_now_add=True)
    versendet_am = models.DateTimeField("versendet am", null=True, blank=True)
    erinnerungen = models.PositiveSmallIntegerField(
        "Erinnerungen", default=0, validators=[MaxValueValidator(10)]
    )
    letzte_erinnerung_am = models.DateTimeField("letzte Erinnerung", null=True, blank=True)
    zurueckgezogen_am = models.DateTimeField("zurückgezogen am", null=True, blank=True)

    class Meta:
        verbose_name = "Einladung"
        verbose_name_plural = "Einladungen"
        ordering = ["umfrage", "gebietskoerperschaft__ars"]
        constraints = [
            models.UniqueConstraint(
                fields=["umfrage", "gebietskoerperschaft"], name="eine_einladung_je_koerperschaft"
            )
        ]

    def __str__(self) -> str:
        return f"{self.umfrage}: {self.gebietskoerperschaft}"


class Antwort(models.Model):
    einladung = models.OneToOneField(
        Einladung, verbose_name="Einladung", on_delete=models.CASCADE, related_name="antwort"
    )
    werte = models.JSONField("Antworten", default=dict)
    beantwortet_am = models.DateTimeField("beantwortet am", auto_now_add=True)
    geaendert_am = models.DateTimeField("zuletzt geändert", auto_now=True)
    mitglied = models.ForeignKey(
        "mitglieder.Mitglied",
        verbose_name="übernommen als Mitglied",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="umfrageantworten",
    )
    uebernommen_am = models.DateTimeField("übernommen am", null=True, blank=True)
    uebernommen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="übernommen von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Antwort"
        verbose_name_plural = "Antworten"

    def __str__(self) -> str:
        return f"Antwort {self.einladung}"
