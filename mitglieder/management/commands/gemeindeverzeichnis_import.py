"""python manage.py gemeindeverzeichnis_import PATH [--land 16] [--bevoelkerungsstichtag DATUM]"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mitglieder.gemeindeverzeichnis import ImportFehler, import_gemeindeverzeichnis, parse


def _datum(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"„{text}“ ist kein Datum im Format JJJJ-MM-TT.") from exc


class Command(BaseCommand):
    help = (
        "Importiert das Gemeindeverzeichnis (GV100AD) von Destatis als ZIP oder Textdatei. "
        "Ein erneuter Import derselben Datei ändert nichts; ein neuerer Stand aktualisiert "
        "Namen, ergänzt Einwohnerzahlen und markiert nicht mehr enthaltene Körperschaften "
        "als aufgelöst."
    )

    def add_arguments(self, parser):
        parser.add_argument("pfad", type=Path, help="GV100AD-Datei (.zip oder .txt)")
        parser.add_argument(
            "--land", help="nur dieses Land importieren (zweistelliger Schlüssel, z. B. 16)"
        )
        parser.add_argument(
            "--bevoelkerungsstichtag",
            type=_datum,
            help="Stichtag der Einwohnerzahlen, falls abweichend von 31.12. des Vorjahres "
            "des Gebietsstands",
        )

    def handle(self, *args, pfad: Path, land: str | None, bevoelkerungsstichtag, **options):
        if land is not None and not (len(land) == 2 and land.isdigit()):
            raise CommandError(f"--land „{land}“ ist kein zweistelliger Landesschlüssel.")
        if not pfad.is_file():
            raise CommandError(f"Die Datei {pfad} gibt es nicht.")
        try:
            datei = parse(pfad, land=land)
            ergebnis = import_gemeindeverzeichnis(
                datei=datei, bevoelkerungsstichtag=bevoelkerungsstichtag, land=land
            )
        except ImportFehler as exc:
            raise CommandError(f"Import abgebrochen, nichts wurde gespeichert. {exc}") from exc
        self.stdout.write(
            f"Gebietsstand {ergebnis.gebietsstand:%d.%m.%Y}, Einwohner zum "
            f"{ergebnis.bevoelkerungsstichtag:%d.%m.%Y}: {ergebnis.saetze} Datensätze gelesen."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"angelegt: {ergebnis.angelegt}, aktualisiert: {ergebnis.aktualisiert}, "
                f"aufgelöst: {ergebnis.aufgeloest}, neue Einwohnerzahlen: "
                f"{ergebnis.einwohnerzahlen_neu}"
            )
        )
        for satzart, anzahl in sorted(ergebnis.uebersprungen.items()):
            self.stdout.write(
                f"übersprungen: {anzahl} Datensätze der Satzart {satzart} (Regionen, nicht Teil "
                "der Verwaltungsgliederung)"
            )
