"""The Leistungskatalog: categories, services, prices with validity periods, SLAs.

The catalog is the same for everyone and imports no other app. What other apps attach to a
Leistung (orders, contracts) points here with on_delete=PROTECT, so a used service can only
be retired, never deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Leistungskategorie(models.Model):
    name = models.CharField("Name", max_length=100)
    slug = models.SlugField("Kurzname (URL)", max_length=100, unique=True)
    beschreibung = models.TextField("Beschreibung", blank=True)
    uebergeordnet = models.ForeignKey(
        "self",
        verbose_name="übergeordnete Kategorie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unterkategorien",
    )
    reihenfolge = models.PositiveSmallIntegerField(
        "Reihenfolge", default=0, validators=[MaxValueValidator(1000)]
    )

    class Meta:
        verbose_name = "Leistungskategorie"
        verbose_name_plural = "Leistungskategorien"
        ordering = ["reihenfolge", "name"]

    def __str__(self) -> str:
        return f"{self.uebergeordnet} › {self.name}" if self.uebergeordnet_id else self.name


class Leistungsstatus(models.TextChoices):
    GEPLANT = "geplant", "geplant"
    VERFUEGBAR = "verfuegbar", "verfügbar"
    ABGEKUENDIGT = "abgekuendigt", "abgekündigt"


class Zielgruppe(models.TextChoices):
    MITGLIEDER = "mitglieder", "nur Mitglieder"
    ALLE_KOMMUNEN = "alle_kommunen", "alle Kommunen"


class Preismodell(models.TextChoices):
    PAUSCHAL = "pauschal", "pauschal pro Jahr"
    JE_EINHEIT = "je_einheit", "je Einheit"
    JE_EINWOHNER = "je_einwohner", "je Einwohner"
    UMLAGE = "umlage", "über Umlage"
    KOSTENFREI = "kostenfrei", "kostenfrei"


class Einheit(models.TextChoices):
    ARBEITSPLATZ = "arbeitsplatz", "Arbeitsplatz"
    POSTFACH = "postfach", "Postfach"
    GB = "gb", "GB"
    LIZENZ = "lizenz", "Lizenz"
    STUNDE = "stunde", "Stunde"
    TEILNEHMER = "teilnehmer", "Teilnehmer"


class Umsatzsteuer(models.TextChoices):
    REGELSATZ = "19", "19 % Umsatzsteuer"
    ERMAESSIGT = "7", "7 % Umsatzsteuer"
    STEUERFREI = "frei", "umsatzsteuerfrei"
    NICHT_STEUERBAR = "nicht_steuerbar", "nicht steuerbar (§ 2b UStG)"


# Prices that carry an amount; the others are financed otherwise or free.
PREISMODELLE_MIT_BETRAG = {Preismodell.PAUSCHAL, Preismodell.JE_EINHEIT, Preismodell.JE_EINWOHNER}


class LeistungQuerySet(models.QuerySet):
    def verfuegbar_am(self, tag: dt.date):
        """Available: released, or retired but still running on `tag`."""
        return self.filter(
            Q(status=Leistungsstatus.VERFUEGBAR)
            | Q(status=Leistungsstatus.ABGEKUENDIGT, abgekuendigt_zum__gte=tag)
        )


class Leistung(models.Model):
    name = models.CharField("Name", max_length=200)
    slug = models.SlugField("Kurzname (URL)", max_length=200, unique=True)
    kurztext = models.CharField("Kurzbeschreibung", max_length=300)
    beschreibung = models.TextField(
        "Beschreibung", blank=True, help_text="Markdown; wird beim Anzeigen bereinigt."
    )
    kategorie = models.ForeignKey(
        Leistungskategorie,
        verbose_name="Kategorie",
        on_delete=models.PROTECT,
        related_name="leistungen",
    )
    status = models.CharField(
        "Status", max_length=20, choices=Leistungsstatus.choices, default=Leistungsstatus.GEPLANT
    )
    abgekuendigt_zum = models.DateField(
        "abgekündigt zum", null=True, blank=True, help_text="letzter Tag der Leistung"
    )
    zielgruppe = models.CharField(
        "Zielgruppe", max_length=20, choices=Zielgruppe.choices, default=Zielgruppe.MITGLIEDER
    )
    preismodell = models.CharField("Preismodell", max_length=20, choices=Preismodell.choices)
    einheit = models.CharField(
        "Einheit",
        max_length=20,
        choices=Einheit.choices,
        blank=True,
        help_text="nur beim Preismodell „je Einheit“",
    )
    umsatzsteuer = models.CharField(
        "Umsatzsteuer", max_length=20, choices=Umsatzsteuer.choices, default=Umsatzsteuer.REGELSATZ
    )
    # SLA
    verfuegbarkeit = models.DecimalField(
        "zugesagte Verfügbarkeit (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    servicezeiten = models.CharField(
        "Servicezeiten", max_length=200, blank=True, help_text="z. B. Mo–Fr 7–18 Uhr"
    )
    reaktionszeit_kritisch = models.PositiveIntegerField(
        "Reaktionszeit kritisch (Std.)", null=True, blank=True, validators=[MaxValueValidator(8760)]
    )
    reaktionszeit_hoch = models.PositiveIntegerField(
        "Reaktionszeit hoch (Std.)", null=True, blank=True, validators=[MaxValueValidator(8760)]
    )
    reaktionszeit_normal = models.PositiveIntegerField(
        "Reaktionszeit normal (Std.)", null=True, blank=True, validators=[MaxValueValidator(8760)]
    )
    reaktionszeit_niedrig = models.PositiveIntegerField(
        "Reaktionszeit niedrig (Std.)", null=True, blank=True, validators=[MaxValueValidator(8760)]
    )
    # Contract defaults
    mindestlaufzeit_monate = models.PositiveSmallIntegerField(
        "Mindestlaufzeit (Monate)", default=12, validators=[MaxValueValidator(120)]
    )
    kuendigungsfrist_monate = models.PositiveSmallIntegerField(
        "Kündigungsfrist (Monate)", default=3, validators=[MaxValueValidator(60)]
    )
    voraussetzungen = models.TextField("Voraussetzungen", blank=True)
    verwandte = models.ManyToManyField(
        "self", verbose_name="verwandte Leistungen", blank=True, symmetrical=True
    )
    verantwortlich_name = models.CharField("Ansprechpartner", max_length=200, blank=True)
    verantwortlich_email = models.EmailField("E-Mail des Ansprechpartners", blank=True)
    # Kept by a PostgreSQL trigger (migration 0002) from name, kurztext and beschreibung,
    # weighted A/B/C with the German configuration; unused (empty) on SQLite.
    suchvektor = SearchVectorField(null=True, editable=False)
    verantwortlich_telefon = models.CharField(
        "Telefon des Ansprechpartners", max_length=50, blank=True
    )

    objects = LeistungQuerySet.as_manager()

    class Meta:
        verbose_name = "Leistung"
        verbose_name_plural = "Leistungen"
        ordering = ["kategorie__reihenfolge", "kategorie__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="abgekuendigt") | Q(abgekuendigt_zum__isnull=False),
                name="abgekuendigt_mit_datum",
            ),
            models.CheckConstraint(
                condition=~Q(preismodell="je_einheit") | ~Q(einheit=""),
                name="einheit_bei_preis_je_einheit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        fehler = {}
        if self.status == Leistungsstatus.ABGEKUENDIGT and not self.abgekuendigt_zum:
            fehler["abgekuendigt_zum"] = "Eine abgekündigte Leistung braucht ihr Enddatum."
        if self.preismodell == Preismodell.JE_EINHEIT and not self.einheit:
            fehler["einheit"] = "Beim Preismodell „je Einheit“ ist die Einheit anzugeben."
        if fehler:
            raise ValidationError(fehler)

    def preis_am(self, tag: dt.date) -> Preis | None:
        """The price valid on `tag`: the latest one that has begun, unless it has an end
        before `tag`. A price runs until the next one begins. Works on prefetched `preise`."""
        begonnen = [p for p in self.preise.all() if p.gueltig_ab <= tag]
        if not begonnen:
            return None
        preis = max(begonnen, key=lambda p: p.gueltig_ab)
        return preis if preis.gueltig_bis is None or tag <= preis.gueltig_bis else None

    def naechste_preisaenderung(self, tag: dt.date) -> Preis | None:
        kuenftige = [p for p in self.preise.all() if p.gueltig_ab > tag]
        return min(kuenftige, key=lambda p: p.gueltig_ab, default=None)


class Preis(models.Model):
    leistung = models.ForeignKey(
        Leistung, verbose_name="Leistung", on_delete=models.CASCADE, related_name="preise"
    )
    gueltig_ab = models.DateField("gültig ab")
    gueltig_bis = models.DateField("gültig bis", null=True, blank=True)
    betrag = models.DecimalField(
        "Nettobetrag (€)",
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
        help_text="je Jahr, je Einheit und Jahr oder je Einwohner und Jahr – nach Preismodell",
    )

    class Meta:
        # A price runs from gueltig_ab until the next price begins (or its own gueltig_bis).
        verbose_name = "Preis"
        verbose_name_plural = "Preise"
        ordering = ["leistung", "gueltig_ab"]
        constraints = [
            models.UniqueConstraint(fields=["leistung", "gueltig_ab"], name="ein_preis_je_beginn"),
            models.CheckConstraint(
                condition=Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=models.F("gueltig_ab")),
                name="preis_ende_nach_beginn",
            ),
            models.CheckConstraint(condition=Q(betrag__gte=0), name="preis_nicht_negativ"),
        ]

    def __str__(self) -> str:
        bis = f" bis {self.gueltig_bis:%d.%m.%Y}" if self.gueltig_bis else ""
        return f"{self.betrag} € ab {self.gueltig_ab:%d.%m.%Y}{bis}"
