"""python manage.py demo_laden – the demo cooperative from fixtures/demo/.

The register extract is turned into GV100AD records and imported by the real importer;
members, status steps and the share ledger are written through the services, in date
order, so the demo obeys every rule the application enforces.
"""

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from leistungen import services as leistung_services
from leistungen.models import Leistung, Leistungskategorie, Preis, Umsatzsteuer, Zielgruppe
from mitglieder import rollen, services, umfragen
from mitglieder.gemeindeverzeichnis import gv100ad_zeile, import_gemeindeverzeichnis, parse
from mitglieder.models import Ebene, Gebietskoerperschaft, Gesellschaft, Mitglied, MitgliedStatus
from vertraege import services as vertrag_services
from vertraege.models import Kostenpool, Leistungsabruf
from vertraege.umlage import lauf as umlage_laeufe

DEMO = settings.BASE_DIR / "fixtures" / "demo"
DEMO_PASSWORT = "kiv-demo"


class Command(BaseCommand):
    help = "Lädt die Demo-Daten (Register-Auszug Thüringen, Mitglieder, Anteilsbuch, Demo-Konten)."

    def handle(self, *args, **options):
        if Gesellschaft.objects.exists():
            self.stdout.write("Demo-Daten sind bereits geladen.")
            return
        # The demo's history is not news: no e-mails while loading it.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            self._register()
            self._mitglieder_und_anteile()
            self._benutzer()
            self._katalog()
            self._anfragen()
            self._umlage()
            self._umfrage()
        self.stdout.write(self.style.SUCCESS("Demo-Daten geladen."))

    def _register(self) -> None:
        if Gebietskoerperschaft.objects.filter(ebene=Ebene.LAND, ars="16").exists():
            self.stdout.write("Register für Thüringen ist schon vorhanden; Auszug übersprungen.")
            return
        auszug = json.loads((DEMO / "register_thueringen.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as ordner:
            pfad = Path(ordner) / "GV100AD_demo.txt"
            pfad.write_text(
                "\n".join(gv100ad_zeile(s, auszug["gebietsstand"]) for s in auszug["saetze"])
                + "\n",
                encoding="utf-8",
            )
            ergebnis = import_gemeindeverzeichnis(datei=parse(pfad))
        self.stdout.write(f"Register-Auszug: {ergebnis.angelegt} Gebietskörperschaften.")

    def _mitglieder_und_anteile(self) -> None:
        daten = json.loads((DEMO / "mitglieder.json").read_text(encoding="utf-8"))
        Gesellschaft.objects.create(**daten["gesellschaft"])
        gk = {g.ars: g for g in Gebietskoerperschaft.objects.all()}
        gk.update({g.ags: g for g in gk.values() if g.ebene == Ebene.GEMEINDE})

        # One timeline: status steps, then share operations, then exits, per day.
        ereignisse = []
        for nr, m in enumerate(daten["mitglieder"]):
            for i, (status, datum, beschluss) in enumerate(m["schritte"]):
                rang = 2 if status == MitgliedStatus.AUSGESCHIEDEN else 0
                ereignisse.append((datum, rang, nr, i, ("status", m, status, beschluss)))
        for nr, v in enumerate(daten["anteilsvorgaenge"]):
            ereignisse.append((v["datum"], 1, nr, 0, ("anteil", v)))
        ereignisse.sort(key=lambda e: e[:4])

        mitglieder: dict[str, Mitglied] = {}
        for datum_text, _, _, _, ereignis in ereignisse:
            datum = dt.date.fromisoformat(datum_text)
            if ereignis[0] == "status":
                _, m, status, beschluss = ereignis
                schluessel = m.get("schluessel") or m["name"]
                if schluessel not in mitglieder:
                    mitglieder[schluessel] = self._anlegen(m, gk, status, datum, beschluss)
                else:
                    services.change_mitglied_status(
                        mitglied=mitglieder[schluessel],
                        status=status,
                        datum=datum,
                        beschluss=beschluss,
                    )
            else:
                self._vorgang(ereignis[1], datum, mitglieder)
        self.stdout.write(
            f"{len(mitglieder)} Mitglieder, {len(daten['anteilsvorgaenge'])} Vorgänge."
        )

    def _anlegen(self, m: dict, gk: dict, status: str, datum: dt.date, beschluss: str) -> Mitglied:
        rechnung = m.get("rechnung") or ["", "", "", ""]
        koerperschaft = gk.get(m["schluessel"]) if "schluessel" in m else None
        if "schluessel" in m and koerperschaft is None:
            raise CommandError(f"Demo: Schlüssel {m['schluessel']} fehlt im Register.")
        mitglied = services.create_mitglied(
            gebietskoerperschaft=koerperschaft,
            name=m.get("name", "") if koerperschaft is None else _anzeigename(koerperschaft),
            sitz=m.get("sitz", ""),
            status=status,
            datum=datum,
            beschluss=beschluss,
            leitweg_id=m.get("leitweg_id", ""),
            rechnung_empfaenger=rechnung[0],
            rechnung_strasse=rechnung[1],
            rechnung_plz=rechnung[2],
            rechnung_ort=rechnung[3],
        )
        for name, rolle, email, telefon in m.get("ansprechpartner", []):
            services.create_ansprechpartner(
                mitglied=mitglied, name=name, rolle=rolle, email=email, telefon=telefon
            )
        return mitglied

    def _vorgang(self, v: dict, datum: dt.date, mitglieder: dict[str, Mitglied]) -> None:
        gemeinsam = {"datum": datum, "referenz": v["referenz"]}
        if v["art"] == "ausgabe":
            services.ausgeben_anteile(
                erwerber=mitglieder[v["erwerber"]],
                nennbetraege=v["nennbetraege"],
                kapitalerhoehung=sum(v["nennbetraege"]),
                **gemeinsam,
            )
        elif v["art"] == "uebertragung_betrag":
            services.uebertragen_betrag(
                veraeusserer=mitglieder[v["veraeusserer"]],
                erwerber=mitglieder[v["erwerber"]],
                betrag=v["betrag"],
                **gemeinsam,
            )
        elif v["art"] == "uebertragung":
            services.uebertragen_anteile(
                veraeusserer=mitglieder[v["veraeusserer"]],
                erwerber=mitglieder[v["erwerber"]],
                anteile=v["anteile"],
                **gemeinsam,
            )
        else:
            raise CommandError(f"Demo: unbekannte Vorgangsart {v['art']}.")

    def _katalog(self) -> None:
        _katalog_laden(self)
        self.stdout.write(f"Leistungskatalog: {Leistung.objects.count()} Leistungen.")

    def _anfragen(self) -> None:
        """Contracts from accepted requests, a quantity change, a termination, a declined
        and an open request. Past requests are recorded as they were made then (the rule
        "start not in the past" applies to new requests); everything else goes through the
        services."""
        daten = json.loads((DEMO / "vertraege.json").read_text(encoding="utf-8"))
        buero = get_user_model().objects.get(username="geschaeftsstelle")
        mitglieder = {
            (
                m.gebietskoerperschaft.ags
                if m.gebietskoerperschaft.ebene == Ebene.GEMEINDE
                else m.gebietskoerperschaft.ars
            ): m
            for m in Mitglied.objects.filter(gebietskoerperschaft__isnull=False).select_related(
                "gebietskoerperschaft"
            )
        }
        leistungen = {leistung.slug: leistung for leistung in Leistung.objects.all()}

        def anfrage(e, **felder):
            abruf = Leistungsabruf.objects.create(
                mitglied=mitglieder[e["mitglied"]],
                leistung=leistungen[e["leistung"]],
                menge=e["menge"],
                gewuenschter_beginn=dt.date.fromisoformat(e["beginn"]),
                **felder,
            )
            Leistungsabruf.objects.filter(pk=abruf.pk).update(
                angefragt_am=dt.datetime.fromisoformat(e["angefragt"] + "T10:00:00+01:00")
            )
            return abruf

        for e in daten["vertraege"]:
            vertrag = vertrag_services.annehmen_leistungsabruf(
                abruf=anfrage(e),
                user=buero,
                preisbindung=e.get("preisbindung", "katalog"),
                vereinbarter_preis=Decimal(e["vereinbarter_preis"])
                if "vereinbarter_preis" in e
                else None,
            )
            for ab, menge in e.get("mengen", []):
                vertrag_services.aendern_menge(
                    vertrag=vertrag, ab=dt.date.fromisoformat(ab), menge=Decimal(menge), user=buero
                )
            if "kuendigung" in e:
                k = e["kuendigung"]
                vertrag_services.kuendigen_vertrag(
                    vertrag=vertrag,
                    zum=dt.date.fromisoformat(k["zum"]),
                    durch=k["durch"],
                    grund=k["grund"],
                    kuendigung_am=dt.date.fromisoformat(k["am"]),
                )
        for e in daten["abgelehnt"]:
            vertrag_services.ablehnen_leistungsabruf(
                abruf=anfrage(e), begruendung=e["begruendung"], user=buero
            )
        # The open request: Erfurt asks for an information security officer.
        vertrag_services.create_leistungsabruf(
            mitglied=mitglieder["16051000"],
            leistung=leistungen["isb-as-a-service"],
            menge=Decimal(1),
            gewuenschter_beginn=max(dt.date(2027, 1, 1), timezone.localdate()),
            bemerkung="Unser ISB geht Ende 2026 in den Ruhestand.",
            user=get_user_model().objects.get(username="kommune"),
        )
        self.stdout.write(f"{len(daten['vertraege'])} Verträge, 2 weitere Anfragen.")

    def _umlage(self) -> None:
        """Pools for 2025 and 2026; 2025's Plan and Ist runs frozen (so Abschlag and
        Spitzabrechnung can be compared), 2026's Plan run calculated."""
        daten = json.loads((DEMO / "umlage.json").read_text(encoding="utf-8"))
        finanzen = get_user_model().objects.get(username="finanzen")
        for p in daten["pools"]:
            pool = Kostenpool(
                geschaeftsjahr=p["jahr"],
                name=p["name"],
                betrag_plan_cent=int(Decimal(str(p["plan"])) * 100),
                betrag_ist_cent=int(Decimal(str(p["ist"])) * 100) if "ist" in p else None,
                schluessel=p["schluessel"],
                sockel_cent=int(p.get("sockel", 0) * 100),
                mischung=p.get("mischung", {}),
                mindest_cent=int(p["mindest"] * 100) if "mindest" in p else None,
                hoechst_cent=int(p["hoechst"] * 100) if "hoechst" in p else None,
                teilnehmerkreis=p.get("teilnehmer", "alle_aktiven"),
                leistung=Leistung.objects.get(slug=p["leistung"]) if "leistung" in p else None,
                stichtag=dt.date.fromisoformat(p["stichtag"]),
            )
            pool.full_clean()
            pool.save()
        for e in daten["laeufe"]:
            lauf = umlage_laeufe.anlegen(
                geschaeftsjahr=e["jahr"], art=e["art"], bezeichnung=e["bezeichnung"], user=finanzen
            )
            umlage_laeufe.zur_berechnung_vormerken(lauf=lauf, user=finanzen)
            lauf = umlage_laeufe.berechnen(lauf_id=lauf.id, user_id=finanzen.id)
            if e["festschreiben"]:
                umlage_laeufe.festschreiben(lauf=lauf, user=finanzen)
        self.stdout.write(
            f"Umlage: {len(daten['pools'])} Kostenpools, {len(daten['laeufe'])} Läufe."
        )

    def _umfrage(self) -> None:
        """ "Beitrittsinteresse 2026", sent to every demo municipality, answered by part of
        them. The service categories of a question are copied from the catalog."""
        umfrage = umfragen.create_umfrage(
            titel="Beitrittsinteresse 2026",
            beschreibung="Die Genossenschaft möchte wissen, welche Kommunen einen Beitritt erwägen "
            "und welche Leistungen sie brauchen.",
            oeffnet_am=dt.date(2026, 10, 1),
            schliesst_am=dt.date(2026, 12, 31),
            beitrittsinteresse=True,
        )
        interesse = umfragen.add_frage(
            umfrage=umfrage,
            text="Hat Ihre Kommune Interesse, der Genossenschaft beizutreten?",
            typ="einfach",
            optionen=["Ja", "Vielleicht", "Nein"],
            interessefrage=True,
        )
        wann = umfragen.add_frage(
            umfrage=umfrage,
            text="Wann wäre ein Beitritt frühestens möglich?",
            typ="datum",
            abhaengig_von=interesse,
            abhaengig_werte=["Ja", "Vielleicht"],
        )
        bereiche = umfragen.add_frage(
            umfrage=umfrage,
            text="Welche Leistungsbereiche interessieren Sie?",
            typ="mehrfach",
            optionen=list(
                Leistungskategorie.objects.filter(uebergeordnet__isnull=True).values_list(
                    "name", flat=True
                )
            ),
            pflicht=False,
            abhaengig_von=interesse,
            abhaengig_werte=["Ja", "Vielleicht"],
        )
        plaetze = umfragen.add_frage(
            umfrage=umfrage,
            text="Wie viele IT-Arbeitsplätze hat Ihre Verwaltung?",
            typ="zahl",
            pflicht=False,
            zahl_min=0,
        )
        umfragen.add_frage(umfrage=umfrage, text="Anmerkungen", typ="text", pflicht=False)
        umfragen.oeffnen(umfrage=umfrage)
        umfragen.einladungen_erzeugen(umfrage=umfrage, land="16")
        kategorien = bereiche.optionen
        antworten = {
            "16061045": ("Ja", "2027-07-01", kategorien[:3], 140),
            "16064046": ("Ja", "2027-01-01", [kategorien[1], kategorien[5]], 210),
            "16065067": ("Vielleicht", "2028-01-01", [kategorien[0]], 120),
            "16063003": ("Nein", None, [], 35),
            "16071093": ("Ja", "2027-04-01", [kategorien[6]], 4),
            "16074086": ("Vielleicht", "2027-10-01", [kategorien[6], kategorien[7]], 3),
            "16061117": ("Nein", None, [], 25),
            "16073028": ("Ja", "2027-01-01", kategorien[2:5], 12),
            "16061116": ("Vielleicht", "2028-07-01", [], 18),
            "16062041": ("Ja", "2026-12-01", [kategorien[4]], 260),
        }
        for einladung in umfrage.einladungen.select_related("gebietskoerperschaft"):
            daten = antworten.get(einladung.gebietskoerperschaft.ags)
            if daten is None:
                continue
            ja, datum, auswahl, anzahl = daten
            werte = {str(interesse.pk): ja, str(plaetze.pk): anzahl}
            if datum:
                werte[str(wann.pk)] = datum
            if auswahl:
                werte[str(bereiche.pk)] = auswahl
            umfragen.antworten(einladung=einladung, werte=werte)
        self.stdout.write(
            f"Umfrage: {umfrage.einladungen.count()} Einladungen, {len(antworten)} Antworten."
        )

    def _benutzer(self) -> None:
        daten = json.loads((DEMO / "mitglieder.json").read_text(encoding="utf-8"))
        User = get_user_model()
        for b in daten["benutzer"]:
            user, _ = User.objects.get_or_create(
                username=b["username"],
                defaults={"first_name": b["vorname"], "last_name": b["nachname"]},
            )
            user.set_password(DEMO_PASSWORT)
            user.save()
            user.groups.add(Group.objects.get(name=b["rolle"]))
            if "mitglied" in b:
                koerperschaft = Gebietskoerperschaft.objects.get(
                    ags=b["mitglied"], ebene=Ebene.GEMEINDE
                )
                rollen.binde_an_mitglied(
                    user, Mitglied.objects.get(gebietskoerperschaft=koerperschaft)
                )
            if b["rolle"] == rollen.Rolle.GESCHAEFTSSTELLE:
                user.is_staff = True  # the office uses the admin as its back office
                user.save(update_fields=["is_staff"])


def _katalog_laden(self) -> None:
    daten = json.loads((DEMO / "leistungen.json").read_text(encoding="utf-8"))
    kategorien = {}
    for k in daten["kategorien"]:
        kategorien[k["slug"]] = Leistungskategorie.objects.create(
            slug=k["slug"],
            name=k["name"],
            beschreibung=k.get("beschreibung", ""),
            uebergeordnet=kategorien.get(k.get("uebergeordnet")),
            reihenfolge=len(kategorien),
        )
    leistungen = {}
    for e in daten["leistungen"]:
        reaktion = e.get("reaktionszeit") or [None] * 4
        kontakt = e.get("verantwortlich") or ["", "", ""]
        leistung = Leistung(
            slug=e["slug"],
            name=e["name"],
            kurztext=e["kurztext"],
            beschreibung=e.get("beschreibung", ""),
            kategorie=kategorien[e["kategorie"]],
            status=e["status"],
            abgekuendigt_zum=e.get("abgekuendigt_zum"),
            zielgruppe=e.get("zielgruppe", Zielgruppe.MITGLIEDER),
            preismodell=e["preismodell"],
            einheit=e.get("einheit", ""),
            umsatzsteuer=e.get("umsatzsteuer", Umsatzsteuer.REGELSATZ),
            verfuegbarkeit=e.get("verfuegbarkeit"),
            servicezeiten=e.get("servicezeiten", ""),
            reaktionszeit_kritisch=reaktion[0],
            reaktionszeit_hoch=reaktion[1],
            reaktionszeit_normal=reaktion[2],
            reaktionszeit_niedrig=reaktion[3],
            mindestlaufzeit_monate=e.get("mindestlaufzeit", 12),
            kuendigungsfrist_monate=e.get("kuendigungsfrist", 3),
            verantwortlich_name=kontakt[0],
            verantwortlich_email=kontakt[1],
            verantwortlich_telefon=kontakt[2],
        )
        preise = [
            Preis(gueltig_ab=ab, gueltig_bis=bis, betrag=Decimal(betrag))
            for ab, bis, betrag in e.get("preise", [])
        ]
        leistungen[e["slug"]] = leistung_services.save_leistung(leistung=leistung, preise=preise)
    for e in daten["leistungen"]:
        leistungen[e["slug"]].verwandte.set(leistungen[v] for v in e.get("verwandte", []))


def _anzeigename(gk: Gebietskoerperschaft) -> str:
    """'Erfurt, Stadt' → 'Stadt Erfurt'; Land and Kreise get their usual names."""
    if gk.ebene == Ebene.LAND:
        return f"Freistaat {gk.name}" if gk.ars in {"09", "14", "16"} else gk.name
    if gk.ebene == Ebene.KREIS and gk.typ == "44":
        return f"Landkreis {gk.name}" if "kreis" not in gk.name.lower() else gk.name
    name, _, zusatz = gk.name.partition(", ")
    return f"{zusatz} {name}" if zusatz in {"Stadt", "Landeshauptstadt"} else gk.name
