"""The register import, through the management command, on the real Destatis file and on
small hand-made files for bad input."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from mitglieder.gemeindeverzeichnis import gv100ad_zeile
from mitglieder.models import Ebene, Einwohnerzahl, Gebietskoerperschaft, RegisterImport
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def importiere(pfad, *args) -> str:
    out = io.StringIO()
    call_command("gemeindeverzeichnis_import", str(pfad), *args, stdout=out)
    return out.getvalue()


def register_abzug():
    """Everything the import writes, for comparing before and after."""
    return (
        sorted(
            Gebietskoerperschaft.objects.values_list(
                "ars",
                "ags",
                "name",
                "typ",
                "uebergeordnet__ars",
                "kreis__ars",
                "flaeche_ha",
                "plz",
                "gueltig_ab",
                "aufgeloest_am",
                "gebietsstand",
            )
        ),
        sorted(
            Einwohnerzahl.objects.values_list("gebietskoerperschaft__ars", "stichtag", "einwohner")
        ),
    )


def thueringen_zeilen(gv100ad_pfad) -> list[str]:
    return [z for z in gv100ad_pfad.read_text(encoding="utf-8").splitlines() if z[10:12] == "16"]


def test_ganz_deutschland_wird_importiert_und_thueringen_stimmt(gv100ad_pfad, finanzen):
    ausgabe = importiere(gv100ad_pfad)

    assert "angelegt: 16023, aktualisiert: 0, aufgelöst: 0" in ausgabe
    assert "übersprungen: 12 Datensätze der Satzart 30" in ausgabe
    assert Gebietskoerperschaft.objects.filter(ebene=Ebene.LAND).count() == 16
    assert (
        Gebietskoerperschaft.objects.gemeinden().count() == 10773
    )  # without 208 gemeindefreie Gebiete
    erfurt = Gebietskoerperschaft.objects.get(ags="16051000", ebene=Ebene.GEMEINDE)
    assert erfurt.ars == "160510000000"
    assert erfurt.kreis.ars == "16051"
    assert erfurt.uebergeordnet.ars == "160510000"  # verbandsfrei: its own Gemeindeverband
    assert erfurt.uebergeordnet.uebergeordnet.ars == "16051"
    assert erfurt.plz == "99084" and not erfurt.plz_eindeutig
    assert erfurt.einwohnerzahlen.get().einwohner == 214969
    # Hierarchy with a Regierungsbezirk: Bavaria's Kreise hang under theirs.
    muenchen_lk = Gebietskoerperschaft.objects.get(ars="09184")
    assert muenchen_lk.uebergeordnet.ars == "091"
    # The German-Luxembourg condominium has no Kreis record: it hangs under the Land.
    kondominium = Gebietskoerperschaft.objects.get(ars="070009999999")
    assert kondominium.kreis is None and kondominium.uebergeordnet.ars == "070009999"

    # Official figures at the file's reference date: 624 Gemeinden, 2,126,846 inhabitants.
    antwort = api_client(finanzen).get(
        "/api/v1/gebietskoerperschaften/statistik/", {"land": "16", "stichtag": "2023-11-30"}
    )
    assert antwort.status_code == 200
    assert antwort.json()["gesamt"]["gemeinden"] == 624
    assert antwort.json()["gesamt"]["einwohner"] == 2126846
    assert antwort.json()["einwohner_stichtag"] == "2022-12-31"
    assert len(antwort.json()["kreise"]) == 22


def test_erneuter_import_derselben_datei_aendert_nichts(gv100ad_pfad):
    importiere(gv100ad_pfad, "--land", "16")
    vorher = register_abzug()

    ausgabe = importiere(gv100ad_pfad, "--land", "16")

    assert "angelegt: 0, aktualisiert: 0, aufgelöst: 0, neue Einwohnerzahlen: 0" in ausgabe
    assert register_abzug() == vorher


def test_zip_mit_bom_und_crlf_wie_von_destatis_geliefert(gv100ad_pfad, tmp_path):
    text = "\r\n".join(thueringen_zeilen(gv100ad_pfad)) + "\r\n"
    archiv = tmp_path / "GV100AD3011.zip"
    with zipfile.ZipFile(archiv, "w") as z:
        z.writestr("GV100AD_30112023.txt", "\ufeff" + text)
        z.writestr("Datensatzbeschreibung_GV100AD.pdf", b"%PDF-1.4")

    ausgabe = importiere(archiv)

    assert "angelegt: 836" in ausgabe  # 1 Land + 22 Kreise + 189 Verbände + 624 Gemeinden
    assert Gebietskoerperschaft.objects.gemeinden().count() == 624


def test_nur_ein_land_importieren(gv100ad_pfad):
    importiere(gv100ad_pfad, "--land", "16")

    assert set(Gebietskoerperschaft.objects.values_list("land", flat=True)) == {"16"}


def _neuerer_stand(zeilen: list[str]) -> list[str]:
    """The Thuringian records as a fictitious Gebietsstand 31.12.2024: Vollersroda and
    Buchfart merge into a new Gemeinde, Erfurt is renamed, Jena has a new population."""
    neu = []
    for z in zeilen:
        z = z[:2] + "20241231" + z[10:]
        ars = z[10:15] + z[18:22] + z[15:18]
        if z.startswith("60") and ars in {"160715008093", "160715008009"}:
            continue
        if z.startswith("60") and ars == "160510000000":
            z = z[:22] + "Erfurt, Landeshauptstadt".ljust(50) + z[72:]
        if z.startswith("60") and ars == "160530000000":
            z = z[:139] + f"{112000:011d}" + z[150:]
        neu.append(z)
    fusion = gv100ad_zeile(
        {
            "satzart": "60",
            "ars": "160715008120",
            "name": "Am Ettersberg (Fusion)",
            "typ": "64",
            "flaeche_ha": 5000,
            "einwohner": 2400,
            "maennlich": 1200,
            "plz": "99439",
            "plz_eindeutig": True,
        },
        "2024-12-31",
    )
    return [*neu, fusion]


def test_neuerer_stand_loest_auf_legt_an_und_fuehrt_einwohnerhistorie(gv100ad_pfad, tmp_path):
    alt = thueringen_zeilen(gv100ad_pfad)
    importiere(gv100ad_pfad, "--land", "16")
    neu_pfad = tmp_path / "GV100AD_31122024.txt"
    neu_pfad.write_text("\n".join(_neuerer_stand(alt)) + "\n", encoding="utf-8")

    ausgabe = importiere(neu_pfad)

    assert "angelegt: 1, aktualisiert: 1, aufgelöst: 2" in ausgabe
    vollersroda = Gebietskoerperschaft.objects.get(ars="160715008093")
    assert vollersroda.aufgeloest_am == dt.date(2024, 12, 31)  # kept, marked dissolved
    fusion = Gebietskoerperschaft.objects.get(ars="160715008120")
    assert fusion.gueltig_ab == dt.date(2024, 12, 31)
    assert Gebietskoerperschaft.objects.get(ars="160510000000").name == "Erfurt, Landeshauptstadt"
    jena = Gebietskoerperschaft.objects.get(ars="160530000000")
    assert list(jena.einwohnerzahlen.order_by("stichtag").values_list("stichtag", "einwohner")) == [
        (dt.date(2022, 12, 31), 111191),
        (dt.date(2023, 12, 31), 112000),
    ]
    # At the old date the old Gemeinden count, at the new date the merged one.
    alt_stand = (
        Gebietskoerperschaft.objects.gemeinden().filter(land="16").aktiv_am(dt.date(2023, 11, 30))
    )
    neu_stand = (
        Gebietskoerperschaft.objects.gemeinden().filter(land="16").aktiv_am(dt.date(2024, 12, 31))
    )
    assert alt_stand.count() == 624 and neu_stand.count() == 623
    assert RegisterImport.objects.count() == 2


def test_aelterer_stand_nach_neuerem_wird_abgelehnt(gv100ad_pfad, tmp_path):
    neu_pfad = tmp_path / "neu.txt"
    neu_pfad.write_text(
        "\n".join(_neuerer_stand(thueringen_zeilen(gv100ad_pfad))), encoding="utf-8"
    )
    importiere(neu_pfad)
    vorher = register_abzug()

    with pytest.raises(CommandError, match="Ältere Stände können nicht nachträglich"):
        importiere(gv100ad_pfad, "--land", "16")
    assert register_abzug() == vorher


def test_gemeinde_mit_neuem_verband_behaelt_ihre_identitaet(tmp_path):
    def datei(stand, verband):
        saetze = [
            {"satzart": "10", "land": "16", "name": "Thüringen", "sitz": "Erfurt"},
            {"satzart": "40", "kreis": "16061", "name": "Eichsfeld", "sitz": "", "typ": "44"},
            {"satzart": "50", "ars": f"16061{verband}", "name": "Verband", "typ": "54"},
            {
                "satzart": "60",
                "ars": f"16061{verband}001",
                "name": "Wandergemeinde",
                "typ": "64",
                "flaeche_ha": 1,
                "einwohner": 10,
                "maennlich": 5,
                "plz": "37308",
                "plz_eindeutig": True,
            },
        ]
        pfad = tmp_path / f"{stand}.txt"
        pfad.write_text("\n".join(gv100ad_zeile(s, stand) for s in saetze), encoding="utf-8")
        return pfad

    importiere(datei("2023-11-30", "5001"))
    gemeinde_id = Gebietskoerperschaft.objects.get(ags="16061001").id

    importiere(datei("2024-11-30", "5002"))

    gemeinde = Gebietskoerperschaft.objects.get(ags="16061001")
    assert gemeinde.id == gemeinde_id
    assert gemeinde.ars == "160615002001" and gemeinde.aufgeloest_am is None
    assert Gebietskoerperschaft.objects.get(ars="160615001").aufgeloest_am == dt.date(2024, 11, 30)


@pytest.mark.parametrize(
    ("kaputt", "meldung"),
    [
        (lambda z: z[:200], "Zeile 3: Der Datensatz hat 200 statt 220 Zeichen."),
        (lambda z: "70" + z[2:], "Zeile 3: Unbekannte Satzart „70“."),
        (
            lambda z: z[:2] + "20231331" + z[10:],
            "Zeile 3: Gebietsstand „20231331“ ist kein gültiges Datum",
        ),
        (
            lambda z: z[:139] + "000000ABCDE" + z[150:],
            "Zeile 3: Bevölkerung (Stellen 140–150) „000000ABCDE“",
        ),
        (
            lambda z: z[:122] + "99" + z[124:],
            "Zeile 3: Textkennzeichen „99“ ist für Satzart 60 nicht zulässig",
        ),
        (lambda z: z[:10] + "1x" + z[12:], "Zeile 3: Land „1x“ besteht nicht nur aus Ziffern."),
    ],
)
def test_fehlerhafte_zeile_bricht_mit_zeilennummer_ab_und_schreibt_nichts(
    gv100ad_pfad, tmp_path, kaputt, meldung
):
    importiere(gv100ad_pfad, "--land", "16")
    vorher = register_abzug()
    zeilen = _neuerer_stand(thueringen_zeilen(gv100ad_pfad))
    # Line 3 of the file is a Gemeinde record (Land, Kreis, then Verband ... ) – make it one.
    gemeinde = next(z for z in zeilen if z.startswith("60"))
    zeilen = [zeilen[0], zeilen[1], kaputt(gemeinde), *zeilen[2:]]
    pfad = tmp_path / "kaputt.txt"
    pfad.write_text("\n".join(zeilen), encoding="utf-8")

    with pytest.raises(CommandError) as fehler:
        importiere(pfad)

    assert "Import abgebrochen, nichts wurde gespeichert." in str(fehler.value)
    assert meldung in str(fehler.value)
    assert register_abzug() == vorher


def test_fehler_spaet_in_der_datei_laesst_datenbank_unveraendert(gv100ad_pfad, tmp_path):
    zeilen = gv100ad_pfad.read_text(encoding="utf-8").splitlines()
    zeilen[15000] = zeilen[15000][:150]
    pfad = tmp_path / "spaet.txt"
    pfad.write_text("\n".join(zeilen), encoding="utf-8")

    with pytest.raises(CommandError, match="Zeile 15001: Der Datensatz hat 150 statt 220"):
        importiere(pfad)
    assert not Gebietskoerperschaft.objects.exists()
    assert not RegisterImport.objects.exists()


def test_nicht_utf8_wird_mit_zeile_gemeldet(tmp_path):
    pfad = tmp_path / "latin1.txt"
    zeile = gv100ad_zeile(
        {"satzart": "10", "land": "16", "name": "Thüringen", "sitz": "Erfurt"}, "2023-11-30"
    )
    pfad.write_bytes(zeile.encode("latin-1"))

    with pytest.raises(CommandError, match="Zeile 1: Die Datei ist nicht UTF-8-kodiert"):
        importiere(pfad)


def test_fehlende_datei_und_falsches_land_werden_klar_gemeldet(tmp_path):
    with pytest.raises(CommandError, match="gibt es nicht"):
        importiere(tmp_path / "fehlt.txt")
    with pytest.raises(CommandError, match="kein zweistelliger Landesschlüssel"):
        importiere(tmp_path / "fehlt.txt", "--land", "Thüringen")
