"""Time generating survey invitations for every Gemeinde of Germany.

python manage.py benchmark_einladungen GV100AD-DATEI [--wiederholungen 3]

Imports the register (when the database has none yet) and creates a survey inside a
transaction that is rolled back, then measures `einladungen_erzeugen` for all Gemeinden.
"""

import datetime as dt
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mitglieder import umfragen
from mitglieder.exporte import datenbank_version
from mitglieder.gemeindeverzeichnis import import_gemeindeverzeichnis, parse
from mitglieder.models import Gebietskoerperschaft


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Misst das Erzeugen von Umfrage-Einladungen für alle Gemeinden Deutschlands."

    def add_arguments(self, parser):
        parser.add_argument("pfad", type=Path)
        parser.add_argument("--wiederholungen", type=int, default=3)

    def handle(self, *args, pfad: Path, wiederholungen: int, **options):
        if not pfad.is_file():
            raise CommandError(f"Die Datei {pfad} gibt es nicht.")
        zeiten, anzahl = [], 0
        for _ in range(wiederholungen):
            try:
                with transaction.atomic():
                    if not Gebietskoerperschaft.objects.exists():
                        import_gemeindeverzeichnis(datei=parse(pfad))
                    umfrage = umfragen.create_umfrage(
                        titel="Benchmark",
                        oeffnet_am=dt.date(2026, 1, 1),
                        schliesst_am=dt.date(2026, 12, 31),
                    )
                    start = time.perf_counter()
                    anzahl, _ = umfragen.einladungen_erzeugen(umfrage=umfrage)
                    zeiten.append(time.perf_counter() - start)
                    raise _Rollback
            except _Rollback:
                pass
        version = datenbank_version()
        self.stdout.write(f"Datenbank: {version}")
        self.stdout.write(f"Einladungen: {anzahl} Gemeinden, {wiederholungen} Durchläufe")
        self.stdout.write(
            f"Erzeugen: Median {statistics.median(zeiten):.2f} s, min {min(zeiten):.2f} s, "
            f"max {max(zeiten):.2f} s (Ziel: unter 10 s)"
        )
