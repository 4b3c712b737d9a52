"""In the browser: anyone browses, searches and filters the catalog; a Kommune user requests
a service. axe-core finds nothing on the catalog start, search results, a service page and
the request form; all of it is done with the keyboard."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("demo_laden", stdout=io.StringIO())


def test_katalog_suchen_filtern_oeffnen_ohne_anmeldung(page, axe_pruefen, demo):
    page.goto("/leistungen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leistungskatalog")
    axe_pruefen("Katalog-Start")

    page.get_by_role("textbox", name="Suche").focus()
    page.keyboard.type("Sicherheit")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Suchergebnisse")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("5 Leistungen gefunden.")
    expect(
        page.get_by_role("link", name="Informationssicherheitsbeauftragter als Service")
    ).to_be_visible()
    axe_pruefen("Suchergebnisse")

    # Filter with the keyboard: clear the search, tick "nur kostenfreie" with Space.
    page.get_by_role("textbox", name="Suche").fill("")
    page.get_by_label("nur kostenfreie").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Suchen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("5 Leistungen gefunden.")
    expect(page.get_by_role("link", name="Anbindung an das Servicekonto")).to_be_visible()

    page.get_by_role("link", name="Anbindung an das Servicekonto").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anbindung an das Servicekonto")
    expect(page.get_by_text("Heute gültig:")).to_be_visible()
    axe_pruefen("Leistungsseite")

    page.goto("/leistungen/rz-hosting-fachverfahren/?stichtag=2027-03-01")
    preis = page.get_by_role("paragraph").filter(has_text="Gültig am 01.03.2027:")
    expect(preis).to_contain_text("19,90 € je Arbeitsplatz und Jahr")
    axe_pruefen("Leistungsseite mit Preisverlauf")


def test_kommune_fragt_eine_leistung_an(page, anmelden, axe_pruefen, demo):
    anmelden("kommune", "kiv-demo")
    page.goto("/leistungen/rz-datensicherung/")
    page.get_by_role("link", name="Diese Leistung anfragen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("„Datensicherung (Backup)“ anfragen")
    axe_pruefen("Anfrageformular")

    page.get_by_label("Menge (GB)").fill("-5")
    page.get_by_label("gewünschter Beginn").fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.locator(".fehler")).to_have_text("Die Menge muss größer als 0 sein.")
    axe_pruefen("Anfrageformular mit Fehler")

    page.get_by_label("Menge (GB)").fill("500")
    page.get_by_label("Bemerkung").focus()
    page.keyboard.type("Für das Bauamt")
    page.get_by_role("button", name="Anfrage senden").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anfragen")
    expect(page.get_by_role("status")).to_contain_text(
        "Ihre Anfrage für „Datensicherung (Backup)“ ist eingegangen"
    )
    zeile = page.get_by_role("row").filter(has_text="Datensicherung (Backup)")
    expect(zeile).to_contain_text("500")
    expect(zeile).to_contain_text("angefragt")
    axe_pruefen("Meine Anfragen")
