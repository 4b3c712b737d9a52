"""Measure the GV100AD import on the configured database, in a throw-away transaction.

python manage.py benchmark_gemeindeverzeichnis PATH [--wiederholungen 3]
"""

import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mitglieder.exporte import datenbank_version
from mitglieder.gemeindeverzeichnis import import_gemeindeverzeichnis, parse


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Misst Parsen, Erstimport und erneuten Import des ganzen Gemeindeverzeichnisses."

    def add_arguments(self, parser):
        parser.add_argument("pfad", type=Path)
        parser.add_argument("--wiederholungen", type=int, default=3)

    def handle(self, *args, pfad: Path, wiederholungen: int, **options):
        if not pfad.is_file():
            raise CommandError(f"Die Datei {pfad} gibt es nicht.")
        from mitglieder.models import Gebietskoerperschaft

        if Gebietskoerperschaft.objects.exists():
            raise CommandError(
                "Der Benchmark braucht ein leeres Register (z. B. eine frische Datenbank), "
                "damit der Erstimport gemessen wird."
            )
        messungen: dict[str, list[float]] = {"parse": [], "erstimport": [], "reimport": []}
        saetze = 0
        for _ in range(wiederholungen):
            start = time.perf_counter()
            datei = parse(pfad)
            messungen["parse"].append(time.perf_counter() - start)
            saetze = len(datei.saetze)
            try:
                with transaction.atomic():
                    start = time.perf_counter()
                    import_gemeindeverzeichnis(datei=datei)
                    messungen["erstimport"].append(time.perf_counter() - start)
                    start = time.perf_counter()
                    import_gemeindeverzeichnis(datei=parse(pfad))
                    messungen["reimport"].append(time.perf_counter() - start)
                    raise _Rollback
            except _Rollback:
                pass
        version = datenbank_version()
        self.stdout.write(f"Datenbank: {version}")
        self.stdout.write(f"Datei: {pfad.name}, {saetze} Datensätze, {wiederholungen} Durchläufe")
        for name, werte in messungen.items():
            self.stdout.write(
                f"{name:>11}: Median {statistics.median(werte):6.2f} s, "
                f"min {min(werte):6.2f} s, max {max(werte):6.2f} s"
            )
        gesamt = statistics.median(messungen["parse"]) + statistics.median(messungen["erstimport"])
        self.stdout.write(f"Parsen + Erstimport (Median): {gesamt:.2f} s (Ziel: unter 10 s)")
