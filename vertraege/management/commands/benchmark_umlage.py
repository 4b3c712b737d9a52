"""National-scale allocation benchmark on the configured database.

python manage.py benchmark_umlage [--mitglieder 11000] [--pools 200] [--ohne-referenz]

Creates synthetic members (register entries, population, shares, contracts) and pools with
mixed keys for the fiscal year 2099 inside a transaction that is rolled back at the end,
then measures: reading the inputs (loader), the engine, writing the run (snapshot and
lines), the peak memory of the process, and the plain reference implementation on the same
input, with the ratio.
"""

import datetime as dt
import random
import resource
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from leistungen.models import Leistung, Leistungskategorie
from mitglieder.exporte import datenbank_version
from mitglieder.models import (
    Anteilsbuchung,
    Anteilsvorgang,
    Ebene,
    Einwohnerzahl,
    Gebietskoerperschaft,
    Geschaeftsanteil,
    Mitglied,
    MitgliedStatusEintrag,
)
from vertraege.models import Kostenpool, LaufStatus, Umlagelauf, Vertrag, VertragsMenge
from vertraege.umlage import engine, loader
from vertraege.umlage import lauf as laeufe

JAHR = 2099
SCHLUESSEL = ["einwohner", "anteile", "menge", "gleich", "sockel_einwohner", "mix"]


class _Rollback(Exception):
    pass


def _mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Misst Engine, Lauf mit Speicherung und Referenzimplementierung auf Bundesebene."

    def add_arguments(self, parser):
        parser.add_argument("--mitglieder", type=int, default=11_000)
        parser.add_argument("--pools", type=int, default=200)
        parser.add_argument("--ohne-referenz", action="store_true")

    def handle(self, *args, mitglieder: int, pools: int, ohne_referenz: bool, **options):
        if Kostenpool.objects.filter(geschaeftsjahr=JAHR).exists():
            raise CommandError(
                f"Für {JAHR} gibt es schon Kostenpools; der Benchmark braucht das Jahr frei."
            )
        zeiten: dict[str, float] = {}
        try:
            with transaction.atomic():
                start = time.perf_counter()
                self._anlegen(mitglieder, pools)
                zeiten["Testdaten anlegen"] = time.perf_counter() - start

                speicher_vorher = _mb()
                start = time.perf_counter()
                eingabe = loader.lade(geschaeftsjahr=JAHR, art="plan")
                zeiten["Eingaben lesen (loader)"] = time.perf_counter() - start
                engine_zeiten = []
                for _ in range(3):
                    start = time.perf_counter()
                    ergebnis = engine.berechne(eingabe.pools, eingabe.teilnehmer)
                    engine_zeiten.append(time.perf_counter() - start)
                zeiten["Engine (erster Lauf)"] = engine_zeiten[0]
                zeiten["Engine"] = sorted(engine_zeiten)[1]
                start = time.perf_counter()
                lauf = Umlagelauf.objects.create(
                    geschaeftsjahr=JAHR,
                    art="plan",
                    bezeichnung="Benchmark",
                    status=LaufStatus.ENTWURF,
                )
                laeufe._ersetzen(lauf, eingabe, ergebnis)
                if connection.vendor == "postgresql":
                    # foreign keys are checked at commit; this run is rolled back, so make
                    # PostgreSQL check them now and count that time too
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                zeiten["Lauf speichern"] = time.perf_counter() - start
                speicher = _mb()
                # a real run computes once: the total counts the engine's first (cold) run
                gesamt = (
                    zeiten["Eingaben lesen (loader)"]
                    + zeiten["Engine (erster Lauf)"]
                    + zeiten["Lauf speichern"]
                )
                summen_ok = ergebnis.groupby("pool_id")["betrag_cent"].sum().to_dict() == {
                    p.pool_id: p.betrag_cent for p in eingabe.pools
                }
                referenz = None if ohne_referenz else self._referenz(eingabe, ergebnis)
                raise _Rollback
        except _Rollback:
            pass

        version = datenbank_version()
        w = self.stdout.write
        w(f"Datenbank: {version}")
        positionen = f"{len(ergebnis):,}".replace(",", ".")
        w(f"Eingabe: {mitglieder} Mitglieder, {pools} Pools, {positionen} Positionen")
        for name, sekunden in zeiten.items():
            zusatz = "  (Median aus 3 Läufen)" if name == "Engine" else ""
            w(f"{name:<26} {sekunden:8.2f} s{zusatz}")
        w(f"{'Lauf gesamt (ohne Testdaten)':<26} {gesamt:8.2f} s")
        w(f"Spitzenspeicher (RSS)      {speicher:8.0f} MB (vor dem Lauf {speicher_vorher:.0f} MB)")
        w(f"Jeder Pool summiert exakt: {'ja' if summen_ok else 'NEIN'}")
        if referenz is not None:
            dauer, gleich = referenz
            faktor = dauer / zeiten["Engine"]
            w(f"{'Referenzimplementierung':<26} {dauer:8.2f} s   Engine {faktor:.0f}× schneller")
            w(f"Referenz und Engine stimmen überein: {'ja' if gleich else 'NEIN'}")

    def _referenz(self, eingabe, ergebnis) -> tuple[float, bool]:
        # The plain reference lives with the tests; it is imported only here.
        from tests.vertraege.umlage import referenz

        zeilen = eingabe.teilnehmer.to_dict("records")
        je_pool: dict[int, list[dict]] = {}
        for z in zeilen:
            je_pool.setdefault(z["pool_id"], []).append(z)
        start = time.perf_counter()
        ergebnisse = {}
        for pool in eingabe.pools:
            ergebnisse[pool.pool_id] = referenz.verteile(
                {
                    "betrag_cent": pool.betrag_cent,
                    "schluessel": pool.schluessel,
                    "pro_rata": pool.pro_rata,
                    "sockel_cent": pool.sockel_cent,
                    "mix": pool.mix,
                    "mindest_cent": pool.mindest_cent,
                    "hoechst_cent": pool.hoechst_cent,
                },
                je_pool.get(pool.pool_id, []),
            )
        dauer = time.perf_counter() - start
        engine_ergebnis = {
            (p, m): b
            for p, m, b in zip(
                ergebnis["pool_id"].tolist(),
                ergebnis["mitglied_id"].tolist(),
                ergebnis["betrag_cent"].tolist(),
                strict=True,
            )
        }
        gleich = all(
            engine_ergebnis[(pid, m)] == b
            for pid, werte in ergebnisse.items()
            for m, b in werte.items()
        )
        return dauer, gleich

    def _anlegen(self, anzahl: int, pools: int) -> None:
        z = random.Random(2099)
        land = Gebietskoerperschaft.objects.create(
            ars="99",
            ags="99",
            ebene=Ebene.LAND,
            typ="10",
            name="Benchmarkland",
            land="99",
            gebietsstand=dt.date(JAHR, 1, 1),
        )
        gks = Gebietskoerperschaft.objects.bulk_create(
            [
                Gebietskoerperschaft(
                    ars=f"99{i:010d}",
                    ags=f"99{i:06d}",
                    ebene=Ebene.GEMEINDE,
                    typ="64",
                    name=f"Gemeinde {i}",
                    land="99",
                    uebergeordnet=land,
                    gebietsstand=dt.date(JAHR, 1, 1),
                )
                for i in range(anzahl)
            ],
            batch_size=5000,
        )
        Einwohnerzahl.objects.bulk_create(
            [
                Einwohnerzahl(
                    gebietskoerperschaft=gk,
                    stichtag=dt.date(JAHR - 1, 12, 31),
                    einwohner=int(z.paretovariate(1.2) * 300),
                    gebietsstand=dt.date(JAHR, 1, 1),
                )
                for gk in gks
            ],
            batch_size=5000,
        )
        mitglieder = Mitglied.objects.bulk_create(
            [
                Mitglied(
                    art="gebietskoerperschaft",
                    gebietskoerperschaft=gk,
                    name=gk.name,
                    sitz=gk.name,
                    status="aktiv",
                )
                for gk in gks
            ],
            batch_size=5000,
        )
        MitgliedStatusEintrag.objects.bulk_create(
            [
                MitgliedStatusEintrag(
                    mitglied=m,
                    status="aktiv",
                    datum=dt.date(JAHR, z.randint(1, 12), 1) if i % 7 == 0 else dt.date(2020, 1, 1),
                )
                for i, m in enumerate(mitglieder)
            ],
            batch_size=5000,
        )
        vorgang = Anteilsvorgang.objects.create(
            art="ausgabe",
            datum=dt.date(2020, 1, 1),
            referenz="Benchmark",
            stammkapital_aenderung=0,
        )
        start_nr = (
            Geschaeftsanteil.objects.order_by("-laufende_nummer")
            .values_list("laufende_nummer", flat=True)
            .first()
            or 0
        ) + 1
        anteile = Geschaeftsanteil.objects.bulk_create(
            [
                Geschaeftsanteil(
                    laufende_nummer=start_nr + i, nennbetrag=z.choice([500, 1000, 2500])
                )
                for i in range(anzahl)
            ],
            batch_size=5000,
        )
        Anteilsbuchung.objects.bulk_create(
            [
                Anteilsbuchung(vorgang=vorgang, anteil=a, inhaber_nachher=m)
                for a, m in zip(anteile, mitglieder, strict=True)
            ],
            batch_size=5000,
        )
        kategorie = Leistungskategorie.objects.create(name="Benchmark", slug="benchmark-umlage")
        leistungen = [
            Leistung.objects.create(
                name=f"Benchmark {i}",
                slug=f"benchmark-umlage-{i}",
                kurztext="x",
                kategorie=kategorie,
                status="verfuegbar",
                preismodell="je_einheit",
                einheit="arbeitsplatz",
            )
            for i in range(3)
        ]
        vertraege = Vertrag.objects.bulk_create(
            [
                Vertrag(
                    vertragsnummer=f"B-{i}-{m.id}",
                    mitglied=m,
                    leistung=leistungen[i],
                    beginn=dt.date(JAHR, 1, 1) if m.id % 3 else dt.date(JAHR, 4, 1),
                    mindestlaufzeit_monate=12,
                    kuendigungsfrist_monate=3,
                )
                for i in range(3)
                for m in mitglieder
                if (m.id + i) % 3 == 0
            ],
            batch_size=5000,
        )
        mengen = []
        for v in vertraege:
            mengen.append(
                VertragsMenge(vertrag=v, gueltig_ab=v.beginn, menge=Decimal(z.randint(1, 500)))
            )
            if v.id % 4 == 0:
                mengen.append(
                    VertragsMenge(
                        vertrag=v, gueltig_ab=dt.date(JAHR, 7, 1), menge=Decimal(z.randint(1, 500))
                    )
                )
        VertragsMenge.objects.bulk_create(mengen, batch_size=5000)
        neu = []
        for p in range(pools):
            schluessel = SCHLUESSEL[p % len(SCHLUESSEL)]
            betrag = z.randint(10**6, 5 * 10**8)
            neu.append(
                Kostenpool(
                    geschaeftsjahr=JAHR,
                    name=f"Pool {p:03d}",
                    betrag_plan_cent=betrag,
                    schluessel=schluessel,
                    leistung=leistungen[p % 3] if schluessel == "menge" else None,
                    teilnehmerkreis="vertragspartner" if schluessel == "menge" else "alle_aktiven",
                    sockel_cent=betrag // (4 * anzahl) if schluessel == "sockel_einwohner" else 0,
                    mischung={"gleich": 30, "einwohner": 70} if schluessel == "mix" else {},
                    mindest_cent=betrag // (10 * anzahl) if p % 10 == 0 else None,
                    hoechst_cent=betrag // 50 if p % 10 == 5 else None,
                    stichtag=dt.date(JAHR - 1, 12, 31),
                )
            )
        Kostenpool.objects.bulk_create(neu)
