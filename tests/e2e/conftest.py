"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KIV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium fehlt unter {CHROMIUM} (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def anmelden(page):
    def anmelden(benutzername: str, passwort: str = "geheim-123"):
        page.goto("/anmelden/")
        page.get_by_label("Benutzername").fill(benutzername)
        page.get_by_label("Passwort").fill(passwort)
        page.get_by_label("Passwort").press("Enter")
        page.wait_for_url("**/")

    return anmelden


@pytest.fixture
def axe_pruefen(page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def pruefen(beschreibung: str):
        ergebnis = axe.run(page)
        assert ergebnis.violations_count == 0, f"{beschreibung}:\n{ergebnis.generate_report()}"

    return pruefen
