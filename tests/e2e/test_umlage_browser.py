"""In the browser: finance calculates and freezes a run, opens a pool and a statement and
the settlement; a Kommune user reads its own statement. axe-core on every page; the
freezing is done with the keyboard."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("demo_laden", stdout=io.StringIO())


def test_finanzen_rechnet_und_schreibt_fest_kommune_liest(page, anmelden, axe_pruefen, demo):
    anmelden("finanzen", "kiv-demo")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Umlage"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kostenumlage")
    axe_pruefen("Umlage-Übersicht")

    page.get_by_role("link", name="Abschläge 2026").click()
    expect(page.locator(".status").first).to_have_text("berechnet")
    axe_pruefen("Lauf")
    # recalculate (runs at once in tests), then freeze with the keyboard
    page.get_by_role("button", name="Neu berechnen").click()
    expect(page.get_by_role("status")).to_contain_text("Die Berechnung läuft im Hintergrund")
    page.get_by_role("button", name="Festschreiben").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Der Lauf ist festgeschrieben")
    expect(page.get_by_role("button", name="Festschreiben")).to_have_count(0)

    page.get_by_role("link", name="Geschäftsstelle und Gremien").click()
    mischung = page.get_by_text("Mischung aus 70 % Einwohner + 30 % gleiche Teile")
    expect(mischung.first).to_be_visible()
    axe_pruefen("Pool mit Erklärungen")
    page.get_by_role("link", name="Stadt Erfurt").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Umlage 2026: Stadt Erfurt")
    axe_pruefen("Bescheid")

    page.goto("/umlage/abrechnung/2025/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Abschlag und Spitzabrechnung 2025")
    expect(page.get_by_role("row").filter(has_text="Stadt Erfurt")).to_contain_text("Nachzahlung")
    axe_pruefen("Abrechnung")

    # the municipality
    page.get_by_role("button", name="Abmelden").click()
    anmelden("kommune", "kiv-demo")
    page.goto("/umlage/")
    page.get_by_role("link", name="Abschläge 2026 – Plan (Abschläge) 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Umlage 2026: Stadt Erfurt")
    expect(page.get_by_role("cell", name="Rechenzentrum Grundbetrieb")).to_be_visible()
    axe_pruefen("Bescheid (Kommune)")
    assert page.goto("/umlage/laeufe/1/export.csv").status == 403
