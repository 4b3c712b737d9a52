"""Reading the official Destatis Gemeindeverzeichnis (GV100AD) and importing it.

Record layout (Datensatzbeschreibung GV100AD, fixed width, 220 characters, 1-based):
  1-2 Satzart, 3-10 Gebietsstand JJJJMMTT, 11-12 Land, 13 Regierungsbezirk, 14-15 Kreis,
  16-18 Gemeinde, 19-22 Gemeindeverband, 23-72 Name, 73-122 Sitz der Verwaltung,
  123-124 Textkennzeichen; Satzart 60 also 129-139 Fläche (ha), 140-150 Bevölkerung,
  151-161 davon männlich, 166-170 PLZ, 171-175 non-empty if the Gemeinde has several PLZ.
The ARS (12 digits) is Land, RB, Kreis, Gemeindeverband, Gemeinde; the AGS (8) omits the
Gemeindeverband.

Parsing is complete before anything is written, and the import runs in one transaction,
so a malformed line leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction

from mitglieder.models import (
    Ebene,
    Einwohnerzahl,
    Gebietskoerperschaft,
    RegisterImport,
    Typ,
)

SATZLAENGE = 220

EBENE_JE_SATZART = {
    "10": Ebene.LAND,
    "20": Ebene.REGIERUNGSBEZIRK,
    "40": Ebene.KREIS,
    "50": Ebene.GEMEINDEVERBAND,
    "60": Ebene.GEMEINDE,
}
# Satzart 30 (Regionen, only Baden-Württemberg) is a statistical grouping outside the
# administrative hierarchy; it is read, counted and reported as skipped.
UEBERSPRUNGENE_SATZARTEN = {"30": "Region (nur Baden-Württemberg)"}

TEXTKENNZEICHEN = {
    Ebene.KREIS: {"41", "42", "43", "44", "45"},
    Ebene.GEMEINDEVERBAND: {"50", "51", "52", "53", "54", "55", "56", "57", "58"},
    Ebene.GEMEINDE: {"60", "61", "62", "63", "64", "65", "66", "67"},
}


class ImportFehler(Exception):
    """A problem with the file; the message is German and names the line where there is one."""


@dataclass(frozen=True, slots=True)
class Satz:
    zeile: int
    satzart: str
    gebietsstand: dt.date
    ars: str
    ags: str
    ebene: str
    typ: str
    name: str
    verwaltungssitz: str
    land: str
    # Candidates for the parent, nearest first; parse() keeps the first one the file has.
    # (The German-Luxembourg condominium, for instance, has Kreis 00 and no Kreis record.)
    uebergeordnet_ars: tuple[str, ...]
    kreis_ars: str | None
    flaeche_ha: int | None = None
    einwohner: int | None = None
    maennlich: int | None = None
    plz: str = ""
    plz_eindeutig: bool = True


@dataclass
class Datei:
    name: str
    gebietsstand: dt.date
    saetze: list[Satz]
    uebersprungen: dict[str, int] = field(default_factory=dict)


def lies_zeilen(pfad: Path) -> Iterator[str]:
    """The text lines of a GV100AD file: the .txt itself, or the ZIP Destatis ships."""
    roh = pfad.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(roh)):
        with zipfile.ZipFile(io.BytesIO(roh)) as archiv:
            kandidaten = [
                n for n in archiv.namelist() if n.upper().endswith(".TXT") and "GV100" in n.upper()
            ]
            if len(kandidaten) != 1:
                raise ImportFehler(
                    f"Die ZIP-Datei {pfad.name} enthält {len(kandidaten)} GV100AD-Textdateien; "
                    "erwartet wird genau eine."
                )
            roh = archiv.read(kandidaten[0])
    try:
        text = roh.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        zeile = roh[: exc.start].count(b"\n") + 1
        raise ImportFehler(
            f"Zeile {zeile}: Die Datei ist nicht UTF-8-kodiert (Byte {exc.start + 1})."
        ) from exc
    # splitlines() would also split at form feeds and similar; GV100AD lines end in LF or CRLF.
    for zeile in text.split("\n"):
        yield zeile.removesuffix("\r")


def _zahl(text: str, feld: str, zeile: int) -> int:
    text = text.strip()
    if not text.isdigit() or not text.isascii():
        raise ImportFehler(f"Zeile {zeile}: {feld} „{text}“ ist keine ganze Zahl.")
    return int(text)


def _schluessel(text: str, feld: str, zeile: int) -> str:
    if not (text.isdigit() and text.isascii()):
        raise ImportFehler(f"Zeile {zeile}: {feld} „{text}“ besteht nicht nur aus Ziffern.")
    return text


def gv100ad_zeile(satz: dict, gebietsstand: str) -> str:
    """Write one 220-character GV100AD record from a dict of facts (the demo extract and
    tests use it to build small files in the official layout)."""
    stand = gebietsstand.replace("-", "")
    zeile = [" "] * 220

    def setze(von: int, text: str) -> None:  # 1-based position, as in the record layout
        zeile[von - 1 : von - 1 + len(text)] = text

    setze(1, satz["satzart"])
    setze(3, stand)
    if satz["satzart"] == "10":
        setze(11, satz["land"])
    elif satz["satzart"] == "40":
        setze(11, satz["kreis"])
    else:
        ars = satz["ars"]
        setze(11, ars[:5])
        setze(19, ars[5:9])
        if satz["satzart"] == "60":
            setze(16, ars[9:12])
    setze(23, satz["name"][:50])
    setze(73, satz.get("sitz", "")[:50])
    setze(123, satz.get("typ", "  "))
    if satz["satzart"] == "60":
        setze(129, f"{satz['flaeche_ha']:011d}")
        setze(140, f"{satz['einwohner']:011d}")
        setze(151, f"{satz['maennlich']:011d}")
        setze(166, satz["plz"])
        if not satz["plz_eindeutig"]:
            setze(171, "*****")
    return "".join(zeile)


def parse_zeile(text: str, zeile: int) -> Satz | str:
    """One record as a Satz, or the Satzart of a record that is skipped on purpose."""
    if len(text) != SATZLAENGE:
        raise ImportFehler(
            f"Zeile {zeile}: Der Datensatz hat {len(text)} statt {SATZLAENGE} Zeichen."
        )
    satzart = text[0:2]
    if satzart in UEBERSPRUNGENE_SATZARTEN:
        return satzart
    ebene = EBENE_JE_SATZART.get(satzart)
    if ebene is None:
        raise ImportFehler(f"Zeile {zeile}: Unbekannte Satzart „{satzart}“.")
    try:
        gebietsstand = dt.date(int(text[2:6]), int(text[6:8]), int(text[8:10]))
    except ValueError as exc:
        raise ImportFehler(
            f"Zeile {zeile}: Gebietsstand „{text[2:10]}“ ist kein gültiges Datum (JJJJMMTT)."
        ) from exc

    land = _schluessel(text[10:12], "Land", zeile)
    name = text[22:72].strip()
    if not name:
        raise ImportFehler(f"Zeile {zeile}: Die Bezeichnung (Stellen 23–72) ist leer.")
    sitz = text[72:122].strip()
    kennzeichen = text[122:124]

    if ebene == Ebene.LAND:
        return Satz(
            zeile, satzart, gebietsstand, land, land, ebene, Typ.LAND, name, sitz, land, (), None
        )
    rb = _schluessel(text[12:13], "Regierungsbezirk", zeile)
    if ebene == Ebene.REGIERUNGSBEZIRK:
        return Satz(
            zeile,
            satzart,
            gebietsstand,
            land + rb,
            "",
            ebene,
            Typ.REGIERUNGSBEZIRK,
            name,
            sitz,
            land,
            (land,),
            None,
        )

    if kennzeichen not in TEXTKENNZEICHEN[ebene]:
        raise ImportFehler(
            f"Zeile {zeile}: Textkennzeichen „{kennzeichen}“ ist für Satzart {satzart} nicht "
            f"zulässig (erlaubt: {', '.join(sorted(TEXTKENNZEICHEN[ebene]))})."
        )
    kreis = _schluessel(text[13:15], "Kreis", zeile)
    kreis_ars = land + rb + kreis
    # The Kreis hangs under its Regierungsbezirk where the Land has them (RB digit not 0).
    ueber_kreis = (land + rb, land) if rb != "0" else (land,)
    if ebene == Ebene.KREIS:
        return Satz(
            zeile,
            satzart,
            gebietsstand,
            kreis_ars,
            kreis_ars,
            ebene,
            kennzeichen,
            name,
            sitz,
            land,
            ueber_kreis,
            None,
        )

    verband = _schluessel(text[18:22], "Gemeindeverband", zeile)
    verband_ars = kreis_ars + verband
    if ebene == Ebene.GEMEINDEVERBAND:
        return Satz(
            zeile,
            satzart,
            gebietsstand,
            verband_ars,
            "",
            ebene,
            kennzeichen,
            name,
            sitz,
            land,
            (kreis_ars, *ueber_kreis),
            kreis_ars,
        )

    gemeinde = _schluessel(text[15:18], "Gemeinde", zeile)
    plz = text[165:170].strip()
    if plz and not (plz.isdigit() and len(plz) == 5):
        raise ImportFehler(f"Zeile {zeile}: Postleitzahl „{plz}“ hat nicht fünf Ziffern.")
    return Satz(
        zeile,
        satzart,
        gebietsstand,
        verband_ars + gemeinde,
        kreis_ars + gemeinde,
        ebene,
        kennzeichen,
        name,
        sitz,
        land,
        (verband_ars, kreis_ars, *ueber_kreis),
        kreis_ars,
        flaeche_ha=_zahl(text[128:139], "Fläche (Stellen 129–139)", zeile),
        einwohner=_zahl(text[139:150], "Bevölkerung (Stellen 140–150)", zeile),
        maennlich=_zahl(text[150:161], "Bevölkerung männlich (Stellen 151–161)", zeile),
        plz=plz,
        plz_eindeutig=not text[170:175].strip(),
    )


def parse(pfad: Path, *, land: str | None = None) -> Datei:
    """Read and check the whole file. Raises ImportFehler naming the first bad line."""
    saetze: list[Satz] = []
    uebersprungen: dict[str, int] = {}
    gebietsstand: dt.date | None = None
    gesehen: dict[str, int] = {}
    for nummer, text in enumerate(lies_zeilen(pfad), start=1):
        if not text.strip():
            continue
        satz = parse_zeile(text, nummer)
        if isinstance(satz, str):
            uebersprungen[satz] = uebersprungen.get(satz, 0) + 1
            continue
        if gebietsstand is None:
            gebietsstand = satz.gebietsstand
        elif satz.gebietsstand != gebietsstand:
            raise ImportFehler(
                f"Zeile {nummer}: Gebietsstand {satz.gebietsstand:%d.%m.%Y} weicht vom "
                f"Gebietsstand der Datei ({gebietsstand:%d.%m.%Y}) ab."
            )
        if satz.ars in gesehen:
            raise ImportFehler(
                f"Zeile {nummer}: Regionalschlüssel {satz.ars} kommt doppelt vor "
                f"(zuerst in Zeile {gesehen[satz.ars]})."
            )
        gesehen[satz.ars] = nummer
        if land is None or satz.land == land:
            saetze.append(satz)
    if gebietsstand is None:
        raise ImportFehler(f"Die Datei {pfad.name} enthält keine Datensätze.")
    for i, satz in enumerate(saetze):
        if not satz.uebergeordnet_ars:
            continue
        eltern = [ars for ars in satz.uebergeordnet_ars if ars in gesehen]
        if not eltern:
            raise ImportFehler(
                f"Zeile {satz.zeile}: Keine übergeordnete Einheit von „{satz.name}“ steht in der "
                f"Datei (gesucht: {', '.join(satz.uebergeordnet_ars)})."
            )
        saetze[i] = replace(
            satz,
            uebergeordnet_ars=(eltern[0],),
            kreis_ars=satz.kreis_ars if satz.kreis_ars in gesehen else None,
        )
    if land is not None and not saetze:
        raise ImportFehler(f"Die Datei enthält keine Datensätze für das Land {land}.")
    return Datei(pfad.name, gebietsstand, saetze, uebersprungen)


def bevoelkerungsstichtag_fuer(gebietsstand: dt.date) -> dt.date:
    """The population reference date of a GV100AD file, which the file does not state.

    Destatis fills the population field with the latest annual update (Fortschreibung) at
    31 December, published about nine months later: the file of Gebietsstand 30.11.2023
    carries the figures of 31.12.2022. We take 31.12. of the year before the Gebietsstand;
    the import command accepts --bevoelkerungsstichtag where a file differs.
    """
    return dt.date(gebietsstand.year - 1, 12, 31)


@dataclass
class ImportErgebnis:
    gebietsstand: dt.date
    bevoelkerungsstichtag: dt.date
    saetze: int
    angelegt: int
    aktualisiert: int
    aufgeloest: int
    einwohnerzahlen_neu: int
    uebersprungen: dict[str, int]


# Fields a newer file may change on an existing authority.
_STAMMFELDER = (
    "ars",
    "ags",
    "typ",
    "name",
    "verwaltungssitz",
    "flaeche_ha",
    "plz",
    "plz_eindeutig",
)
_EBENEN_VON_OBEN = (
    Ebene.LAND,
    Ebene.REGIERUNGSBEZIRK,
    Ebene.KREIS,
    Ebene.GEMEINDEVERBAND,
    Ebene.GEMEINDE,
)


@transaction.atomic
def import_gemeindeverzeichnis(
    *,
    datei: Datei,
    bevoelkerungsstichtag: dt.date | None = None,
    land: str | None = None,
) -> ImportErgebnis:
    """Bring the register in line with a parsed GV100AD file.

    Matching is by ARS; a Gemeinde whose ARS changed because it moved to another
    Gemeindeverband keeps its identity through its unchanged AGS. Authorities of the
    imported scope that the file no longer lists are marked dissolved at its Gebietsstand,
    never deleted. Population figures are added per reference date, never overwritten.
    """
    gebietsstand = datei.gebietsstand
    stichtag = bevoelkerungsstichtag or bevoelkerungsstichtag_fuer(gebietsstand)

    bestand_qs = Gebietskoerperschaft.objects.all()
    if land:
        bestand_qs = bestand_qs.filter(land=land)
    juengster = bestand_qs.order_by("-gebietsstand").values_list("gebietsstand", flat=True).first()
    if juengster is not None and gebietsstand < juengster:
        raise ImportFehler(
            f"Die Datei hat den Gebietsstand {gebietsstand:%d.%m.%Y}; das Register steht schon "
            f"auf {juengster:%d.%m.%Y}. Ältere Stände können nicht nachträglich eingespielt "
            "werden."
        )

    bestand = {
        g.ars: g
        for g in bestand_qs.only(
            *_STAMMFELDER,
            "id",
            "ebene",
            "land",
            "uebergeordnet_id",
            "kreis_id",
            "gueltig_ab",
            "aufgeloest_am",
            "gebietsstand",
        )
    }
    nach_ags = {g.ags: g for g in bestand.values() if g.ebene == Ebene.GEMEINDE}
    erstimport = not bestand
    in_datei = {s.ars for s in datei.saetze}

    # Resolve each record to an existing authority (or none) before writing anything.
    zuordnung: dict[str, Gebietskoerperschaft | None] = {}
    for satz in datei.saetze:
        vorhanden = bestand.get(satz.ars)
        if vorhanden is None and satz.ebene == Ebene.GEMEINDE:
            kandidat = nach_ags.get(satz.ags)
            if kandidat is not None and kandidat.ars not in in_datei:
                vorhanden = kandidat  # moved to another Gemeindeverband
        zuordnung[satz.ars] = vorhanden

    ids: dict[str, int] = {ars: g.id for ars, g in bestand.items()}
    angelegt = aktualisiert = 0
    zu_aendern: list[Gebietskoerperschaft] = []
    geaenderte_felder: set[str] = set()

    for ebene in _EBENEN_VON_OBEN:
        neu: list[Gebietskoerperschaft] = []
        for satz in (s for s in datei.saetze if s.ebene == ebene):
            werte = {
                "ars": satz.ars,
                "ags": satz.ags,
                "typ": satz.typ,
                "name": satz.name,
                "verwaltungssitz": satz.verwaltungssitz,
                "flaeche_ha": satz.flaeche_ha,
                "plz": satz.plz,
                "plz_eindeutig": satz.plz_eindeutig,
                "uebergeordnet_id": ids[satz.uebergeordnet_ars[0]]
                if satz.uebergeordnet_ars
                else None,
                "kreis_id": ids[satz.kreis_ars] if satz.kreis_ars else None,
                "aufgeloest_am": None,
            }
            vorhanden = zuordnung[satz.ars]
            if vorhanden is None:
                neu.append(
                    Gebietskoerperschaft(
                        ebene=ebene,
                        land=satz.land,
                        gueltig_ab=None if erstimport else gebietsstand,
                        gebietsstand=gebietsstand,
                        **werte,
                    )
                )
                continue
            felder = [f for f, wert in werte.items() if getattr(vorhanden, f) != wert]
            for f in felder:
                setattr(vorhanden, f, werte[f])
            if felder:
                aktualisiert += 1
                geaenderte_felder.update(felder)
            if felder or vorhanden.gebietsstand != gebietsstand:
                vorhanden.gebietsstand = gebietsstand
                zu_aendern.append(vorhanden)
            ids[satz.ars] = vorhanden.id
        if neu:
            Gebietskoerperschaft.objects.bulk_create(neu, batch_size=2000)
            angelegt += len(neu)
            for g in neu:
                ids[g.ars] = g.id

    # Authorities in scope that the file no longer lists: dissolved at its Gebietsstand.
    weitergefuehrt = {g.id for g in zuordnung.values() if g is not None}
    aufzuloesen = [
        g for g in bestand.values() if g.id not in weitergefuehrt and g.aufgeloest_am is None
    ]
    for g in aufzuloesen:
        g.aufgeloest_am = gebietsstand
    if zu_aendern:
        Gebietskoerperschaft.objects.bulk_update(
            zu_aendern, [*sorted(geaenderte_felder), "gebietsstand"], batch_size=2000
        )
    if aufzuloesen:
        Gebietskoerperschaft.objects.bulk_update(aufzuloesen, ["aufgeloest_am"], batch_size=2000)

    einwohnerzahlen_neu = _einwohnerzahlen_speichern(
        datei.saetze, ids=ids, stichtag=stichtag, gebietsstand=gebietsstand
    )

    ergebnis = ImportErgebnis(
        gebietsstand=gebietsstand,
        bevoelkerungsstichtag=stichtag,
        saetze=len(datei.saetze),
        angelegt=angelegt,
        aktualisiert=aktualisiert,
        aufgeloest=len(aufzuloesen),
        einwohnerzahlen_neu=einwohnerzahlen_neu,
        uebersprungen=datei.uebersprungen,
    )
    RegisterImport.objects.create(
        gebietsstand=gebietsstand,
        bevoelkerungsstichtag=stichtag,
        land=land or "",
        datei=datei.name[:255],
        saetze=ergebnis.saetze,
        angelegt=angelegt,
        aktualisiert=aktualisiert,
        aufgeloest=ergebnis.aufgeloest,
    )
    return ergebnis


def _einwohnerzahlen_speichern(
    saetze: Iterable[Satz], *, ids: dict[str, int], stichtag: dt.date, gebietsstand: dt.date
) -> int:
    """Add the population of each Gemeinde at `stichtag`; a figure already stored for that
    date is corrected in place only if the file states a different number."""
    vorhanden = {
        e.gebietskoerperschaft_id: e
        for e in Einwohnerzahl.objects.filter(stichtag=stichtag).only(
            "id", "gebietskoerperschaft_id", "einwohner", "maennlich"
        )
    }
    neu: list[Einwohnerzahl] = []
    korrigiert: list[Einwohnerzahl] = []
    for satz in saetze:
        if satz.einwohner is None:
            continue
        gk_id = ids[satz.ars]
        alt = vorhanden.get(gk_id)
        if alt is None:
            neu.append(
                Einwohnerzahl(
                    gebietskoerperschaft_id=gk_id,
                    stichtag=stichtag,
                    einwohner=satz.einwohner,
                    maennlich=satz.maennlich,
                    gebietsstand=gebietsstand,
                )
            )
        elif (alt.einwohner, alt.maennlich) != (satz.einwohner, satz.maennlich):
            alt.einwohner, alt.maennlich, alt.gebietsstand = (
                satz.einwohner,
                satz.maennlich,
                gebietsstand,
            )
            korrigiert.append(alt)
    Einwohnerzahl.objects.bulk_create(neu, batch_size=2000)
    if korrigiert:
        Einwohnerzahl.objects.bulk_update(
            korrigiert, ["einwohner", "maennlich", "gebietsstand"], batch_size=2000
        )
    return len(neu)
