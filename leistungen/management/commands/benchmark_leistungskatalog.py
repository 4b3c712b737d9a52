"""Latency of the catalog list page and API with many services, on the configured database.

python manage.py benchmark_leistungskatalog [--anzahl 1000] [--wiederholungen 100]

The synthetic services are created inside a transaction that is rolled back at the end.
"""

import datetime as dt
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leistungen.models import Leistung, Leistungskategorie, Preis


class _Rollback(Exception):
    pass


def _perzentil(werte: list[float], p: float) -> float:
    geordnet = sorted(werte)
    return geordnet[min(len(geordnet) - 1, round(p / 100 * (len(geordnet) - 1)))]


class Command(BaseCommand):
    help = "Misst p50/p95 der Katalogseite und der Katalog-API mit vielen Leistungen."

    def add_arguments(self, parser):
        parser.add_argument("--anzahl", type=int, default=1000)
        parser.add_argument("--wiederholungen", type=int, default=100)

    def handle(self, *args, anzahl: int, wiederholungen: int, **options):
        host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
        ergebnisse = {}
        try:
            with transaction.atomic():
                self._anlegen(anzahl)
                client = Client(HTTP_HOST=host.lstrip("."))
                for name, url in [
                    ("Seite /leistungen/", "/leistungen/"),
                    ("Seite Suche", "/leistungen/?suche=Sicherheit&verfuegbar=on"),
                    ("API /api/v1/leistungen/", "/api/v1/leistungen/"),
                    ("API Suche", "/api/v1/leistungen/?suche=Sicherheit&verfuegbar=true"),
                ]:
                    ergebnisse[name] = self._messen(client, url, wiederholungen)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(
            f"Datenbank: {connection.vendor}, {anzahl} Leistungen, {wiederholungen} Anfragen je URL"
        )
        for name, (zeiten, abfragen, status) in ergebnisse.items():
            self.stdout.write(
                f"{name:<26} p50 {statistics.median(zeiten) * 1000:7.1f} ms   "
                f"p95 {_perzentil(zeiten, 95) * 1000:7.1f} ms   {abfragen} Abfragen   HTTP {status}"
            )

    def _messen(self, client: Client, url: str, wiederholungen: int):
        client.get(url)  # warm-up
        zeiten = []
        for _ in range(wiederholungen):
            start = time.perf_counter()
            antwort = client.get(url)
            zeiten.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as abfragen:
            client.get(url)
        return zeiten, len(abfragen), antwort.status_code

    def _anlegen(self, anzahl: int) -> None:
        kategorien = Leistungskategorie.objects.bulk_create(
            [
                Leistungskategorie(name=f"Benchmark {i}", slug=f"benchmark-{i}", reihenfolge=90 + i)
                for i in range(10)
            ]
        )
        woerter = ["Hosting", "Informationssicherheit", "Beratung", "Schulung", "Portal"]
        leistungen = Leistung.objects.bulk_create(
            [
                Leistung(
                    name=f"Benchmark-Leistung {i} {woerter[i % 5]}",
                    slug=f"benchmark-leistung-{i}",
                    kurztext=f"Synthetische Leistung {i} für die Messung ({woerter[(i + 2) % 5]}).",
                    beschreibung="Eine **Beschreibung** mit etwas Text. " * 10,
                    kategorie=kategorien[i % 10],
                    status="verfuegbar",
                    preismodell="je_einheit",
                    einheit="arbeitsplatz",
                )
                for i in range(anzahl)
            ]
        )
        Preis.objects.bulk_create(
            [
                Preis(
                    leistung=leistung,
                    gueltig_ab=dt.date(jahr, 1, 1),
                    betrag=Decimal("10.00") + jahr - 2026,
                )
                for leistung in leistungen
                for jahr in (2026, 2027)
            ]
        )
